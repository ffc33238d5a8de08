package dev.flint.host.invoke;

/**
 * Why Flint answered instead of the function: an invocation that failed, or a request the front door
 * refused before it became one. This is the one place where each reason gets its status. Each kind
 * also has a short code that Flint puts in the {@code X-Flint-Error} header of the responses it makes
 * itself. Azure answers 500 to every envelope-mode failure; Flint keeps that status so callers see
 * the same thing, and says which failure it was in the header and in one log line.
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
    SHUTTING_DOWN(503, "shutting-down"),

    // ---- refused at the front door, before an invocation starts

    /** No function or host endpoint at this path, or a method outside the function's {@code methods}. */
    NO_ROUTE(404, "no-route"),
    /** The request's key does not reach the function's {@code authLevel}; Azure's empty 401. */
    UNAUTHORIZED(401, "unauthorized"),
    /** {@code maxOutstandingRequests} invocations of the function run or wait already. */
    THROTTLED(429, "throttled"),
    /** The request headers are larger than the limit (Kestrel's 32 KB by default). */
    HEADERS_TOO_LARGE(431, "headers-too-large"),
    /** The request line is longer than the limit (Kestrel's 8 KB by default). */
    URI_TOO_LONG(414, "uri-too-long"),
    /** The request could not be parsed as HTTP/1.1. */
    BAD_REQUEST(400, "bad-request"),
    /** The caller stopped sending its body for longer than the slow-client timeout. */
    SLOW_CLIENT(408, "slow-client"),
    /** An admin API call whose body or parameters are wrong. */
    BAD_ADMIN_REQUEST(400, "bad-admin-request"),
    /** An admin API call that cannot be carried out now (keys supplied by the environment, no key store). */
    ADMIN_CONFLICT(409, "admin-conflict"),
    /** The trace store could not be opened, so traces can be neither posted nor read nor recorded. */
    TRACE_STORE_UNAVAILABLE(503, "trace-store-unavailable"),
    /** A profile cannot be taken now: perf missing or not permitted, no handler running, Flint stopping. */
    PROFILE_UNAVAILABLE(503, "profile-unavailable"),
    /** Another profile of the same app is being recorded (one perf at a time); Retry-After says when to try. */
    PROFILE_BUSY(409, "profile-busy"),
    /** The profile held no sample: the handler did not run while it was sampled (it is idle). */
    PROFILE_EMPTY(409, "profile-empty"),
    /** perf, async-profiler, JFR or the store failed while recording a profile. */
    PROFILE_FAILED(500, "profile-failed");

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
