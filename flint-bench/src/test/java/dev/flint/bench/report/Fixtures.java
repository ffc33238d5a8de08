package dev.flint.bench.report;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Results with known latencies for the report tests. */
final class Fixtures {

    static final Instant STARTED = Instant.parse("2025-06-01T10:00:00.123456789Z");
    static final long MS = 1_000_000;
    static final long US = 1_000;

    private Fixtures() {}

    static Histogram histogram() {
        return new Histogram(3_600_000_000_000L, 3);
    }

    /** {@code count} values of {@code nanos}, then {@code tailCount} of {@code tailNanos}. */
    static Histogram twoValues(long count, long nanos, long tailCount, long tailNanos) {
        Histogram h = histogram();
        h.recordValueWithCount(nanos, count);
        if (tailCount > 0) {
            h.recordValueWithCount(tailNanos, tailCount);
        }
        return h;
    }

    /** One value of each of 1..n microseconds. */
    static Histogram uniformMicros(int n) {
        Histogram h = histogram();
        for (int i = 1; i <= n; i++) {
            h.recordValue(i * US);
        }
        return h;
    }

    static RunSettings closed(Duration duration) {
        return new RunSettings(Mode.CLOSED, 64, 0, Duration.ofSeconds(5), Duration.ZERO, duration, 0, 1);
    }

    static TargetResult target(String name, Histogram latency, Map<Integer, Long> statuses, Map<String, Long> errors) {
        return new TargetResult(name, "http://localhost:7071/api/" + name, "GET", 10_000_000_000L,
                latency.getTotalCount(), latency.getTotalCount() * 250, new TreeMap<>(statuses), new TreeMap<>(errors),
                latency, null);
    }

    static TargetResult ok(String name, Histogram latency) {
        return target(name, latency, Map.of(200, latency.getTotalCount()), Map.of());
    }

    static BenchResult result(RunSettings settings, TargetResult... targets) {
        return new BenchResult(STARTED, settings, Arrays.asList(targets));
    }

    static BenchResult result(TargetResult... targets) {
        return new BenchResult(STARTED, closed(Duration.ofSeconds(10)), List.of(targets));
    }
}
