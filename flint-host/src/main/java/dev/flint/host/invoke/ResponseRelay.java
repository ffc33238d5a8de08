package dev.flint.host.invoke;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams a handler's response body to the caller with back-pressure, and ends the invocation
 * exactly once: when the body is complete, when the handler's stream breaks, when the caller
 * disconnects, or when {@code functionTimeout} expires. Written out rather than a Vert.x pipe,
 * because a pipe keeps writing into a response whose caller has gone.
 *
 * <p>Threading: everything runs on the event loop of the request.
 */
final class ResponseRelay {

    private final HttpClientResponse answer;
    private final HttpServerResponse response;
    private final HttpClientRequest upstream;
    private final Invocation invocation;
    private final InvocationTimer timer;
    private boolean finished;

    private ResponseRelay(HttpClientResponse answer, HttpServerResponse response, HttpClientRequest upstream,
                          Invocation invocation, InvocationTimer timer) {
        this.answer = answer;
        this.response = response;
        this.upstream = upstream;
        this.invocation = invocation;
        this.timer = timer;
    }

    /** The status and headers are set on {@code response}; this sends them and the body. */
    static void start(HttpClientResponse answer, HttpServerResponse response, HttpClientRequest upstream,
                      Invocation invocation, InvocationTimer timer) {
        new ResponseRelay(answer, response, upstream, invocation, timer).start();
    }

    private void start() {
        timer.onTimeout(failure -> {
            if (finish()) {
                upstream.reset();
                InvocationLog.failed(invocation, failure);
                response.reset(); // headers are out: only a cut connection tells the truth
            }
        });
        response.closeHandler(v -> {
            if (finish()) {
                upstream.reset();
                InvocationLog.cancelled(invocation, "the caller disconnected after " + response.bytesWritten()
                        + " bytes of the response");
            }
        });
        answer.handler(chunk -> {
            if (finished) {
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                answer.pause();
                response.drainHandler(v -> answer.resume());
            }
        });
        answer.exceptionHandler(error -> {
            if (finish()) {
                InvocationLog.failed(invocation, new InvocationFailure(FailureKind.HANDLER_UNREACHABLE,
                        "the handler's response broke after " + response.bytesWritten() + " bytes: " + error.getMessage(), error));
                response.reset();
            }
        });
        answer.endHandler(v -> {
            if (finish()) {
                response.end();
                InvocationLog.succeeded(invocation);
            }
        });
    }

    /** True the first time only: whoever finishes the invocation first decides how it ended. */
    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        timer.cancel();
        return true;
    }
}
