package dev.flint.host.invoke.envelope;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * The HTTP response an http output describes, ready to send.
 *
 * @param status  the status code, 100 to 999
 * @param headers the headers in the handler's order, a name repeated for each of several values, with
 *                {@code Content-Type} among them when there is one; no {@code Content-Length}
 * @param body    the body, empty when there is none
 */
public record HttpResponseSpec(int status, List<Map.Entry<String, String>> headers, Buffer body) {

    public HttpResponseSpec {
        headers = List.copyOf(headers);
    }

    /** The first value of the header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    public String contentType() {
        return header("Content-Type");
    }
}
