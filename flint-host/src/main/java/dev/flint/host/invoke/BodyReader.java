package dev.flint.host.invoke;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

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

    public static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > maxBytes) {
                request.handler(null);
                request.endHandler(null);
                promise.tryFail(new TooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> promise.tryComplete(body));
        request.exceptionHandler(promise::tryFail);
        return promise.future();
    }
}
