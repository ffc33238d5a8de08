package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TextReportTest {

    /** 1,000 requests of 1..1000 µs at a constant 500/s. */
    private static BenchResult uniform() {
        Histogram h = Fixtures.uniformMicros(1000);
        TargetResult t = new TargetResult("uniform", "http://localhost:7071/api/u", "POST", 2_000_000_000L, 1000,
                1_000_000, new TreeMap<>(Map.of(200, 1000L)), new TreeMap<>(), h, null);
        RunSettings s = new RunSettings(Mode.RATE, 8, 500, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 0, 1);
        return Fixtures.result(s, t);
    }

    /**
     * A baseline with p99 2 ms (9,000 of 1 ms, 1,000 of 2 ms) and some failures, against one that is
     * 1 ms throughout and twice as fast in requests a second.
     */
    private static BenchResult compare() {
        TargetResult python = new TargetResult("python", "http://localhost:7071/api/python", "GET", 10_000_000_000L,
                10_000, 2_500_000, new TreeMap<>(Map.of(200, 9990L, 503, 10L)), new TreeMap<>(Map.of("timeout", 2L)),
                Fixtures.twoValues(9000, MS, 1000, 2 * MS), null);
        TargetResult rust = new TargetResult("rust", "http://localhost:7071/api/rust", "GET", 5_000_000_000L, 10_000,
                2_500_000, new TreeMap<>(Map.of(200, 10_000L)), new TreeMap<>(), Fixtures.twoValues(10_000, MS, 0, 0),
                "http://localhost:7071/admin/traces/t1");
        RunSettings s = new RunSettings(Mode.CLOSED, 64, 0, Duration.ofSeconds(5), Duration.ZERO, null, 10_000, 3);
        return Fixtures.result(s, python, rust);
    }

    @Test
    void oneTargetShowsSettingsThroughputAndExactPercentiles() {
        String report = TextReport.render(uniform());
        List<String> lines = report.lines().toList();

        assertThat(lines.get(0)).isEqualTo("flint bench: constant rate 500 requests/s (latency from intended send times),"
                + " 8 connections, warm-up 5s, ramp 1s, 2s measured, 1 round");
        assertThat(lines.get(1)).isEqualTo("started 2025-06-01 10:00:00 UTC");
        assertThat(lines.get(2)).isEqualTo("  uniform  POST http://localhost:7071/api/u");
        // HdrHistogram (3 digits) reports the highest value equivalent to the recorded one: 500 µs is 500.223.
        assertThat(lines).containsSubsequence(
                "                uniform",
                "Throughput",
                "  requests        1,000",
                "  requests/s     500.00",
                "  transfer    976.56KiB",
                "  transfer/s  488.28KiB",
                "  measured        2.00s",
                "Latency",
                "  p50          500.22µs",
                "  p90          900.10µs",
                "  p99          990.21µs",
                "  p99.9        999.42µs",
                "  p99.99         1.00ms",
                "  max            1.00ms",
                "  mean         500.50µs",
                "  stdev        288.68µs",
                "Outcomes",
                "  status 200      1,000",
                "  failed              0");
        assertThat(report).doesNotContain("FAILED").doesNotContain("baseline").doesNotContain("/uniform");
    }

    @Test
    void compareHasAColumnPerTargetAndRatiosAgainstTheBaseline() {
        List<String> lines = TextReport.render(compare()).lines().toList();

        assertThat(lines.get(0)).isEqualTo("flint bench: closed loop, 64 connections per target, warm-up 5s,"
                + " 10,000 requests measured per target, 3 interleaved rounds");
        assertThat(lines).contains(
                "  python  GET http://localhost:7071/api/python  (baseline)",
                "  rust    GET http://localhost:7071/api/rust",
                "          trace http://localhost:7071/admin/traces/t1");
        assertThat(lines).containsSubsequence(
                "                     python       rust    rust/python",
                "Throughput",
                "  requests           10,000     10,000          1.00x",
                "  requests/s       1,000.00   2,000.00          2.00x",
                "  transfer          2.38MiB    2.38MiB          1.00x",
                "  transfer/s      244.14KiB  488.28KiB          2.00x",
                "  measured           10.00s      5.00s",
                "Latency",
                "  p50                1.00ms     1.00ms          1.00x",
                "  p90                1.00ms     1.00ms          1.00x",
                "  p99                2.00ms     1.00ms          0.50x",
                "  p99.9              2.00ms     1.00ms          0.50x",
                "  p99.99             2.00ms     1.00ms          0.50x",
                "  max                2.00ms     1.00ms          0.50x",
                "  mean               1.10ms     1.00ms          0.91x",
                "  stdev            300.06µs     0.00µs          0.00x",
                "Outcomes",
                "  status 200          9,990     10,000",
                "  status 503             10          0",
                "  error timeout           2          0",
                "  failed         12 (0.12%)          0");
    }

    @Test
    void failuresStandOutWithTheirBreakdown() {
        List<String> lines = TextReport.render(compare()).lines().toList();

        // 10 answers of 503 and 2 requests without an answer, of 10,000 answered + 2 unanswered.
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("FAILED python: 12 of 10,002 requests failed (0.12%): status 503: 10, timeout: 2");
        assertThat(lines).filteredOn(l -> l.startsWith("FAILED")).hasSize(1);
    }

    @Test
    void threeTargetsGetARatioColumnEachAndEveryLineOfTheTableIsAligned() {
        TargetResult a = Fixtures.ok("a", Fixtures.twoValues(100, 4 * MS, 0, 0));
        TargetResult b = Fixtures.ok("bb", Fixtures.twoValues(100, MS, 0, 0));
        TargetResult c = Fixtures.ok("c-long-name", Fixtures.twoValues(100, 8 * MS, 0, 0));
        String report = TextReport.render(Fixtures.result(a, b, c));
        List<String> lines = report.lines().toList();

        String header = lines.stream().filter(l -> l.contains("bb/a")).findFirst().orElseThrow();
        assertThat(header).contains("c-long-name/a");
        String p99 = lines.stream().filter(l -> l.startsWith("  p99 ")).findFirst().orElseThrow();
        assertThat(p99.trim().split(" +")).containsExactly("p99", "4.00ms", "1.00ms", "8.00ms", "0.25x", "2.00x");
        // Right-aligned columns: each value ends where its header ends.
        for (String value : List.of("4.00ms", "1.00ms", "8.00ms", "0.25x", "2.00x")) {
            int end = p99.indexOf(value) + value.length();
            String column = switch (value) {
                case "4.00ms" -> " a";
                case "1.00ms" -> "bb";
                case "8.00ms" -> "c-long-name";
                case "0.25x" -> "bb/a";
                default -> "c-long-name/a";
            };
            assertThat(header.indexOf(column) + column.length()).as(value).isEqualTo(end);
        }
    }

    @Test
    void aTargetWithoutAnswersShowsNoLatencyInsteadOfZero() {
        TargetResult base = Fixtures.ok("base", Fixtures.twoValues(100, MS, 0, 0));
        TargetResult down = new TargetResult("down", "http://localhost:1/", "GET", 1_000_000_000L, 0, 0, new TreeMap<>(),
                new TreeMap<>(Map.of("connect", 50L)), Fixtures.histogram(), null);
        List<String> lines = TextReport.render(Fixtures.result(base, down)).lines().toList();

        assertThat(lines).contains("  p99              1.00ms             -            -",
                "  stdev            0.00µs             -            -",
                "  failed                0  50 (100.00%)");
        assertThat(lines).contains("FAILED down: 50 of 50 requests failed (100.00%): connect: 50");
    }

    @Test
    void controlCharactersInNamesCannotDriveTheTerminal() {
        TargetResult t = Fixtures.ok("evil\u001b[31m\nname", Fixtures.twoValues(10, MS, 0, 0));
        String report = TextReport.render(Fixtures.result(t));

        assertThat(report).doesNotContain("\u001b").contains("evil\uFFFD[31m\uFFFDname");
        assertThat(report.lines().filter(l -> l.contains("name"))).allMatch(l -> l.contains("evil"));
    }
}
