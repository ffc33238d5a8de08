package dev.flint.bench.load;

import static dev.flint.bench.load.Loads.millis;
import static dev.flint.bench.load.Loads.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.bench.result.Mode;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What bounds a run, what is measured in it, and what is refused. */
class BoundsTest {

    @Test
    void aRequestCountGivesExactlyThatManyAnswers() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            TargetResult result = Loads.run(Loads.closed(7, 1000).withDuration(null).withRequests(1234), server.url("/"));

            assertThat(result.requests()).isEqualTo(1234);
            assertThat(result.latency().getTotalCount()).isEqualTo(1234);
            assertThat(result.statuses()).containsExactly(java.util.Map.entry(200, 1234L));
            assertThat(server.requests()).as("no warm-up by default when bounded by count").isEqualTo(1234);
            assertThat(result.measuredNanos()).isPositive();
        }
    }

    @Test
    void aRequestCountAtAConstantRate() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            TargetResult result = Loads.run(Loads.rate(2000, 4, 1000).withDuration(null).withRequests(500), server.url("/"));

            assertThat(result.requests()).isEqualTo(500);
            assertThat(millis(result.measuredNanos())).as("500 requests at 2000/s").isBetween(240.0, 300.0);
        }
    }

    @Test
    void warmUpRequestsAreNotCounted() throws Exception {
        try (DelayServer server = DelayServer.fixed(ms(1))) {
            TargetResult result = Loads.run(Loads.closed(4, 500).withWarmup(Duration.ofMillis(500)), server.url("/"));

            // 4 connections of ~1.1 ms requests: about 1800 in each half second.
            assertThat(server.requests()).isGreaterThan(result.requests() * 17 / 10);
            assertThat(millis(result.measuredNanos())).isEqualTo(500.0);
            assertThat(result.requestsPerSecond()).isEqualTo(result.requests() / 0.5);
        }
    }

    @Test
    void warmUpWithACountExcludesTheWarmUpFromTheCount() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            TargetResult result = Loads.run(Loads.closed(4, 0).withDuration(null).withRequests(300)
                    .withWarmup(Duration.ofMillis(200)), server.url("/"));

            assertThat(result.requests()).isEqualTo(300);
            assertThat(server.requests()).isGreaterThan(300);
        }
    }

    @Test
    void aTimedRunStopsByItselfWhenTheServerIsSlow() throws Exception {
        try (DelayServer server = DelayServer.fixed(ms(300))) {
            long start = System.nanoTime();
            TargetResult result = Loads.run(Loads.closed(2, 500), server.url("/"));
            long took = System.nanoTime() - start;

            // The last requests (sent before the end) are awaited: at most one delay past the end.
            assertThat(millis(took)).isLessThan(500 + 300 + 400);
            assertThat(result.requests()).isEqualTo(4);
        }
    }

    @Test
    void theRateRampsUpLinearlyAndIsNotMeasured() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            long start = System.nanoTime();
            TargetResult result = Loads.run(Loads.rate(1000, 4, 400).withRamp(Duration.ofMillis(600)), server.url("/"));

            List<DelayServer.Logged> log = server.log();
            long first = log.get(0).arrivalNanos();
            long inFirstHalf = log.stream().filter(l -> l.arrivalNanos() < first + ms(300)).count();
            long inRamp = log.stream().filter(l -> l.arrivalNanos() < first + ms(600)).count();
            // R·T/2 = 300 requests in the ramp; a quarter of them in its first half.
            assertThat(inRamp).isBetween(270L, 330L);
            assertThat(inFirstHalf).isBetween(55L, 95L);
            assertThat(result.requests()).isBetween(395L, 400L);
            assertThat(millis(System.nanoTime() - start)).isGreaterThan(1000.0);
        }
    }

    @Test
    void closedLoopConnectionsStartOneAfterAnotherDuringTheRamp() throws Exception {
        try (DelayServer server = DelayServer.fixed(ms(5))) {
            Loads.run(Loads.closed(4, 200).withRamp(Duration.ofMillis(400)), server.url("/"));

            List<DelayServer.Logged> log = server.log();
            long first = log.get(0).arrivalNanos();
            // The first connection alone for 100 ms (~20 requests of 5 ms), then two, three, four.
            long firstQuarter = log.stream().filter(l -> l.arrivalNanos() < first + ms(95)).count();
            assertThat(firstQuarter).isBetween(10L, 20L);
        }
    }

    @Test
    void aPlanWithoutABoundIsRefused() {
        LoadPlan unbounded = LoadPlan.closed(4, null);
        assertThatThrownBy(unbounded::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--duration").hasMessageContaining("--requests");
        assertThatThrownBy(() -> Loads.run(unbounded, "http://127.0.0.1:9/"))
                .hasMessageContaining("a run needs a bound");
    }

    @Test
    void limitsAreEnforcedWithTheOptionsName() {
        LoadPlan plan = LoadPlan.closed(4, Duration.ofSeconds(1));
        assertThatThrownBy(() -> plan.withDuration(Duration.ofHours(2)).validate()).hasMessageContaining("--duration must be at most 1h");
        assertThatThrownBy(() -> new LoadPlan(Mode.CLOSED, 20_000, 0, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 0, 1,
                Duration.ofSeconds(1), 1).validate()).hasMessageContaining("--connections must be from 1 to 10000");
        assertThatThrownBy(() -> LoadPlan.rate(0, 4, Duration.ofSeconds(1)).validate()).hasMessageContaining("--rate");
        assertThatThrownBy(() -> plan.withTimeout(Duration.ZERO).validate()).hasMessageContaining("--timeout");
        assertThatThrownBy(() -> plan.withWarmup(Duration.ofHours(1)).validate()).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> plan.withRequests(3).withRounds(5).validate()).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> plan.withThreads(0).validate()).hasMessageContaining("--threads");
        assertThatThrownBy(() -> plan.withRequests(2_000_000_000L).validate()).hasMessageContaining("--requests");
    }
}
