package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short, bounded load on loopback: one function saturated far past its {@code maxOutstandingRequests}
 * gets 429s, while another function of the same app, called at the same time, gets none. The latency
 * of the other function is printed, not asserted (a timing assertion on a shared machine would be a
 * flaky test; {@code bench/throttle-isolation.sh} measures it properly).
 */
class ThrottleLoadTest {

    private static final int SATURATING_CLIENTS = 24;
    private static final int FAST_CALLS = 200;

    @TempDir
    Path dir;

    @Test
    void aSaturatedFunctionGets429sWhileAnotherFunctionGetsNone() throws Exception {
        TestApp app = TestApp.in(dir.resolve("load"))
                .hostJson("{'version':'2.0','extensions':{'http':{'maxConcurrentRequests':2,'maxOutstandingRequests':4}},"
                        + "'customHandler':{'enableForwardingHttpRequest':true,'description':{'defaultExecutablePath':'node',"
                        + "'arguments':['limits_handler.js']}}}")
                .handler("limits_handler.js")
                .httpFunction("sleep", "['get']")
                .httpFunction("fast", "['get']");
        try (RunningHost host = RunningHost.start(app.root());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            host.awaitHandler();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).executor(clients).build();
            long[] alone = callFast(host, http);

            AtomicBoolean saturating = new AtomicBoolean(true);
            Map<Integer, AtomicInteger> slowStatuses = new ConcurrentHashMap<>();
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < SATURATING_CLIENTS; i++) {
                load.add(clients.submit(() -> {
                    while (saturating.get()) {
                        int status = http.send(HttpRequest.newBuilder(host.uri("/api/sleep?ms=50")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        slowStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            long[] saturated;
            try {
                awaitAtLeastOne429(slowStatuses);
                saturated = callFast(host, http);
            } finally {
                saturating.set(false);
            }
            for (Future<?> client : load) {
                client.get();
            }

            assertThat(slowStatuses.keySet()).as("the saturated function's answers").containsOnly(200, 429);
            assertThat(slowStatuses.get(200).get()).isPositive();
            System.out.printf("ThrottleLoadTest: the saturated function: %s; the other function, %d calls each: "
                            + "alone p50 %.2f ms, p99 %.2f ms; meanwhile p50 %.2f ms, p99 %.2f ms%n", slowStatuses,
                    FAST_CALLS, ms(alone, 0.50), ms(alone, 0.99), ms(saturated, 0.50), ms(saturated, 0.99));
        }
    }

    /** {@value #FAST_CALLS} calls of the fast function, one after the other; each must be a 200. */
    private static long[] callFast(RunningHost host, HttpClient http) throws Exception {
        long[] nanos = new long[FAST_CALLS];
        for (int i = 0; i < FAST_CALLS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(host.uri("/api/fast")).build(),
                    HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - start;
            assertThat(response.statusCode()).as("call %d of the other function", i).isEqualTo(200);
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void awaitAtLeastOne429(Map<Integer, AtomicInteger> statuses) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!statuses.containsKey(429)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no 429 within 20 s of saturating the function; answers were " + statuses);
            }
            Thread.sleep(5);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
