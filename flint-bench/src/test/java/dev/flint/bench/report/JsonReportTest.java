package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two targets with odd values everywhere a conversion could lose something. */
    private static BenchResult sample() {
        Histogram a = Fixtures.uniformMicros(1000);
        a.recordValueWithCount(2_500_000_000L, 3);
        TargetResult python = new TargetResult("python", "http://localhost:7071/api/circle?radius=2", "GET",
                30_000_000_123L, 1003, 123_457, new TreeMap<>(Map.of(200, 1000L, 503, 3L)),
                new TreeMap<>(Map.of("timeout", 2L, "connect", 1L)), a, "http://localhost:7071/admin/traces/abc?x=1&y=2");
        TargetResult rust = new TargetResult("rust <&\"'> ü", "http://localhost:7072/api/circle", "POST",
                123_456_789_012_345L, 10_100, 9_876_543_210L, new TreeMap<>(Map.of(200, 10_100L)), new TreeMap<>(),
                Fixtures.twoValues(10_000, MS, 100, 50 * MS), null);
        RunSettings settings = new RunSettings(Mode.RATE, 16, 1234.5, Duration.ofNanos(5_000_000_001L),
                Duration.ofMillis(1500), Duration.ofSeconds(30), 0, 3);
        return Fixtures.result(settings, python, rust);
    }

    private static byte[] bytes(BenchResult result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonReport.write(result, out);
        return out.toByteArray();
    }

    private static ObjectNode tree(BenchResult result) throws IOException {
        return (ObjectNode) JSON.readTree(bytes(result));
    }

    private static BenchResult read(String json) throws IOException {
        return JsonReport.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readGivesBackTheResultThatWasWritten() throws IOException {
        BenchResult original = sample();
        BenchResult back = JsonReport.read(new ByteArrayInputStream(bytes(original)));

        assertThat(back).isEqualTo(original);
        for (int i = 0; i < original.targets().size(); i++) {
            TargetResult o = original.targets().get(i);
            TargetResult b = back.targets().get(i);
            assertThat(b.latency()).isNotSameAs(o.latency()).isEqualTo(o.latency());
            assertThat(b.latency().getTotalCount()).isEqualTo(o.latency().getTotalCount());
            assertThat(b.percentileNanos(99.99)).isEqualTo(o.percentileNanos(99.99));
            assertThat(b.measuredNanos()).isEqualTo(o.measuredNanos());
            assertThat(b.traceUrl()).isEqualTo(o.traceUrl());
        }
        assertThat(back.started()).isEqualTo(original.started());
        assertThat(back.settings().warmup()).isEqualTo(Duration.ofNanos(5_000_000_001L));
    }

    @Test
    void aCountBoundRunAndATargetWithoutAnswersRoundTripToo() throws IOException {
        TargetResult down = new TargetResult("down", "http://localhost:1/", "GET", 1_000_000_000L, 0, 0, new TreeMap<>(),
                new TreeMap<>(Map.of("connect", 50L)), Fixtures.histogram(), null);
        RunSettings settings = new RunSettings(Mode.CLOSED, 1, 0, Duration.ZERO, Duration.ZERO, null, 50, 1);
        BenchResult original = Fixtures.result(settings, down);

        ObjectNode json = tree(original);
        assertThat(json.at("/settings/durationSeconds").isNull()).isTrue();
        assertThat(json.at("/targets/0/latencyMicros/p99").isNull()).isTrue();
        assertThat(json.at("/targets/0/latencyDistribution").isEmpty()).isTrue();
        assertThat(JsonReport.read(new ByteArrayInputStream(bytes(original)))).isEqualTo(original);
    }

    @Test
    void theJsonFollowsTheDocumentedSchema() throws Exception {
        BenchResult result = sample();
        ObjectNode json = tree(result);

        assertThat(json.get("schema").asText()).isEqualTo("flint-bench/1");
        assertThat(json.get("started").asText()).isEqualTo("2025-06-01T10:00:00.123456789Z");
        JsonNode s = json.get("settings");
        assertThat(s.get("mode").asText()).isEqualTo("rate");
        assertThat(s.get("connections").asInt()).isEqualTo(16);
        assertThat(s.get("ratePerSecond").asDouble()).isEqualTo(1234.5);
        assertThat(s.get("warmupSeconds").asDouble()).isEqualTo(5.000000001);
        assertThat(s.get("rampSeconds").asDouble()).isEqualTo(1.5);
        assertThat(s.get("durationSeconds").asDouble()).isEqualTo(30.0);
        assertThat(s.get("requestLimit").asLong()).isZero();
        assertThat(s.get("rounds").asInt()).isEqualTo(3);

        JsonNode t = json.get("targets").get(0);
        assertThat(t.get("name").asText()).isEqualTo("python");
        assertThat(t.get("url").asText()).isEqualTo("http://localhost:7071/api/circle?radius=2");
        assertThat(t.get("method").asText()).isEqualTo("GET");
        assertThat(t.get("measuredSeconds").asDouble()).isEqualTo(30.000000123);
        assertThat(t.get("requests").asLong()).isEqualTo(1003);
        assertThat(t.get("requestsPerSecond").asDouble()).isEqualTo(1003 * 1e9 / 30_000_000_123L);
        assertThat(t.get("bytesReceived").asLong()).isEqualTo(123_457);
        assertThat(t.get("statuses").get("200").asLong()).isEqualTo(1000);
        assertThat(t.get("statuses").get("503").asLong()).isEqualTo(3);
        assertThat(t.get("errors").get("timeout").asLong()).isEqualTo(2);
        assertThat(t.get("failures").asLong()).isEqualTo(6);
        assertThat(t.get("traceUrl").asText()).isEqualTo("http://localhost:7071/admin/traces/abc?x=1&y=2");
        assertThat(json.get("targets").get(1).get("traceUrl").isNull()).isTrue();

        // Microseconds, from HdrHistogram's own percentiles (nanoseconds / 1000).
        Histogram h = result.targets().get(0).latency();
        JsonNode micros = t.get("latencyMicros");
        assertThat(micros.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly("min", "p50", "p75", "p90", "p99", "p99.9", "p99.99", "max", "mean", "stdev");
        // 1003 values: p50 is the 502nd (502 µs), p99 the 993rd, each the top of its HdrHistogram bucket.
        assertThat(micros.get("p50").asDouble()).isEqualTo(502.015);
        assertThat(micros.get("p75").asDouble()).isEqualTo(h.getValueAtPercentile(75) / 1e3);
        assertThat(micros.get("p99").asDouble()).isEqualTo(993.279);
        assertThat(micros.get("p99.9").asDouble()).isEqualTo(h.getValueAtPercentile(99.9) / 1e3);
        assertThat(micros.get("max").asDouble()).isEqualTo(h.getMaxValue() / 1e3).isGreaterThan(2_500_000);
        assertThat(micros.get("mean").asDouble()).isEqualTo(h.getMean() / 1e3);

        ArrayNode distribution = (ArrayNode) t.get("latencyDistribution");
        assertThat(distribution.size()).isEqualTo(Distribution.of(h).size()).isGreaterThan(20);
        JsonNode first = distribution.get(0);
        JsonNode last = distribution.get(distribution.size() - 1);
        assertThat(first.get("percentile").asDouble()).isZero();
        assertThat(first.get("micros").asDouble()).isEqualTo(1.0);
        assertThat(first.get("count").asLong()).isEqualTo(1);
        assertThat(last.get("percentile").asDouble()).isEqualTo(100.0);
        assertThat(last.get("micros").asDouble()).isEqualTo(h.getMaxValue() / 1e3);
        assertThat(last.get("count").asLong()).isEqualTo(1003);
        for (int i = 1; i < distribution.size(); i++) {
            assertThat(distribution.get(i).get("percentile").asDouble())
                    .isGreaterThan(distribution.get(i - 1).get("percentile").asDouble());
            assertThat(distribution.get(i).get("micros").asDouble())
                    .isGreaterThanOrEqualTo(distribution.get(i - 1).get("micros").asDouble());
        }

        // The histogram field is HdrHistogram's compressed encoding, readable without flint.
        byte[] encoded = Base64.getDecoder().decode(t.get("histogram").asText());
        assertThat(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0)).isEqualTo(h);
    }

    @Test
    void writeAndReadLeaveTheirStreamsOpen() throws IOException {
        boolean[] closed = new boolean[2];
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        JsonReport.write(sample(), out);
        assertThat(closed[0]).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("}\n");

        InputStream in = new ByteArrayInputStream(out.toByteArray()) {
            @Override
            public void close() {
                closed[1] = true;
            }
        };
        JsonReport.read(in);
        assertThat(closed[1]).isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // Malformed input: every case names the field at fault.

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("no targets", j -> j.remove("targets"), "targets", "missing"),
                bad("empty targets", j -> j.putArray("targets"), "targets", "empty"),
                bad("targets not an array", j -> j.put("targets", "x"), "targets", "not an array"),
                bad("target not an object", j -> ((ArrayNode) j.get("targets")).set(1, 7), "targets[1]", "not an object"),
                bad("unknown schema version", j -> j.put("schema", "flint-bench/2"), "schema", "unsupported version \"flint-bench/2\""),
                bad("no schema", j -> j.remove("schema"), "schema", "missing"),
                bad("schema not a string", j -> j.put("schema", 1), "schema", "unsupported version a number"),
                bad("bad started", j -> j.put("started", "yesterday"), "started", "not an ISO-8601 instant"),
                bad("no settings", j -> j.remove("settings"), "settings", "missing"),
                bad("unknown mode", j -> settings(j).put("mode", "open"), "settings.mode", "neither"),
                bad("zero connections", j -> settings(j).put("connections", 0), "settings.connections", "out of range"),
                bad("fractional rounds", j -> settings(j).put("rounds", 1.5), "settings.rounds", "not an integer"),
                bad("negative warm-up", j -> settings(j).put("warmupSeconds", -1), "settings.warmupSeconds", "0 or more"),
                bad("warm-up as text", j -> settings(j).put("warmupSeconds", "5s"), "settings.warmupSeconds", "not a number"),
                bad("no bound", j -> settings(j).putNull("durationSeconds"), "settings.durationSeconds", "requestLimit is 0"),
                bad("no name", j -> target(j, 0).remove("name"), "targets[0].name", "missing"),
                bad("name not text", j -> target(j, 0).put("name", 3), "targets[0].name", "not a string"),
                bad("null url", j -> target(j, 1).putNull("url"), "targets[1].url", "null"),
                bad("negative requests", j -> target(j, 0).put("requests", -1), "targets[0].requests", "negative count -1"),
                bad("requests too big", j -> target(j, 0).put("requests", new java.math.BigInteger("99999999999999999999")),
                        "targets[0].requests", "out of range"),
                bad("negative bytes", j -> target(j, 1).put("bytesReceived", -5), "targets[1].bytesReceived", "negative"),
                bad("negative measured", j -> target(j, 1).put("measuredSeconds", -0.5), "targets[1].measuredSeconds", "0 or more"),
                bad("negative status count", j -> statuses(j, 0).put("503", -2), "targets[0].statuses.503", "negative count -2"),
                bad("status not a code", j -> statuses(j, 0).put("abc", 1), "targets[0].statuses.abc", "not an HTTP status code"),
                bad("status with a space", j -> statuses(j, 0).put("2 0", 1), "targets[0].statuses[\"2 0\"]", "not an HTTP status code"),
                bad("statuses not an object", j -> target(j, 0).putArray("statuses"), "targets[0].statuses", "not an object"),
                bad("error count as text", j -> ((ObjectNode) target(j, 0).get("errors")).put("timeout", "2"),
                        "targets[0].errors.timeout", "not an integer"),
                bad("trace not text", j -> target(j, 0).put("traceUrl", true), "targets[0].traceUrl", "not a string"),
                bad("no histogram", j -> target(j, 1).remove("histogram"), "targets[1].histogram", "missing"),
                bad("histogram not base64", j -> target(j, 1).put("histogram", "not*base64!"), "targets[1].histogram", "not base64"),
                bad("histogram not a histogram", j -> target(j, 1).put("histogram", "AAAAAAAAAAAA"), "targets[1].histogram",
                        "not an HdrHistogram compressed histogram"),
                bad("histogram truncated", j -> target(j, 1).put("histogram", truncated(target(j, 1).get("histogram").asText())),
                        "targets[1].histogram", "not an HdrHistogram compressed histogram"),
                bad("negative histogram count", j -> target(j, 0).put("histogram", withNegativeCount()),
                        "targets[0].histogram", "negative count -3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputNamesTheField(String description, Consumer<ObjectNode> change, String field, String problem)
            throws IOException {
        ObjectNode json = tree(sample());
        change.accept(json);
        String text = JSON.writeValueAsString(json);

        assertThatThrownBy(() -> read(text))
                .isInstanceOf(ReportFormatException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((ReportFormatException) e).field()).isEqualTo(field));
    }

    @Test
    void theUnchangedTreeReads() throws IOException {
        // What the malformed cases start from is valid: each fails only for its own change.
        assertThat(read(JSON.writeValueAsString(tree(sample())))).isEqualTo(sample());
    }

    @Test
    void notJsonAtAllIsRefusedAsAWhole() {
        assertThatThrownBy(() -> read("")).isInstanceOf(ReportFormatException.class).hasMessageStartingWith("$: empty");
        assertThatThrownBy(() -> read("{\"schema\": ")).isInstanceOf(ReportFormatException.class)
                .hasMessageStartingWith("$: not JSON at line 1");
        assertThatThrownBy(() -> read("[1, 2]")).isInstanceOf(ReportFormatException.class)
                .hasMessage("$: not a JSON object but an array");
        assertThatThrownBy(() -> read("{} {}")).isInstanceOf(ReportFormatException.class)
                .hasMessageStartingWith("$: not JSON");
        assertThatThrownBy(() -> read("{\"schema\": \"flint-bench/1\", \"schema\": \"flint-bench/1\"}"))
                .isInstanceOf(ReportFormatException.class).hasMessageContaining("Duplicate field 'schema'");
    }

    @Test
    void derivedAndUnknownFieldsAreIgnored() throws IOException {
        ObjectNode json = tree(sample());
        target(json, 0).put("failures", 999).put("requestsPerSecond", -1).put("latencyMicros", "whatever");
        json.put("comment", "added by a later flint");

        BenchResult back = read(JSON.writeValueAsString(json));

        assertThat(back).isEqualTo(sample());
        assertThat(back.targets().get(0).failures()).isEqualTo(6);
    }

    private static Arguments bad(String description, Consumer<ObjectNode> change, String field, String problem) {
        return Arguments.of(description, change, field, problem);
    }

    private static ObjectNode settings(ObjectNode json) {
        return (ObjectNode) json.get("settings");
    }

    private static ObjectNode target(ObjectNode json, int i) {
        return (ObjectNode) json.get("targets").get(i);
    }

    private static ObjectNode statuses(ObjectNode json, int i) {
        return (ObjectNode) target(json, i).get("statuses");
    }

    private static String truncated(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    /**
     * A histogram with a count of -3, in HdrHistogram's older (V1) compressed encoding, which stores
     * counts as plain words and so can carry one: the current encoder refuses to write it.
     */
    private static String withNegativeCount() {
        int words = 4096;
        ByteBuffer inner = ByteBuffer.allocate(40 + words * 8);
        inner.putInt(0x1c849301 + (8 << 4)).putInt(words * 8).putInt(0).putInt(3);
        inner.putLong(1).putLong(3_600_000_000_000L).putDouble(1.0);
        for (int i = 0; i < words; i++) {
            inner.putLong(i == 100 ? 10 : i == 200 ? -3 : 0);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(inner.array());
        deflater.finish();
        byte[] compressed = new byte[inner.capacity() + 1024];
        int n = deflater.deflate(compressed);
        deflater.end();
        ByteBuffer outer = ByteBuffer.allocate(8 + n).putInt(0x1c849302 + (8 << 4)).putInt(n).put(compressed, 0, n);
        return Base64.getEncoder().encodeToString(outer.array());
    }

    @Test
    void theNegativeCountFixtureIsOtherwiseAValidHistogram() throws Exception {
        // Guards the case above: without the negative count check, this histogram would be accepted.
        byte[] bytes = Base64.getDecoder().decode(withNegativeCount());
        Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        assertThat(h.getTotalCount()).isEqualTo(10);
        assertThat(h.getCountAtValue(200)).isEqualTo(-3);
        assertThat(List.of(h.getCountAtValue(100))).containsExactly(10L);
    }
}
