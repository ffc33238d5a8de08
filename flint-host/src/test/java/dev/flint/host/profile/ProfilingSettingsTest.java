package dev.flint.host.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfilingSettingsTest {

    private static final Path HOST_JSON = Path.of("/srv/app/host.json");
    private final List<String> problems = new ArrayList<>();

    private ProfilingSettings parse(String json) throws Exception {
        JsonNode root = new ObjectMapper().readTree(json);
        return ProfilingSettings.parse(root.get("profiling"), HOST_JSON, problems);
    }

    @Test
    void noSectionIsOffWithTheDefaults() throws Exception {
        ProfilingSettings s = parse("{\"version\": \"2.0\"}");
        assertThat(s).isEqualTo(ProfilingSettings.DEFAULT);
        assertThat(s.enabled()).isFalse();
        assertThat(s.frequencyHz()).isEqualTo(200);
        assertThat(s.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.jvmMode()).isEqualTo(ProfilingSettings.JvmMode.PERF_MAP);
        assertThat(parse("{\"profiling\": null}")).isEqualTo(ProfilingSettings.DEFAULT);
        assertThat(problems).isEmpty();
    }

    @Test
    void anEmptySectionTurnsProfilingOn() throws Exception {
        assertThat(parse("{\"profiling\": {}}")).isEqualTo(ProfilingSettings.DEFAULT.withEnabled(true));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyField() throws Exception {
        ProfilingSettings s = parse("""
                {"profiling": {"Enabled": false, "frequency": 199, "window": "00:00:30",
                  "retention": {"maxAge": "7.00:00:00", "maxTotalSize": "512MB"}, "jvm": "async-profiler",
                  "sampling": "pid"}}""");
        assertThat(problems).isEmpty();
        assertThat(s).isEqualTo(new ProfilingSettings(false, 199, Duration.ofSeconds(30),
                new ProfilingSettings.Retention(Duration.ofDays(7), 512L << 20), ProfilingSettings.JvmMode.ASYNC_PROFILER,
                false));
    }

    @Test
    void windowsAndAgesInEveryForm() throws Exception {
        assertThat(parse("{\"profiling\": {\"window\": 5}}").window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("{\"profiling\": {\"window\": \"2.5s\"}}").window()).isEqualTo(Duration.ofMillis(2500));
        assertThat(parse("{\"profiling\": {\"window\": \"1m\"}}").window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(parse("{\"profiling\": {\"window\": \"15\"}}").window()).isEqualTo(Duration.ofSeconds(15));
        assertThat(parse("{\"profiling\": {\"retention\": {\"maxAge\": \"12h\", \"maxTotalSize\": 1000}}}").retention())
                .isEqualTo(new ProfilingSettings.Retention(Duration.ofHours(12), 1000));
        assertThat(parse("{\"profiling\": {\"retention\": {\"maxAge\": \"7d\", \"maxTotalSize\": \"2GiB\"}}}").retention())
                .isEqualTo(new ProfilingSettings.Retention(Duration.ofDays(7), 2L << 30));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMistakeIsReportedWithFilePathAndWhatWasExpected() throws Exception {
        ProfilingSettings s = parse("""
                {"profiling": {"enabled": "yes", "frequency": "fast", "window": "2h", "frequncy": 99,
                  "retention": {"maxAge": "soon", "maxTotalSize": "lots", "keep": 3}, "jvm": "jfr",
                  "sampling": "cpu"}}""");
        assertThat(problems).containsExactlyInAnyOrder(
                "/srv/app/host.json: $.profiling.frequncy: unknown setting; expected one of enabled, frequency, window, retention, jvm, sampling",
                "/srv/app/host.json: $.profiling.enabled: expected true or false, found \"yes\"",
                "/srv/app/host.json: $.profiling.frequency: expected a whole number of samples per second from 1 to 100000"
                        + " (default 200; an off-round value such as 199 avoids lockstep with periodic work), found \"fast\"",
                "/srv/app/host.json: $.profiling.window: expected a window from 1 s to 1 h, as \"hh:mm:ss\" (\"00:00:10\"),"
                        + " \"10s\" or a number of seconds, found \"2h\"",
                "/srv/app/host.json: $.profiling.retention.keep: unknown setting; expected one of maxAge, maxTotalSize",
                "/srv/app/host.json: $.profiling.retention.maxAge: expected an age of at least 1 s, as \"d.hh:mm:ss\""
                        + " (\"7.00:00:00\"), \"12h\", \"7d\" or a number of seconds, found \"soon\"",
                "/srv/app/host.json: $.profiling.retention.maxTotalSize: expected a size such as \"1GB\", \"500MB\" or a"
                        + " number of bytes (units are powers of 1024), found \"lots\"",
                "/srv/app/host.json: $.profiling.jvm: expected \"perf-map\" (perf with frame pointers and a JIT map) or"
                        + " \"async-profiler\", found \"jfr\"",
                "/srv/app/host.json: $.profiling.sampling: expected \"auto\" (the handler's cgroup where it has one,"
                        + " else its pids) or \"pid\", found \"cpu\"");
        // Each field in error takes its default, so the rest of the app can still be checked.
        assertThat(s).isEqualTo(ProfilingSettings.DEFAULT.withEnabled(true));
    }

    @Test
    void outOfRangeNumbers() throws Exception {
        parse("{\"profiling\": {\"frequency\": 0, \"window\": 0.5}}");
        parse("{\"profiling\": {\"frequency\": 100001, \"window\": \"00:00:00\"}}");
        parse("{\"profiling\": {\"frequency\": 199.5}}");
        parse("{\"profiling\": [1]}");
        parse("{\"profiling\": {\"retention\": \"7d\"}}");
        assertThat(problems).containsExactly(
                "/srv/app/host.json: $.profiling.frequency: expected a whole number of samples per second from 1 to 100000"
                        + " (default 200; an off-round value such as 199 avoids lockstep with periodic work), found 0",
                "/srv/app/host.json: $.profiling.window: expected a window from 1 s to 1 h, as \"hh:mm:ss\" (\"00:00:10\"),"
                        + " \"10s\" or a number of seconds, found 0.5",
                "/srv/app/host.json: $.profiling.frequency: expected a whole number of samples per second from 1 to 100000"
                        + " (default 200; an off-round value such as 199 avoids lockstep with periodic work), found 100001",
                "/srv/app/host.json: $.profiling.window: expected a window from 1 s to 1 h, as \"hh:mm:ss\" (\"00:00:10\"),"
                        + " \"10s\" or a number of seconds, found \"00:00:00\"",
                "/srv/app/host.json: $.profiling.frequency: expected a whole number of samples per second from 1 to 100000"
                        + " (default 200; an off-round value such as 199 avoids lockstep with periodic work), found 199.5",
                "/srv/app/host.json: $.profiling: expected an object such as {\"frequency\": 200, \"window\": \"00:00:10\"},"
                        + " found an array",
                "/srv/app/host.json: $.profiling.retention: expected an object such as {\"maxAge\": \"7.00:00:00\","
                        + " \"maxTotalSize\": \"1GB\"}, found \"7d\"");
    }

    @Test
    void anyFrequencyIsAccepted() throws Exception {
        for (int hz : new int[] {1, 49, 99, 199, 200, 997, 1000, 4000}) {
            assertThat(parse("{\"profiling\": {\"frequency\": " + hz + "}}").frequencyHz()).isEqualTo(hz);
        }
        assertThat(problems).isEmpty();
    }
}
