package dev.flint.host.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forwarding, proxying and the legacy httpWorker, against a real Node handler. The same suite runs
 * under each mode; the surefire heap is 512 MB, so the 1 GB bodies prove that nothing is buffered.
 */
class ForwardingModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ONE_GB = 1L << 30;

    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("forwarding", "'customHandler':{'enableForwardingHttpRequest':true,", "/api/echo/7?x=1"),
                Arguments.of("proxying", "'customHandler':{'enableProxyingHttpRequest':true,", "/api/echo/7?x=1"),
                Arguments.of("legacy httpWorker", "'httpWorker':{", "/echo?x=1"));
    }

    private RunningHost start(String section) throws Exception {
        TestApp app = TestApp.in(dir.resolve("fwd"))
                .hostJson("{'version':'2.0'," + section + "'description':{'defaultExecutablePath':'node',"
                        + "'arguments':['forwarding_handler.js']}}}")
                .handler("forwarding_handler.js")
                .function("echo", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                        + "'route':'echo/{id:int}'},{'type':'http','direction':'out','name':'res'}]}")
                .httpFunction("count", "['post']")
                .httpFunction("big", "['get']")
                .httpFunction("redirect", "['get']")
                .httpFunction("teapot", "['get']");
        // Above the 100 MB default, so that the gigabyte bodies below pass (the limit has its own tests).
        RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withMaxBodyBytes(2 * ONE_GB));
        host.awaitHandler();
        return host;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void theRequestArrivesAsSentWithTheInvocationHeaders(String mode, String section, String expectedUrl) throws Exception {
        try (RunningHost host = start(section)) {
            HttpResponse<String> response = host.send(HttpRequest.newBuilder(host.uri("/api/echo/7?x=1"))
                    .header("X-Custom", "kept").header("Content-Type", "text/plain")
                    .method("PUT", HttpRequest.BodyPublishers.ofString("payload")).build());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode seen = JSON.readTree(response.body());
            assertThat(seen.path("method").asText()).isEqualTo("PUT");
            assertThat(seen.path("url").asText()).isEqualTo(expectedUrl);
            assertThat(seen.path("body").asText()).isEqualTo("payload");
            assertThat(seen.path("headers").path("x-custom").asText()).isEqualTo("kept");
            assertThat(seen.path("headers").path("host").asText()).as("Host is copied")
                    .isEqualTo("127.0.0.1:" + host.host().port());
            assertThat(seen.path("headers").path("x-azure-functions-invocationid").asText()).matches("[0-9a-f-]{36}");
            assertThat(seen.path("headers").path("x-azure-functions-hostversion").asText()).startsWith("4.");
            assertThat(seen.path("headers").has("x-ms-invocation-id")).isEqualTo(mode.equals("proxying"));
            assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
        }
    }

    @Test
    void responsesAreReturnedVerbatimAndRedirectsAreNotFollowed() throws Exception {
        try (RunningHost host = start("'customHandler':{'enableForwardingHttpRequest':true,")) {
            HttpResponse<String> teapot = host.get("/api/teapot");
            assertThat(teapot.statusCode()).isEqualTo(418);
            assertThat(teapot.body()).isEqualTo("short and stout");
            assertThat(teapot.headers().firstValue("X-Handler")).hasValue("yes");
            assertThat(teapot.headers().firstValue("X-Flint-Error")).isEmpty();

            HttpResponse<String> redirect = host.get("/api/redirect");
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).hasValue("/elsewhere");
        }
    }

    @Test
    void aCallerThatLeavesMidResponseIsLoggedAsCancelledAndTheHostKeepsServing() throws Exception {
        try (dev.flint.host.testing.LogCapture logs = new dev.flint.host.testing.LogCapture();
             RunningHost host = start("'customHandler':{'enableForwardingHttpRequest':true,")) {
            HttpResponse<InputStream> download = host.client().send(
                    HttpRequest.newBuilder(host.uri("/api/big?bytes=" + ONE_GB)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = download.body()) {
                in.readNBytes(1 << 20);
            } // closing early drops the connection
            logs.await(l -> l.contains("Executed 'Functions.big' (Cancelled"), java.time.Duration.ofSeconds(20));
            assertThat(host.get("/api/teapot").statusCode()).isEqualTo(418);
            assertThat(logs.lines()).noneMatch(l -> l.contains("Unhandled exception"));
            assertThat(logs.lines()).noneMatch(l -> l.contains("Executed 'Functions.big' (Failed"));
        }
    }

    @Test
    void functionTimeoutBoundsAForwardedRequest() throws Exception {
        TestApp app = TestApp.in(dir.resolve("fwd-timeout"))
                .hostJson("{'version':'2.0','functionTimeout':'00:00:01','customHandler':{'enableForwardingHttpRequest':true,"
                        + "'description':{'defaultExecutablePath':'node','arguments':['forwarding_handler.js']}}}")
                .handler("forwarding_handler.js")
                .httpFunction("slow", "['get']")
                .httpFunction("teapot", "['get']");
        try (RunningHost host = RunningHost.start(app.root())) {
            host.awaitHandler();
            HttpResponse<String> response = host.get("/api/slow");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("timeout");
            assertThat(host.get("/api/teapot").statusCode()).as("the handler keeps serving").isEqualTo(418);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void aGigabyteStreamsBothWays(String mode, String section, String ignored) throws Exception {
        try (RunningHost host = start(section)) {
            // Upload: a generated 1 GB body, counted and hashed by the handler as it arrives.
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            HttpResponse<String> upload = host.send(HttpRequest.newBuilder(host.uri("/api/count"))
                    .POST(new PatternPublisher(ONE_GB, expected)).build());
            assertThat(upload.statusCode()).isEqualTo(200);
            JsonNode counted = JSON.readTree(upload.body());
            assertThat(counted.path("bytes").asLong()).isEqualTo(ONE_GB);
            assertThat(counted.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(expected.digest()));

            // Download: 1 GB from the handler, counted here without keeping it.
            HttpResponse<InputStream> download = host.client().send(
                    HttpRequest.newBuilder(host.uri("/api/big?bytes=" + ONE_GB)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            long total = 0;
            try (InputStream in = download.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total += n;
                }
            }
            assertThat(total).isEqualTo(ONE_GB);
        }
    }

    /** A body of {@code size} bytes made on the fly, hashed as it is sent. */
    private static final class PatternPublisher implements HttpRequest.BodyPublisher {
        private final long size;
        private final MessageDigest digest;

        PatternPublisher(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public long contentLength() {
            return size;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            byte[] chunk = new byte[1 << 16];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) ("0123456789abcdef".charAt(i % 16));
            }
            HttpRequest.BodyPublishers.fromPublisher(subscriber1 -> subscriber1.onSubscribe(new Flow.Subscription() {
                long sent;
                boolean done;

                @Override
                public void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        int len = (int) Math.min(chunk.length, size - sent);
                        if (len <= 0) {
                            done = true;
                            subscriber1.onComplete();
                            return;
                        }
                        digest.update(chunk, 0, len);
                        sent += len;
                        // A fresh buffer each time: the client may still hold the previous one.
                        subscriber1.onNext(java.nio.ByteBuffer.wrap(chunk.clone(), 0, len));
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            }), size).subscribe(subscriber);
        }
    }
}
