package dev.flint.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several targets: interleaved rounds, summed per target. */
class CompareTest {

    private record Arrival(long nanos, String server) {}

    @Test
    void targetsRunInInterleavedRoundsAndAreSummedPerTarget() throws Exception {
        try (DelayServer a = DelayServer.fixed(Loads.ms(1)); DelayServer b = DelayServer.fixed(Loads.ms(2))) {
            LoadPlan plan = Loads.closed(2, 600).withRounds(3).withWarmup(Duration.ofMillis(100));
            List<Progress.Snapshot> snapshots = new ArrayList<>();
            BenchRunner runner = new BenchRunner(Loads.ENGINE, plan, snapshots::add);
            BenchResult result = runner.run(List.of(
                    new BenchRunner.Target("a", RequestSpec.of("GET", a.url("/a")), null),
                    new BenchRunner.Target("b", RequestSpec.of("GET", b.url("/b")), null)));

            assertThat(runner.rounds()).containsExactly(new BenchRunner.Round("a", 1), new BenchRunner.Round("b", 1),
                    new BenchRunner.Round("a", 2), new BenchRunner.Round("b", 2), new BenchRunner.Round("a", 3),
                    new BenchRunner.Round("b", 3));

            // What the servers saw: runs of requests to one server, alternating, three each (the
            // warm-up of each target just before its first round).
            List<Arrival> arrivals = new ArrayList<>();
            a.log().forEach(l -> arrivals.add(new Arrival(l.arrivalNanos(), "a")));
            b.log().forEach(l -> arrivals.add(new Arrival(l.arrivalNanos(), "b")));
            arrivals.sort(Comparator.comparingLong(Arrival::nanos));
            List<String> runs = new ArrayList<>();
            for (Arrival arrival : arrivals) {
                if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(arrival.server())) {
                    runs.add(arrival.server());
                }
            }
            assertThat(runs).containsExactly("a", "b", "a", "b", "a", "b");

            assertThat(result.settings().rounds()).isEqualTo(3);
            assertThat(result.targets()).extracting(TargetResult::name).containsExactly("a", "b");
            for (TargetResult target : result.targets()) {
                assertThat(Loads.millis(target.measuredNanos())).as(target.name()).isEqualTo(600.0);
                assertThat(target.errors()).isEmpty();
            }
            TargetResult fast = result.targets().get(0);
            TargetResult slow = result.targets().get(1);
            assertThat(fast.requests()).isGreaterThan(slow.requests());
            assertThat(fast.requests()).isLessThan(a.requests());
            assertThat(fast.percentileNanos(50)).isLessThan(slow.percentileNanos(50));
            assertThat(snapshots).extracting(Progress.Snapshot::target).contains("a", "b");
            assertThat(snapshots).extracting(Progress.Snapshot::phase).contains("warm-up", "measuring");
        }
    }

    @Test
    void countsAreSplitOverTheRounds() throws Exception {
        try (DelayServer a = DelayServer.fixed(0); DelayServer b = DelayServer.fixed(0)) {
            LoadPlan plan = Loads.closed(3, 0).withDuration(null).withRequests(1001).withRounds(4);
            BenchResult result = new BenchRunner(Loads.ENGINE, plan, Progress.NONE).run(List.of(
                    new BenchRunner.Target("a", RequestSpec.of("GET", a.url("/")), null),
                    new BenchRunner.Target("b", RequestSpec.of("GET", b.url("/")), null)));

            assertThat(result.targets()).extracting(TargetResult::requests).containsExactly(1001L, 1001L);
            assertThat(a.requests()).isEqualTo(1001);
        }
    }

    @Test
    void aSingleTargetRunsInOneRound() throws Exception {
        try (DelayServer a = DelayServer.fixed(0)) {
            BenchRunner runner = new BenchRunner(Loads.ENGINE, Loads.closed(2, 100).withRounds(5), Progress.NONE);
            BenchResult result = runner.run(List.of(new BenchRunner.Target("a", RequestSpec.of("GET", a.url("/")), null)));
            assertThat(runner.rounds()).containsExactly(new BenchRunner.Round("a", 1));
            assertThat(result.settings().rounds()).isEqualTo(1);
        }
    }

    @Test
    void theProfileHookHearsOfEachFunctionTargetsMeasuredPhase() throws Exception {
        try (DelayServer a = DelayServer.fixed(0); DelayServer b = DelayServer.fixed(0)) {
            List<String> heard = new ArrayList<>();
            long[] measuredFrom = new long[1];
            BenchRunner runner = new BenchRunner(Loads.ENGINE, Loads.closed(1, 400).withRounds(2)
                    .withWarmup(Duration.ofMillis(300)), Progress.NONE)
                    .profile((target, window) -> {
                        heard.add(target.name() + " " + window.toMillis());
                        measuredFrom[0] = System.nanoTime();
                        return java.util.concurrent.CompletableFuture.completedFuture("http://flint/admin/traces/x/svg");
                    }, null);
            long start = System.nanoTime();
            BenchResult result = runner.run(List.of(
                    new BenchRunner.Target("a", RequestSpec.of("GET", a.url("/")), "circle"),
                    new BenchRunner.Target("b", RequestSpec.of("GET", b.url("/")), null)));

            assertThat(heard).containsExactly("a 200");
            assertThat(Loads.millis(measuredFrom[0] - start)).as("after the warm-up").isBetween(300.0, 450.0);
            assertThat(result.targets().get(0).traceUrl()).isEqualTo("http://flint/admin/traces/x/svg");
            assertThat(result.targets().get(1).traceUrl()).isNull();
        }
    }

    @Test
    void stopEndsTheRunSoonWithWhatWasMeasured() throws Exception {
        try (DelayServer a = DelayServer.fixed(0)) {
            BenchRunner runner = new BenchRunner(Loads.ENGINE, Loads.closed(2, 60_000), Progress.NONE);
            Thread stopper = new Thread(() -> {
                while (a.requests() < 100) {
                    Thread.onSpinWait();
                }
                runner.stop();
            });
            stopper.start();
            long start = System.nanoTime();
            BenchResult result = runner.run(List.of(new BenchRunner.Target("a", RequestSpec.of("GET", a.url("/")), null)));
            stopper.join();

            assertThat(runner.stopped()).isTrue();
            assertThat(Loads.millis(System.nanoTime() - start)).isLessThan(3000.0);
            TargetResult target = result.targets().get(0);
            assertThat(target.requests()).isPositive();
            assertThat(target.measuredNanos()).isLessThan(Duration.ofSeconds(3).toNanos());
        }
    }

    @Test
    void targetNamesMustDiffer() {
        RequestSpec spec = RequestSpec.of("GET", "http://127.0.0.1:9/");
        assertThatThrownBy(() -> new BenchRunner(Loads.ENGINE, Loads.closed(1, 100), Progress.NONE)
                .run(List.of(new BenchRunner.Target("x", spec, null), new BenchRunner.Target("x", spec, null))))
                .hasMessageContaining("two targets are named \"x\"");
    }
}
