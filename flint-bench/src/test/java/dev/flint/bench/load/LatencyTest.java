package dev.flint.bench.load;

import static dev.flint.bench.load.Loads.countAtLeast;
import static dev.flint.bench.load.Loads.millis;
import static dev.flint.bench.load.Loads.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.bench.result.TargetResult;
import org.junit.jupiter.api.Test;

/**
 * Percentiles against a server whose delays are known. The server's timers fire a few tens of
 * microseconds late at most (epoll), and loopback adds about as much; the tolerances below leave
 * room for a busy 2-core machine (1.5 ms above the injected delay at the median, 10 ms at the tail).
 */
class LatencyTest {

    /** One request in ten waits 20 ms, the others 1 ms, by arrival number: exactly 10 % are slow. */
    private static final DelayServer.Behavior TEN_PERCENT_SLOW =
            (i, r) -> DelayServer.Reply.ok(i % 10 == 9 ? ms(20) : ms(1));

    @Test
    void closedLoopPercentilesMatchTheInjectedDelays() throws Exception {
        try (DelayServer server = DelayServer.start(TEN_PERCENT_SLOW)) {
            TargetResult result = Loads.run(Loads.closed(8, 1500), server.url("/"));

            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isGreaterThan(1000);
            assertThat(millis(result.percentileNanos(50))).isBetween(1.0, 2.5);
            assertThat(millis(result.percentileNanos(95))).isBetween(20.0, 30.0);
            assertThat(millis(result.percentileNanos(99.9))).isBetween(20.0, 30.0);
            double slow = (double) countAtLeast(result, ms(20)) / result.requests();
            assertThat(slow).as("the share of answers of 20 ms or more").isBetween(0.09, 0.11);
        }
    }

    @Test
    void rateModePercentilesMatchTheInjectedDelays() throws Exception {
        try (DelayServer server = DelayServer.start(TEN_PERCENT_SLOW)) {
            // 20 connections at 400/s: each sends every 50 ms, longer than the slowest answer, so no
            // request waits for another and latency is the server's delay alone.
            TargetResult result = Loads.run(Loads.rate(400, 20, 1500), server.url("/"));

            assertThat(result.errors()).isEmpty();
            assertThat(result.requests()).isBetween(590L, 600L);
            assertThat(result.requestsPerSecond()).isBetween(380.0, 410.0);
            assertThat(millis(result.percentileNanos(50))).isBetween(1.0, 2.5);
            assertThat(millis(result.percentileNanos(95))).isBetween(20.0, 30.0);
            double slow = (double) countAtLeast(result, ms(20)) / result.requests();
            assertThat(slow).isBetween(0.08, 0.12);
        }
    }

    /**
     * The coordinated-omission property. The server stalls every answer for S = 400 ms in the middle
     * of the run. At a constant rate R = 1000/s, the requests due during the stall are measured from
     * when they were due: about R·S = 400 of them wait, from S down to 0, so about R·(S − 200 ms) =
     * 200 wait 200 ms or more, 1 % of the 2000, and p99 is near S. In closed loop the same stall
     * holds one request per connection (10) and the loop simply sends fewer: the tail hides it.
     */
    @Test
    void aStallShowsInTheTailAtAConstantRateAndHidesInClosedLoop() throws Exception {
        long stall = ms(400);
        try (DelayServer server = DelayServer.fixed(0)) {
            server.stall(System.nanoTime() + ms(800), stall);
            TargetResult rate = Loads.run(Loads.rate(1000, 10, 2000), server.url("/"));

            server.stall(System.nanoTime() + ms(800), stall);
            TargetResult closed = Loads.run(Loads.closed(10, 2000), server.url("/"));

            assertThat(rate.errors()).isEmpty();
            assertThat(closed.errors()).isEmpty();
            long rateSlow = countAtLeast(rate, ms(200));
            long closedSlow = countAtLeast(closed, ms(200));
            assertThat(rateSlow).as("answers of 200 ms or more at a constant rate").isBetween(150L, 260L);
            assertThat(millis(rate.percentileNanos(99))).as("p99 at a constant rate").isGreaterThan(300.0);
            assertThat(millis(rate.latency().getMaxValue())).isBetween(380.0, 450.0);

            assertThat(closedSlow).as("answers of 200 ms or more in closed loop: one a connection at most")
                    .isBetween(1L, 10L);
            assertThat(millis(closed.latency().getMaxValue())).isBetween(300.0, 450.0);
            assertThat(millis(closed.percentileNanos(99))).as("p99 in closed loop").isLessThan(50.0);
            assertThat(rateSlow).isGreaterThan(15 * closedSlow);
        }
    }
    /**
     * A stall at the end of the measured phase: the requests due before the end are still sent
     * (late) and measured from when they were due. Dropping them would cut exactly the slow ones out
     * of the tail, and the count would fall short of R times the duration.
     */
    @Test
    void requestsDueBeforeTheEndAreMeasuredEvenWhenAStallDelaysThemPastIt() throws Exception {
        try (DelayServer server = DelayServer.fixed(0)) {
            server.stall(System.nanoTime() + ms(850), ms(400));
            TargetResult rate = Loads.run(Loads.rate(1000, 10, 1000), server.url("/"));
            assertThat(rate.errors()).isEmpty();
            assertThat(rate.requests()).as("every request due in the measured second").isBetween(999L, 1000L);
            assertThat(millis(rate.latency().getMaxValue())).as("the stall's oldest request").isGreaterThan(250.0);
        }
    }
}
