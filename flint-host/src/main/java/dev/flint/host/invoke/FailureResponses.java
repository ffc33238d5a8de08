package dev.flint.host.invoke;

import dev.flint.host.admission.RejectionLog;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The one place where a failed invocation or a refused request becomes a response: the kind's
 * status, an empty body as Azure sends, and {@code X-Flint-Error: <kind>} so that a caller can tell
 * Flint's own answer from the function's. The reason goes to the log, in one line.
 *
 * <p>In developer mode (on by default when Flint listens on loopback only) a 5xx also carries its
 * reason as text: Azure's empty 500 is a known complaint, and a local caller is the developer.
 */
public final class FailureResponses {

    public static final String ERROR_HEADER = "X-Flint-Error";

    private final boolean developerMode;

    public FailureResponses(boolean developerMode) {
        this.developerMode = developerMode;
    }

    public boolean developerMode() {
        return developerMode;
    }

    public void fail(HttpServerRequest request, Invocation invocation, InvocationFailure failure) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            InvocationLog.cancelled(invocation, "the caller disconnected (" + failure.kind().code() + ": "
                    + failure.getMessage() + ")");
            return;
        }
        if (response.ended()) {
            // Flint answered already (408 to a caller whose body stalled): the caller's doing.
            InvocationLog.cancelled(invocation, "Flint had answered the caller already (" + failure.kind().code() + ": "
                    + failure.getMessage() + ")");
            return;
        }
        InvocationLog.failed(invocation, failure);
        if (response.headWritten()) {
            request.connection().close(); // part of a response is out: only a cut connection tells the truth
            return;
        }
        answer(response, failure.kind(), failure.getMessage());
    }

    /**
     * Refuses a request before it becomes an invocation, with one (rate-limited) log line naming the
     * function, the rule and the value that broke it.
     *
     * @param function the function the request was for, or null for the host's own endpoints
     * @param rule     the rule and its setting, e.g. {@code authLevel function}
     * @param reason   what about this request broke it, e.g. {@code the request carried no key}; never a secret
     */
    public void reject(HttpServerRequest request, String function, FailureKind kind, String rule, String reason) {
        RejectionLog.rejected(request.method().name(), request.path(), function, kind, rule, reason);
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        answer(response, kind, rule + ": " + reason);
    }

    private void answer(HttpServerResponse response, FailureKind kind, String reason) {
        response.setStatusCode(kind.status()).putHeader(ERROR_HEADER, kind.code());
        if (kind == FailureKind.BODY_TOO_LARGE) {
            response.putHeader("Connection", "close"); // the rest of the body is not read
        }
        if (developerMode && kind.status() >= 500) {
            byte[] body = ("Flint: " + kind.code() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8);
            response.putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .end(io.vertx.core.buffer.Buffer.buffer(body));
            return;
        }
        response.putHeader("Content-Length", "0").end();
    }
}
