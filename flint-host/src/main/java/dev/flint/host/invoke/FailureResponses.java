package dev.flint.host.invoke;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place where a failed invocation becomes a response: the kind's status, an empty body as
 * Azure sends, and {@code X-Flint-Error: <kind>} so that a caller can tell Flint's own answer from
 * the function's. The reason goes to the log, in one line, never to an anonymous caller.
 */
public final class FailureResponses {

    public static final String ERROR_HEADER = "X-Flint-Error";

    private FailureResponses() {}

    public static void fail(HttpServerRequest request, Invocation invocation, InvocationFailure failure) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            InvocationLog.cancelled(invocation, "the caller disconnected (" + failure.kind().code() + ": "
                    + failure.getMessage() + ")");
            return;
        }
        InvocationLog.failed(invocation, failure);
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            request.connection().close(); // part of a response is out: only a cut connection tells the truth
            return;
        }
        if (failure.kind() == FailureKind.BODY_TOO_LARGE) {
            response.putHeader("Connection", "close"); // the rest of the body is not read
        }
        response.setStatusCode(failure.kind().status())
                .putHeader(ERROR_HEADER, failure.kind().code())
                .putHeader("Content-Length", "0")
                .end();
    }
}
