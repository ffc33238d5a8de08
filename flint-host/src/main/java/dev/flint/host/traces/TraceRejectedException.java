package dev.flint.host.traces;

/**
 * A trace the store refuses, and why: a bad name or label, a body that is not a trace (the parser's
 * message, with the line and its number), or a body past the size limit. Nothing of it is left on
 * disk. The message is written for the sender and never contains a server path.
 */
public final class TraceRejectedException extends Exception {

    /** Why; each maps to one HTTP status. */
    public enum Reason {
        /** A name or label that is not allowed: 400. */
        BAD_LABEL(400),
        /** The body is not a trace Flint reads: 400. */
        NOT_A_TRACE(400),
        /** The body is a well-formed trace without a single sample (a perf script header only): 400. */
        NO_SAMPLES(400),
        /** The body is larger than the limit: 413. */
        TOO_LARGE(413);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public TraceRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
