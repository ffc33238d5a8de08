package dev.flint.host.invoke.envelope;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * What the front door knows of an HTTP request once its body has been read, for the envelope.
 *
 * @param method      upper-case verb as received
 * @param url         {@code scheme://host[:port]} + path + {@code ?query}, as the caller sent them
 * @param path        the path as received (percent-encoded), with the route prefix
 * @param rawQuery    the query string without {@code ?}, or null
 * @param headers     every request header, in order, names as received
 * @param routeParams route values; an absent optional parameter maps to null
 * @param body        the body, or null when the request had none (length 0)
 */
public record HttpRequestSnapshot(
        String method,
        String url,
        String path,
        String rawQuery,
        MultiMap headers,
        Map<String, String> routeParams,
        Buffer body) {}
