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
                stopped = true;
                upstream.end();
            }
        });
        caller.readingBody();
        request.resume();
    }

    private void stop() {
        stopped = true;
        request.handler(null);
        request.endHandler(null);
    }
}
