package dev.flint.host.invoke;

/**
 * Why an invocation failed. Each kind has the status the HTTP caller gets and a short code that
 * Flint puts in the {@code X-Flint-Error} header of the responses it makes itself. Azure answers 500
 * to every envelope-mode failure; Flint keeps that status so callers see the same thing, and says
 * which failure it was in the header and in one log line.
 */
public enum FailureKind {
    /** The handler answered the envelope with a non-2xx status. */
    HANDLER_STATUS(500, "handler-status"),
    /** The handler's envelope answer was not JSON. */
    BAD_JSON(500, "bad-json"),
    /** The handler's envelope answer had a Content-Type other than JSON. */
    WRONG_CONTENT_TYPE(500, "wrong-content-type"),
    /** The handler answered the envelope with an empty body. */
    EMPTY_RESPONSE(500, "empty-response"),
    /** The JSON was valid but an output could not be applied (an http output that is not an object, ...). */
    BAD_OUTPUT(500, "bad-output"),
    /** {@code functionTimeout} elapsed. */
    TIMEOUT(500, "timeout"),
    /** The handler process exited while the invocation was in flight. */
    HANDLER_CRASHED(500, "handler-crashed"),
    /** The connection to the handler failed or was reset. */
    HANDLER_UNREACHABLE(500, "handler-unreachable"),
    /** The handler did not become ready within the start-up timeout. */
    HANDLER_NOT_READY(500, "handler-not-ready"),
    /** The caller's body is larger than the envelope limit (Azure: 100 MB); 413, not Azure's 500. */
    BODY_TOO_LARGE(413, "body-too-large"),
    /** Flint is shutting down. */
    SHUTTING_DOWN(503, "shutting-down");

    private final int status;
    private final String code;

    FailureKind(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
