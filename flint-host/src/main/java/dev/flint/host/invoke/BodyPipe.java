package dev.flint.host.invoke;

import dev.flint.host.admission.ClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * Streams a caller's request body to the handler with back-pressure, counting it against the body
 * limit, and telling the connection guard when a stall is Flint's (the handler pushes back) rather
 * than the caller's. A body that passes the limit (chunked, or longer than its Content-Length said)
 * stops the pipe: the caller gets 413, not a truncated request to the handler.
 *
 * <p>Written out rather than a Vert.x pipe, which can neither count nor say why it paused.
 * Threading: the request's event loop.
 */
final class BodyPipe {

    private final HttpServerRequest request;
    private final HttpClientRequest upstream;
    private final long maxBytes;
    private final ClientConnection caller;
    private final Runnable onTooLarge;
    private long bytes;
    private boolean stopped;
    /** The caller's body broke off: its connection closed, even after Flint answered (see {@link ClientConnection#onClose}). */
    private final Runnable callerLeft = this::callerLeft;

    private BodyPipe(HttpServerRequest request, HttpClientRequest upstream, long maxBytes, ClientConnection caller,
                     Runnable onTooLarge) {
        this.request = request;
        this.upstream = upstream;
        this.maxBytes = maxBytes;
        this.caller = caller;
        this.onTooLarge = onTooLarge;
    }

    /** Starts piping a paused request; ends {@code upstream} when the body ends. */
    static void start(HttpServerRequest request, HttpClientRequest upstream, long maxBytes, ClientConnection caller,
                      Runnable onTooLarge) {
        new BodyPipe(request, upstream, maxBytes, caller, onTooLarge).start();
    }

    private void start() {
        request.handler(chunk -> {
            if (stopped) {
                return;
            }
            bytes += chunk.length();
            if (bytes > maxBytes) {
                stop();
                onTooLarge.run();
                return;
            }
            upstream.write(chunk);
            if (upstream.writeQueueFull()) {
                request.pause();
                caller.holdingBody();
                upstream.drainHandler(v -> {
                    if (!stopped) {
                        caller.readingBody();
                        request.resume();
                    }
                });
            }
        });
        request.endHandler(v -> {
            if (!stopped) {
                stop();
                upstream.end();
            }
        });
        // The caller's body broke off. Once Flint has answered (408 for a stalled body, or the handler
        // answered early) neither the request nor the response hears of a closed connection, hence
        // the guard's hook; without it the handler would wait for the rest of the body, holding its
        // connection and any throttle slot until functionTimeout. The reset ends the invocation.
        request.exceptionHandler(error -> callerLeft.run());
        caller.onClose(callerLeft);
        caller.readingBody();
        request.resume();
    }

    private void callerLeft() {
        if (!stopped) {
            stop();
            upstream.reset();
        }
    }

    private void stop() {
        stopped = true;
        request.handler(null);
        request.endHandler(null);
        request.exceptionHandler(null);
        caller.clearOnClose(callerLeft);
    }
}
