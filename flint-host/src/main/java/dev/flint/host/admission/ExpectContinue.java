package dev.flint.host.admission;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * {@code Expect: 100-continue}, answered only once the request has passed every check: a caller
 * that is refused (401, 413, 429) gets the final answer before it sends a byte of its body, and
 * one that waits for a throttle slot sends its body when its turn comes. curl asks before bodies
 * over 1 KB; a request that passes must get its 100, or curl waits a second before sending anyway.
 */
public final class ExpectContinue {

    private ExpectContinue() {}

    public static void ifExpected(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_1_1 && request.headers().contains("Expect", "100-continue", true)
                && !request.response().headWritten()) {
            request.response().writeContinue();
        }
    }
}
