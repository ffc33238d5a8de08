package dev.flint.host.http;

import static dev.flint.host.http.FrontDoorLimitsTest.WAIT;
import static dev.flint.host.http.FrontDoorLimitsTest.get;
import static dev.flint.host.http.FrontDoorLimitsTest.keepAlive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.HostOptions;
import dev.flint.host.admission.FrontDoorLimits;
import dev.flint.host.http.FrontDoorLimitsTest.Raw;
import dev.flint.host.http.FrontDoorLimitsTest.Response;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection guard's timeouts, made short (1 s idle, 1 s slow-client) so that each test takes
 * about a second: a body that stalls (408), a caller still sending its headers or idle between
 * requests (closed), a caller that reads none of its response (closed), and a slow function, which
 * is none of these and must not be cut.
 */
class SlowClientTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration SLOW = Duration.ofSeconds(1);
    /**
     * Well below the timeouts (the server's clock starts before the client's, and a loaded machine
     * delays what the client sees), yet far above what closing at once takes.
     */
    private static final long AT_LEAST_MILLIS = 500;

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost forwarding;
    static RunningHost envelope;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        HostOptions options = HostOptions.defaults().withLimits(FrontDoorLimits.DEFAULTS.withIdleTimeout(IDLE)
                .withSlowClientTimeout(SLOW));
        forwarding = RunningHost.start(FrontDoorLimitsTest.app(dir.resolve("forwarding"), true).root(), options);
        envelope = RunningHost.start(FrontDoorLimitsTest.app(dir.resolve("envelope"), false).root(), options);
        forwarding.awaitHandler();
        envelope.awaitHandler();
    }

    @AfterAll
    static void stop() {
        if (forwarding != null) {
            forwarding.close();
        }
        if (envelope != null) {
            envelope.close();
        }
        logs.close();
    }

    @Test
    void aBodyThatStallsIs408AndTheConnectionIsClosedInForwardingMode() throws Exception {
        stallingBodyIs408(forwarding, "stall-fwd");
        // The handler is not left waiting for the rest of the body until functionTimeout.
        String cut = logs.await(l -> l.contains("Host.Function.Console") && l.contains("tag=stall-fwd cut after"), WAIT);
        assertThat(cut).as("the handler saw the 10 bytes, then the request cut").contains("cut after 10 bytes");
        assertThat(logs.lines()).noneMatch(l -> l.contains("tag=stall-fwd complete"));
        awaitEveryInvocationEnded("count");
    }

    @Test
    void aBodyThatStallsIs408AndTheConnectionIsClosedInEnvelopeMode() throws Exception {
        stallingBodyIs408(envelope, "stall-env");
        awaitEveryInvocationEnded("count"); // the body read fails when the connection goes; it is not waited for for ever
        assertThat(get(envelope, "/api/fast?tag=after-stall-env").status()).isEqualTo(200);
        logs.await(l -> l.contains("Host.Function.Console") && l.contains("tag=after-stall-env"), WAIT);
        assertThat(logs.lines()).as("the handler never got the envelope").noneMatch(l -> l.contains("tag=stall-env"));
    }

    @Test
    void aRefusedBodyThatNeverComesDoesNotHoldTheConnection() throws Exception {
        // 413 before the body; the caller neither sends it nor closes: Flint waits for it a little
        // (so that a caller still sending is not answered with a reset), then closes.
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("POST /api/count?tag=never-sent HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000000\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    private static void stallingBodyIs408(RunningHost host, String tag) throws Exception {
        try (Raw raw = Raw.connect(host.host().port())) {
            raw.send("POST /api/count?tag=" + tag + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 1000\r\n\r\n" + "0123456789");
            long start = System.nanoTime();
            Response response = raw.response();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.header("X-Flint-Error")).isEqualTo("slow-client");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(millis).as("after the slow-client timeout").isGreaterThanOrEqualTo(AT_LEAST_MILLIS);
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        logs.await(l -> l.startsWith("WARN Host.FrontDoor") && l.contains("Rejected POST /api/count with 408 "
                + "(slow-client timeout 1 s): the caller sent 10 bytes of its body, then nothing for 1 s"), WAIT);
        assertThat(get(host, "/api/fast").status()).isEqualTo(200);
    }

    @Test
    void aCallerStillSendingTheHeadersOfItsNextRequestIsDisconnectedAfterTheIdleTimeout() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            assertThat(raw.exchange(keepAlive("/api/fast")).status()).isEqualTo(200);
            raw.send("GET /api/fast?tag=slowloris-next HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: abc");
            long start = System.nanoTime();
            assertThat(raw.readToEof(WAIT)).as("closed without an answer").isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(AT_LEAST_MILLIS);
        }
        assertThat(get(forwarding, "/api/fast?tag=after-slowloris-next").status()).isEqualTo(200);
        logs.await(l -> l.contains("Host.Function.Console") && l.contains("tag=after-slowloris-next"), WAIT);
        assertThat(logs.lines()).noneMatch(l -> l.contains("tag=slowloris-next"));
    }

    @Test
    void aCallerStillSendingItsFirstHeadersIsDisconnectedAfterTheIdleTimeout() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("GET /api/fast?tag=slowloris HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: abc");
            long start = System.nanoTime();
            assertThat(raw.readToEof(WAIT)).as("closed without an answer").isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(AT_LEAST_MILLIS);
        }
        assertThat(get(forwarding, "/api/fast?tag=after-slowloris").status()).isEqualTo(200);
        logs.await(l -> l.contains("Host.Function.Console") && l.contains("tag=after-slowloris"), WAIT);
        assertThat(logs.lines()).noneMatch(l -> l.contains("tag=slowloris"));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            long start = System.nanoTime();
            assertThat(raw.readToEof(WAIT)).isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(AT_LEAST_MILLIS);
        }
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            assertThat(raw.exchange(keepAlive("/api/fast")).status()).isEqualTo(200);
            assertThat(raw.exchange(keepAlive("/api/fast")).status()).as("kept alive between requests").isEqualTo(200);
            long start = System.nanoTime();
            assertThat(raw.readToEof(WAIT)).isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(AT_LEAST_MILLIS);
        }
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    @Test
    void aCallerThatReadsNoneOfTheResponseIsDisconnected() throws Exception {
        long requested = 200_000_000;
        try (Raw raw = Raw.connect(forwarding.host().port(), 8 * 1024)) {
            raw.send(keepAlive("/api/big?bytes=" + requested));
            logs.await(l -> l.startsWith("WARN Host.FrontDoor") && l.contains("Closed the connection of GET /api/big "
                    + "(slow-client timeout 1 s): the caller read none of the response for 1 s"), WAIT);
            long received = raw.readToEof(WAIT);
            assertThat(received).as("what was in flight when Flint closed, no more").isLessThan(requested / 10);
        }
        String ended = logs.await(l -> l.contains("Host.Function.Console") && l.contains("big ended after"), WAIT);
        assertThat(ended).doesNotContain("after " + requested + " of");
        logs.await(l -> l.contains("Executed 'Functions.big' (Cancelled"), WAIT);
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    @Test
    void aSlowFunctionIsCutByNeitherTimeout() throws Exception {
        // Longer than the idle and slow-client timeouts and a sweep together; all three at once.
        int ms = 2_000;
        CompletableFuture<Response> forwardedGet = CompletableFuture.supplyAsync(() -> exchange(forwarding,
                keepAlive("/api/sleep?ms=" + ms)));
        CompletableFuture<Response> forwardedPost = CompletableFuture.supplyAsync(() -> exchange(forwarding,
                post("/api/sleep?ms=" + ms, "a complete body")));
        CompletableFuture<Response> envelopePost = CompletableFuture.supplyAsync(() -> exchange(envelope,
                post("/api/sleep?ms=" + ms, "a complete body")));
        for (CompletableFuture<Response> call : List.of(forwardedGet, forwardedPost, envelopePost)) {
            Response response = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("slept " + ms + " ms");
        }
        assertThat(logs.lines()).noneMatch(l -> l.contains("Rejected") && l.contains("/api/sleep"));
    }

    /** Waits until every invocation of {@code function} that started has ended (none hangs). */
    private static void awaitEveryInvocationEnded(String function) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<String> lines = logs.lines();
            long started = lines.stream().filter(l -> l.contains("Executing 'Functions." + function + "'")).count();
            long ended = lines.stream().filter(l -> l.contains("Executed 'Functions." + function + "'")).count();
            if (started == ended) {
                return;
            }
            assertThat(System.nanoTime()).as("%d invocations of %s started, %d ended", started, function, ended)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private static Response exchange(RunningHost host, String request) {
        try (Raw raw = Raw.connect(host.host().port())) {
            return raw.exchange(request);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
