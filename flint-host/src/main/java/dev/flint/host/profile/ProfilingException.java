package dev.flint.host.profile;

import java.util.OptionalLong;

/**
 * Why a profile could not be taken, as the admin API answers it: {@link #httpStatus()} and a
 * message a user can act on; for {@link Kind#BUSY}, {@link #retryAfterSeconds()} too.
 */
public final class ProfilingException extends Exception {

    /** What went wrong, and the HTTP status it is answered with. */
    public enum Kind {
        /** perf is missing or may not sample: {@link PerfAvailability#reason()}. */
        UNAVAILABLE(503),
        /** The handler has no live process to sample now (starting, restarting, stopped). */
        NOT_RUNNING(503),
        /** Another on-demand profile is being taken on this host: one perf at a time. */
        BUSY(409),
        /** A parameter out of range (seconds, frequency). */
        INVALID(400),
        /** The window held no sample: the handler did not run on a CPU while it was sampled. */
        NO_SAMPLES(409),
        /** The recording was stopped because Flint is stopping. */
        CANCELLED(503),
        /** perf (or perf script, or the store) failed: its exit code and stderr are in the message. */
        FAILED(500);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public ProfilingException(Kind kind, String message) {
        this(kind, message, -1, null);
    }

    public ProfilingException(Kind kind, String message, Throwable cause) {
        this(kind, message, -1, cause);
    }

    ProfilingException(Kind kind, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public int httpStatus() {
        return kind.httpStatus();
    }

    /** For {@link Kind#BUSY}: when the profile in progress should be done, for a {@code Retry-After} header. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
