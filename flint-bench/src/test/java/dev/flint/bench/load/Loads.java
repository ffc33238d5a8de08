package dev.flint.bench.load;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs loads in tests, on one engine the whole test JVM shares (its threads are daemons). */
final class Loads {

    static final LoadEngine ENGINE = new LoadEngine(2);

    private Loads() {}

    static TargetResult run(LoadPlan plan, String url) throws InterruptedException {
        return run(plan, RequestSpec.of("GET", url));
    }

    static TargetResult run(LoadPlan plan, RequestSpec request) throws InterruptedException {
        BenchResult result = new BenchRunner(ENGINE, plan, Progress.NONE)
                .run(List.of(new BenchRunner.Target("target", request, null)));
        return result.targets().get(0);
    }

    /** A closed-loop plan of {@code connections} for {@code millis} ms, no warm-up, a 2 s timeout. */
    static LoadPlan closed(int connections, long millis) {
        return LoadPlan.closed(connections, Duration.ofMillis(millis)).withWarmup(Duration.ZERO)
                .withTimeout(Duration.ofSeconds(2)).withThreads(2);
    }

    static LoadPlan rate(double perSecond, int connections, long millis) {
        return LoadPlan.rate(perSecond, connections, Duration.ofMillis(millis)).withWarmup(Duration.ZERO)
                .withTimeout(Duration.ofSeconds(2)).withThreads(2);
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static long ms(double millis) {
        return (long) (millis * TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Answers whose latency is at least {@code nanos}. */
    static long countAtLeast(TargetResult result, long nanos) {
        return result.latency().getCountBetweenValues(nanos, result.latency().getMaxValue() + 1);
    }
}
