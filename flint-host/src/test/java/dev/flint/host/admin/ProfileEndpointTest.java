package dev.flint.host.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.profile.PerfAvailability;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /admin/functions/{name}/profile} on a running host: perf samples the real handler
 * while it serves, and the stored trace holds the handler's samples and the invocations' marks.
 */
class ProfileEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aProfileTakenNowIsStoredWithTheHandlersSamplesAndTheInvocationsMarks() throws Exception {
        PerfAvailability perf = PerfAvailability.shared();
        if (!perf.available()) {
            System.out.println("ProfileEndpointTest skipped: " + perf.reason().orElse("perf cannot sample"));
        }
        assumeTrue(perf.available(), () -> "perf cannot sample here: " + perf.reason().orElse("?"));
        TestApp app = TestApp.in(dir.resolve("profiled"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'node','arguments':['limits_handler.js']}}}")
                .handler("limits_handler.js")
                .httpFunction("sleep", "['get']")
                .httpFunction("fast", "['get']");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(dir.resolve("data")))) {
            host.awaitHandler();
            HttpResponse<String> profiled = host.postWhileLoading("/admin/functions/fast/profile?seconds=2&frequency=499", "/api/fast");
            assertThat(profiled.statusCode()).as(profiled.body()).isEqualTo(201);
            JsonNode answer = JSON.readTree(profiled.body());
            String id = answer.path("id").asText();
            assertThat(answer.path("frequency").asInt()).isEqualTo(499);

            JsonNode entry = JSON.readTree(host.get("/admin/traces/" + id).body());
            assertThat(entry.path("samples").asLong()).as("the busy handler was sampled").isPositive();
            assertThat(entry.path("format").asText()).isEqualTo("perf-script");

            JsonNode marks = JSON.readTree(host.get("/admin/traces/" + id + "/invocations").body());
            assertThat(marks.path("count").asInt()).as("the invocations of the window were marked").isPositive();
            JsonNode first = marks.path("invocations").path(0);
            assertThat(first.path("function").asText()).isEqualTo("fast");
            assertThat(first.path("pid").asLong()).isEqualTo(host.awaitHandler().pid());
            long start = entry.path("startNanos").asLong();
            long end = entry.path("endNanos").asLong();
            int inside = 0;
            for (JsonNode mark : marks.path("invocations")) {
                if (mark.path("startNanos").asLong() <= end && mark.path("endNanos").asLong() >= start) {
                    inside++;
                }
            }
            assertThat(inside).as("marks and samples are on one clock: invocations fall among the samples").isPositive();

            HttpResponse<String> unknown = host.send(HttpRequest.newBuilder(host.uri("/admin/functions/nope/profile?seconds=1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(unknown.statusCode()).isEqualTo(404);
            HttpResponse<String> bad = host.send(HttpRequest.newBuilder(host.uri("/admin/functions/fast/profile?seconds=x"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }
    @Test
    void aProfileOfAnIdleHandlerSaysSoWith409AndStoresNothing() throws Exception {
        PerfAvailability perf = PerfAvailability.shared();
        assumeTrue(perf.available(), () -> "perf cannot sample here: " + perf.reason().orElse("?"));
        TestApp app = TestApp.in(dir.resolve("idle"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['escaping_handler.py']}}}")
                .handler("escaping_handler.py")
                .httpFunction("spin", "['get']");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(dir.resolve("data")))) {
            host.awaitHandler();
            HttpResponse<String> idle = host.send(HttpRequest.newBuilder(host.uri("/admin/functions/spin/profile?seconds=1"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(idle.statusCode()).as(idle.body()).isEqualTo(409);
            assertThat(idle.headers().firstValue("X-Flint-Error")).contains("profile-empty");
            assertThat(idle.body()).contains("no samples in the 1 s window");
            JsonNode stored = JSON.readTree(host.get("/admin/traces").body()).path("traces");
            assertThat(stored.isArray()).isTrue();
            assertThat(stored.size()).as("nothing stored").isZero();
        }
    }

    @Test
    void flintsOwnJvmIsProfiledWithJfrWithoutPerf() throws Exception {
        TestApp app = TestApp.in(dir.resolve("host-profiled"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'node','arguments':['limits_handler.js']}}}")
                .handler("limits_handler.js")
                .httpFunction("fast", "['get']");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(dir.resolve("data")))) {
            host.awaitHandler();
            HttpResponse<String> profiled = host.postWhileLoading("/admin/host/profile?seconds=1&frequency=5000", "/api/fast");
            assertThat(profiled.statusCode()).as(profiled.body()).isEqualTo(201);
            JsonNode answer = JSON.readTree(profiled.body());
            assertThat(answer.path("function").asText()).isEqualTo("flint-host");
            JsonNode entry = JSON.readTree(host.get("/admin/traces/" + answer.path("id").asText()).body());
            assertThat(entry.path("format").asText()).as(entry.toString()).isEqualTo("jfr");
            assertThat(entry.path("labels").path("function").asText()).isEqualTo("flint-host");
            assertThat(entry.path("labels").path("sampling").asText()).isEqualTo("jfr");
            assertThat(entry.path("labels").path("frequency").asText()).as("JFR's ceiling").isEqualTo("1000");
            assertThat(entry.path("labels").path("pids").asText()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            String folded = host.get("/admin/traces/" + answer.path("id").asText() + "/folded").body();
            assertThat(folded).as("the host's own request path, by name").contains("dev.flint.host.");
            JsonNode marks = JSON.readTree(host.get("/admin/traces/" + answer.path("id").asText() + "/invocations").body());
            assertThat(marks.path("count").asInt()).as("the invocations served meanwhile").isPositive();

            HttpResponse<String> bad = host.send(HttpRequest.newBuilder(host.uri("/admin/host/profile?seconds=0"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("X-Flint-Error")).contains("bad-admin-request");
        }
    }
}
