package dev.flint.host.invoke;

import dev.flint.host.admission.ClientConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;

/**
 * Reads a request body into memory for the envelope, refusing it as soon as it passes the limit,
 * so that an oversized or endless chunked body never fills the heap.
 */
public final class BodyReader {

    /** The body passed the limit; the caller answers 413. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private BodyReader() {}

    /** @param caller the request's connection, whose closing fails the read even after Flint answered */
    public static Future<Buffer> read(HttpServerRequest request, long maxBytes, ClientConnection caller) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        // When Flint has answered before the body ended (408), a closed connection is told to nobody
        // but the guard: without this the read, and the invocation waiting for it, would never end.
        Runnable callerLeft = () -> {
            request.handler(null);
            request.endHandler(null);
            promise.tryFail(new IOException("the caller's connection closed after " + body.length()
                    + " bytes of its body"));
        };
        caller.onClose(callerLeft);
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > maxBytes) {
                request.handler(null);
                request.endHandler(null);
                caller.clearOnClose(callerLeft);
                promise.tryFail(new TooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            caller.clearOnClose(callerLeft); // it holds the body: not kept while the connection idles
            promise.tryComplete(body);
        });
        request.exceptionHandler(error -> {
            caller.clearOnClose(callerLeft);
            promise.tryFail(error);
        });
        return promise.future();
    }
}
