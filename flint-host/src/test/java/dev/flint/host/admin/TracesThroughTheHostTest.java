package dev.flint.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.SecuredApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace collector and query API as a running host serves them: behind the master key, in the
 * app's data directory, and answered from the trace engine.
 */
class TracesThroughTheHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static RunningHost host;

    @BeforeAll
    static void start() throws Exception {
        host = RunningHost.start(SecuredApp.in(dir.resolve("app")).root(),
                HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED).withDataDirectory(dir.resolve("data")));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static Path fixture(String name) {
        return Path.of(System.getenv().getOrDefault("FLINT_REPO_ROOT", ".."))
                .resolve("flint-trace/src/test/resources/traces").resolve(name);
    }

    private static String master() {
        return host.host().keys().orElseThrow().current().master().orElseThrow().value();
    }

    private static HttpResponse<String> post(Path file, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.uri("/admin/traces")).header("X-name", "fibonacci")
                .POST(HttpRequest.BodyPublishers.ofFile(file));
        if (key != null) {
            request.header("x-functions-key", key);
        }
        return host.send(request.build());
    }

    @Test
    void aPostedTraceNeedsTheMasterKeyIsStoredInTheDataDirectoryAndIsQueried() throws Exception {
        assertThat(post(fixture("python-loop-200hz.perf"), null).statusCode()).isEqualTo(401);

        HttpResponse<String> stored = post(fixture("python-loop-200hz.perf"), master());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode entry = JSON.readTree(stored.body());
        String id = entry.path("id").asText();
        assertThat(entry.path("name").asText()).isEqualTo("fibonacci");
        assertThat(entry.path("samples").asLong()).isEqualTo(1989);
        try (var files = Files.list(dir.resolve("data").resolve("traces"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(id));
        }

        HttpResponse<String> heat = host.send(HttpRequest.newBuilder(host.uri("/admin/traces/" + id + "/heatmap?rows=10"))
                .header("x-functions-key", master()).build());
        assertThat(heat.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(heat.body()).path("samples").asLong()).isEqualTo(1989);

        HttpResponse<String> list = host.send(HttpRequest.newBuilder(host.uri("/admin/traces?name=fibonacci"))
                .header("x-functions-key", master()).build());
        assertThat(JSON.readTree(list.body()).path("traces").findValuesAsText("id")).contains(id);
    }

    @Test
    void aFoldedTraceFoldsBackToItsStacks() throws Exception {
        HttpResponse<String> stored = post(fixture("java-loop-async-profiler.collapsed"), master());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        String id = JSON.readTree(stored.body()).path("id").asText();
        HttpResponse<String> folded = host.send(HttpRequest.newBuilder(host.uri("/admin/traces/" + id + "/folded"))
                .header("x-functions-key", master()).build());
        assertThat(folded.statusCode()).isEqualTo(200);
        assertThat(folded.body().lines().toList()).allMatch(l -> l.matches(".+ \\d+$")).anyMatch(l -> l.contains(";"));
        long total = folded.body().lines().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(total).isEqualTo(1042);
    }
}
