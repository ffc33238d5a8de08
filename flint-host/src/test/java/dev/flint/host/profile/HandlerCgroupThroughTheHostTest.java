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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where cgroup v2 is writable, the handler runs in a cgroup of its own: a process it leaves behind
 * outside its process tree is still in that cgroup, is sampled with it, and is killed when Flint stops.
 */
class HandlerCgroupThroughTheHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theHandlerAndWhatItLeavesBehindRunInItsCgroupAndStopWithFlint() throws Exception {
        CgroupV2.Detection cgroups = CgroupV2.shared();
        if (cgroups.cgroups().isEmpty()) {
            System.out.println("HandlerCgroupThroughTheHostTest skipped: " + cgroups.reason().orElse("?"));
        }
        assumeTrue(cgroups.cgroups().isPresent(), () -> "no handler cgroups here: " + cgroups.reason().orElse("?"));
        TestApp app = TestApp.in(dir.resolve("escaping"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['escaping_handler.py']}}}")
                .handler("escaping_handler.py")
                .httpFunction("spin", "['get']");
        long escaped;
        Path cgroupDir;
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(dir.resolve("data")))) {
            long handlerPid = host.awaitHandler().pid();
            Path pidFile = app.root().resolve("escaped.pid");
            escaped = Long.parseLong(Files.readString(pidFile).trim()); // written before the handler listens
            assertThat(ProcessHandle.of(escaped).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .as("the sleep left the handler's process tree").isNotEqualTo(Optional.of(handlerPid));

            Optional<String> handlerCgroup = CgroupV2.cgroupOf(Long.toString(handlerPid));
            assertThat(handlerCgroup).isPresent();
            assertThat(handlerCgroup.get()).endsWith("/flint-" + ProcessHandle.current().pid() + "/escaping");
            assertThat(CgroupV2.cgroupOf(Long.toString(escaped))).as("born in the handler's cgroup").isEqualTo(handlerCgroup);
            cgroupDir = cgroups.cgroups().get().mount().resolve(handlerCgroup.get().substring(1));
            assertThat(cgroupDir).isDirectory();

            PerfAvailability perf = PerfAvailability.shared();
            if (perf.available() && perf.systemWide()) {
                HttpResponse<String> profiled = host.postWhileLoading("/admin/functions/spin/profile?seconds=1", "/api/spin");
                assertThat(profiled.statusCode()).as(profiled.body()).isEqualTo(201);
                JsonNode entry = JSON.readTree(host.get("/admin/traces/" + JSON.readTree(profiled.body()).path("id").asText()).body());
                assertThat(entry.path("labels").path("sampling").asText()).as(entry.toString()).isEqualTo("cgroup");
                assertThat(entry.path("samples").asLong()).as("the busy handler was sampled through its cgroup").isPositive();
            } else {
                System.out.println("HandlerCgroupThroughTheHostTest: sampling by cgroup not checked: "
                        + perf.reason().or(perf::systemWideReason).orElse("?"));
            }
        }
        ProcessHandle left = ProcessHandle.of(escaped).orElse(null);
        if (left != null) {
            left.onExit().get(5, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(escaped).map(ProcessHandle::isAlive)).as("killed with its cgroup").isNotEqualTo(Optional.of(true));
        assertThat(cgroupDir).as("the cgroup is removed").doesNotExist();
    }
}
