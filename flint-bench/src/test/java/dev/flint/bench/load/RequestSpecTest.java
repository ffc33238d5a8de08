package dev.flint.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** How requests are encoded, and that a varying field varies on the wire. */
class RequestSpecTest {

    private static String encoded(RequestSpec spec, int variant) {
        EncodedRequests requests = spec.encode(UnpooledByteBufAllocator.DEFAULT, RandomGenerator.of("L64X128MixRandom"));
        try {
            return new String(requests.bytes(variant), StandardCharsets.ISO_8859_1);
        } finally {
            requests.release();
        }
    }

    @Test
    void aGetHasTheHostAndTheHeadersGiven() {
        String request = encoded(RequestSpec.of("get", "http://127.0.0.1:7071/api/circle?radius=2")
                .withHeaders(List.of("Accept: application/json", "X-Trace:yes")), 0);
        assertThat(request).isEqualTo("GET /api/circle?radius=2 HTTP/1.1\r\nHost: 127.0.0.1:7071\r\n"
                + "Accept: application/json\r\nX-Trace: yes\r\n\r\n");
    }

    @Test
    void aPostHasItsBodyAndLength() {
        String request = encoded(RequestSpec.of("POST", "http://localhost/api/circle")
                .withHeaders(List.of("Content-Type: application/json")).withBody("{\"radius\": 2}".getBytes()), 0);
        assertThat(request).isEqualTo("POST /api/circle HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 13\r\n\r\n{\"radius\": 2}");
        assertThat(encoded(RequestSpec.of("POST", "http://localhost"), 0)).contains("POST / HTTP/1.1\r\n")
                .contains("Content-Length: 0\r\n");
        assertThat(encoded(RequestSpec.of("GET", "http://x/").withHeaders(List.of("Host: other")), 0))
                .isEqualTo("GET / HTTP/1.1\r\nHost: other\r\n\r\n");
    }

    @Test
    void variantsDifferInTheUrlAndTheBody() {
        RequestSpec spec = RequestSpec.of("POST", "http://127.0.0.1:1/api/circle?radius={{random:1:1000}}")
                .withBodyTemplate("{\"id\": {{seq}}}").withVariants(50);
        EncodedRequests requests = spec.encode(UnpooledByteBufAllocator.DEFAULT, RandomGenerator.of("L64X128MixRandom"));
        try {
            assertThat(requests.size()).isEqualTo(50);
            Set<String> urls = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                String request = new String(requests.bytes(i), StandardCharsets.ISO_8859_1);
                urls.add(request.substring(0, request.indexOf(" HTTP/1.1")));
                assertThat(request).endsWith("{\"id\": " + i + "}");
            }
            assertThat(urls).hasSizeGreaterThan(40);
        } finally {
            requests.release();
        }
        assertThat(RequestSpec.of("GET", "http://x/").withVariants(50)
                .encode(UnpooledByteBufAllocator.DEFAULT, RandomGenerator.of("L64X128MixRandom")).size())
                .as("nothing varies: one request").isEqualTo(1);
    }

    @Test
    void refusesWhatItCannotSend() {
        assertThatThrownBy(() -> RequestSpec.of("GET", "https://example.com/").validate()).hasMessageContaining("https is not supported");
        assertThatThrownBy(() -> RequestSpec.of("GET", "ftp://example.com/").validate()).hasMessageContaining("not an http:// URL");
        assertThatThrownBy(() -> RequestSpec.of("GET", "circle").validate()).hasMessageContaining("not an http:// URL with a host");
        assertThatThrownBy(() -> RequestSpec.of("GE T", "http://x/")).hasMessageContaining("not an HTTP method");
        assertThatThrownBy(() -> RequestSpec.of("GET", "http://x/").withHeaders(List.of("NoColon")))
                .hasMessageContaining("'Name: value'");
        assertThatThrownBy(() -> RequestSpec.of("GET", "http://127.0.0.{{random:1:9}}:80/").withVariants(20)
                .encode(UnpooledByteBufAllocator.DEFAULT, RandomGenerator.of("L64X128MixRandom")))
                .hasMessageContaining("path or query");
    }

    @Test
    void theServerSeesTheVaryingField() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            RequestSpec spec = RequestSpec.of("POST", server.url("/api/circle?radius={{random:1:1000}}"))
                    .withBodyTemplate("{\"radius\": {{random:0.5:9.5}}}").withVariants(500);
            Loads.run(Loads.closed(2, 0).withDuration(null).withRequests(1000), spec);

            Set<Integer> radii = new HashSet<>();
            Set<String> bodies = new HashSet<>();
            for (DelayServer.Logged logged : server.log()) {
                int radius = Integer.parseInt(logged.uri().substring(logged.uri().indexOf('=') + 1));
                assertThat(radius).isBetween(1, 1000);
                radii.add(radius);
                assertThat(logged.body()).matches("\\{\"radius\": \\d\\.\\d\\}");
                bodies.add(logged.body());
            }
            assertThat(radii).hasSizeGreaterThan(300);
            assertThat(bodies).hasSizeGreaterThan(50);
        }
    }
}
