package dev.flint.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.bench.result.TargetResult;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors by kind, and status codes, each from a server that misbehaves in one known way. */
class ErrorsTest {

    private static DelayServer.Reply reply(DelayServer.Kind kind) {
        return new DelayServer.Reply(kind, 200, "{\"ok\":true}", 0);
    }

    @Test
    void statusCodesAreCountedAndErrorStatusesAreFailures() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> new DelayServer.Reply(DelayServer.Kind.NORMAL,
                i % 4 == 0 ? 500 : 200, "{}", 0))) {
            TargetResult result = Loads.run(Loads.closed(1, 0).withDuration(null).withRequests(400), server.url("/"));

            assertThat(result.statuses()).containsExactly(Map.entry(200, 300L), Map.entry(500, 100L));
            assertThat(result.errors()).isEmpty();
            assertThat(result.failures()).isEqualTo(100);
            assertThat(result.latency().getTotalCount()).isEqualTo(400);
        }
    }

    @Test
    void aConnectionClosedMidResponseIsAReadErrorAndTheConnectionReopens() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> reply(i % 5 == 4 ? DelayServer.Kind.CLOSE_MIDWAY
                : DelayServer.Kind.NORMAL))) {
            TargetResult result = Loads.run(Loads.closed(2, 0).withDuration(null).withRequests(500), server.url("/"));

            assertThat(result.errors()).containsOnlyKeys("read");
            assertThat(result.errors().get("read")).isEqualTo(100);
            assertThat(result.requests()).isEqualTo(400);
        }
    }

    @Test
    void aServerThatOnlyEverClosesGivesReadErrorsWithoutAHotLoop() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> reply(DelayServer.Kind.CLOSE_MIDWAY))) {
            TargetResult result = Loads.run(Loads.closed(2, 500), server.url("/"));

            assertThat(result.requests()).isZero();
            assertThat(result.errors()).containsOnlyKeys("read");
            // Backing off from 10 ms, doubling: about 6 attempts a connection in 500 ms.
            assertThat(result.errors().get("read")).isBetween(4L, 20L);
        }
    }

    @Test
    void nothingListeningGivesConnectErrors() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        TargetResult result = Loads.run(Loads.closed(2, 300), "http://127.0.0.1:" + port + "/");

        assertThat(result.requests()).isZero();
        assertThat(result.errors()).containsOnlyKeys("connect");
        assertThat(result.errors().get("connect")).isBetween(2L, 20L);
        assertThat(result.failures()).isEqualTo(result.errors().get("connect"));
    }

    @Test
    void aServerThatNeverAnswersGivesTimeouts() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> reply(DelayServer.Kind.NEVER))) {
            long start = System.nanoTime();
            TargetResult result = Loads.run(Loads.closed(2, 500).withTimeout(Duration.ofMillis(200)), server.url("/"));

            assertThat(result.requests()).isZero();
            assertThat(result.errors()).containsOnlyKeys("timeout");
            // Each connection: a timeout at ~200 ms, then (backing off 10 ms) one at ~410 ms, and the
            // request sent then times out after the end, at ~620 ms: 3 each.
            assertThat(result.errors().get("timeout")).isBetween(4L, 6L);
            assertThat(Loads.millis(System.nanoTime() - start)).isLessThan(1500.0);
        }
    }

    @Test
    void bytesThatAreNotHttpAreProtocolErrors() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> reply(i % 2 == 1 ? DelayServer.Kind.GARBAGE
                : DelayServer.Kind.NORMAL))) {
            TargetResult result = Loads.run(Loads.closed(1, 0).withDuration(null).withRequests(100), server.url("/"));

            assertThat(result.errors()).containsExactly(Map.entry("protocol", 50L));
            assertThat(result.requests()).isEqualTo(50);
        }
    }

    @Test
    void chunkedAnswersAndConnectionCloseAreNoErrors() throws Exception {
        try (DelayServer server = DelayServer.start((i, r) -> reply(i % 2 == 0 ? DelayServer.Kind.CHUNKED
                : DelayServer.Kind.CLOSE_AFTER))) {
            TargetResult result = Loads.run(Loads.closed(3, 0).withDuration(null).withRequests(600), server.url("/"));

            assertThat(result.errors()).isEmpty();
            assertThat(result.statuses()).containsExactly(Map.entry(200, 600L));
            assertThat(result.bytesReceived()).isGreaterThan(600 * 40L);
        }
    }

    /** At a constant rate a failing connection does not pile up requests to send later: they fail as due. */
    @Test
    void aRateRunAgainstNothingCountsEveryDueRequestAndEndsOnTime() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        TargetResult result = Loads.run(Loads.rate(100, 2, 300), "http://127.0.0.1:" + port + "/");
        // Every request due fails: the first attempts, and those due while the connections back off.
        assertThat(result.errors()).containsOnlyKeys("connect");
        assertThat(result.errors().get("connect")).isBetween(28L, 30L);
        assertThat(Loads.millis(System.nanoTime() - start)).isLessThan(1000.0);
    }
}
