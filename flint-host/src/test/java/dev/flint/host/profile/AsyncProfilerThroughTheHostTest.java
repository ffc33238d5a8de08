package dev.flint.host.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host.json {@code "profiling": {"jvm": "async-profiler"}}: the Java example is started with
 * async-profiler's agent, a profile of it is a JFR trace with the handler's Java methods, and the
 * invocation marks, moved onto the JFR's wall clock, fall among its samples.
 */
class AsyncProfilerThroughTheHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aJavaHandlerIsProfiledWithAsyncProfilerIntoAJfrTraceWithItsMethodsAndMarks() throws Exception {
        AsyncProfilerAgent.Agent agent = AsyncProfilerAgent.install(dir.resolve("probe"));
        if (agent.agent().isEmpty()) {
            System.out.println("AsyncProfilerThroughTheHostTest skipped: " + agent.reason().orElse("?"));
        }
        assumeTrue(agent.agent().isPresent(), () -> agent.reason().orElse("?"));
        Path example = Path.of(System.getenv().getOrDefault("FLINT_REPO_ROOT", "../"), "examples/circle/java");
        TestApp app = TestApp.in(dir.resolve("java-circle"))
                .hostJson("{'version':'2.0','profiling':{'jvm':'async-profiler'},'customHandler':{"
                        + "'enableForwardingHttpRequest':true,'description':{'defaultExecutablePath':'"
                        + Path.of(System.getProperty("java.home"), "bin", "java") + "','arguments':['-cp','bin','Handler']}}}")
                .httpFunction("circle", "['get','post']");
        Files.createDirectories(app.root().resolve("bin"));
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "--release", "17",
                "-d", app.root().resolve("bin").toString(), example.resolve("Handler.java").toString())
                .inheritIO().start();
        assertThat(javac.waitFor(60, TimeUnit.SECONDS) && javac.exitValue() == 0).as("javac Handler.java").isTrue();

        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(dir.resolve("data")))) {
            host.awaitHandler();
            HttpResponse<String> profiled = host.postWhileLoading("/admin/functions/circle/profile?seconds=2&frequency=499", "/api/circle?radius=3");
            assertThat(profiled.statusCode()).as(profiled.body()).isEqualTo(201);
            String id = JSON.readTree(profiled.body()).path("id").asText();
            JsonNode entry = JSON.readTree(host.get("/admin/traces/" + id).body());
            assertThat(entry.path("format").asText()).as(entry.toString()).isEqualTo("jfr");
            assertThat(entry.path("labels").path("sampling").asText()).isEqualTo("async-profiler");
            assertThat(entry.path("labels").path("clock").asText()).isEqualTo("wall");
            assertThat(entry.path("samples").asLong()).as("the busy JVM was sampled").isPositive();

            String folded = host.get("/admin/traces/" + id + "/folded").body();
            assertThat(folded).as("the handler's own Java methods, by name").contains("Handler.handle");

            JsonNode marks = JSON.readTree(host.get("/admin/traces/" + id + "/invocations").body());
            assertThat(marks.path("count").asInt()).isPositive();
            long start = entry.path("startNanos").asLong();
            long end = entry.path("endNanos").asLong();
            long inside = 0;
            for (JsonNode mark : marks.path("invocations")) {
                if (mark.path("startNanos").asLong() >= start - 1_000_000_000L && mark.path("endNanos").asLong() <= end + 1_000_000_000L) {
                    inside++;
                }
            }
            assertThat(inside).as("marks moved onto the JFR's wall clock fall among its samples (%d..%d)", start, end)
                    .isEqualTo(marks.path("count").asLong());
            HttpResponse<String> cut = host.get("/admin/traces/" + id + "/flamegraph?invocations=all");
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
            System.out.println("[async-profiler] invocations' flame graph: " + cut.body().substring(0, Math.min(300, cut.body().length())));
            assertThat(JSON.readTree(cut.body()).path("samples").asLong()).as("the trace cut to its invocations has samples")
                    .isPositive();
        }
    }
}
