package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.AppLoader;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host.json {@code extensions.http.maxConcurrentRequests} and {@code maxOutstandingRequests}, which
 * Flint applies to each function on its own: one running, one waiting, the next refused with 429.
 *
 * <p>The slow function is {@code hold?id=X} of {@code limits_handler.js}, which answers only once
 * {@code release?id=X} is called: no test here depends on how long anything takes.
 */
class ThrottleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** RejectionLog's budget per function and kind. */
    private static final int LINES_PER_SECOND = 5;

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost host;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        TestApp app = TestApp.in(dir.resolve("throttled"))
                .hostJson("{'version':'2.0','extensions':{'http':{'maxConcurrentRequests':1,'maxOutstandingRequests':2}},"
                        + "'customHandler':{'enableForwardingHttpRequest':true,'description':{'defaultExecutablePath':'node',"
                        + "'arguments':['limits_handler.js']}}}")
                .handler("limits_handler.js")
                .httpFunction("hold", "['get']")
                .httpFunction("release", "['get']")
                .httpFunction("fast", "['get']")
                // Its own function (so its own throttle, and its own log rate window), the same hold underneath.
                .function("burst", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                        + "'methods':['get'],'route':'burst/hold'},{'type':'http','direction':'out','name':'res'}]}");
        host = RunningHost.start(app.root());
        host.awaitHandler();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        logs.close();
    }

    @Test
    void pastMaxOutstandingTheCallerGets429WhileOtherFunctionsAnswerAndTheQueuedRequestRunsNext() throws Exception {
        CompletableFuture<HttpResponse<String>> first = sendAsync("/api/hold?id=a");
        awaitHandlerSaid("hold a started");
        CompletableFuture<HttpResponse<String>> second = sendAsync("/api/hold?id=b");
        JsonNode during = awaitStatus("hold", fn -> fn.path("waiting").asInt() == 1);
        assertThat(during.path("running").asInt()).isEqualTo(1);
        assertThat(during.path("maxConcurrentRequests").asInt()).isEqualTo(1);
        assertThat(during.path("maxOutstandingRequests").asInt()).isEqualTo(2);

        HttpResponse<String> third = host.get("/api/hold?id=c");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("X-FUNCTION-SCALEOUT")).hasValue("1");
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(third.headers().firstValue("X-Flint-Error")).hasValue("throttled");
        logs.await(l -> l.startsWith("WARN Host.FrontDoor") && l.contains("Rejected GET /api/hold with 429 "
                + "(function hold, maxOutstandingRequests 2): 2 invocations of hold run or wait already"), WAIT);

        // Another function has its own limits: it answers at once, and sees that b waits in Flint, not in the handler.
        HttpResponse<String> fast = host.get("/api/fast");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).isEqualTo("{\"held\":[\"a\"]}");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        assertThat(host.get("/api/release?id=a").statusCode()).isEqualTo(200);
        HttpResponse<String> firstDone = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstDone.statusCode()).isEqualTo(200);
        assertThat(firstDone.body()).isEqualTo("{\"id\":\"a\",\"activeAtStart\":0}");
        awaitHandlerSaid("hold b started, 0 held before it");
        JsonNode afterFirst = awaitStatus("hold", fn -> fn.path("waiting").asInt() == 0);
        assertThat(afterFirst.path("running").asInt()).isEqualTo(1);

        assertThat(host.get("/api/release?id=b").statusCode()).isEqualTo(200);
        HttpResponse<String> secondDone = second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(secondDone.statusCode()).isEqualTo(200);
        assertThat(secondDone.body()).isEqualTo("{\"id\":\"b\",\"activeAtStart\":0}");
        awaitStatus("hold", fn -> fn.path("running").asInt() == 0 && fn.path("waiting").asInt() == 0);

        List<String> handler = handlerLines();
        assertThat(indexOf(handler, "hold a ended")).as("b started in the handler only after a ended")
                .isLessThan(indexOf(handler, "hold b started"));
        assertThat(handler).noneMatch(l -> l.contains("hold c"));

        // The slots are free again.
        CompletableFuture<HttpResponse<String>> again = sendAsync("/api/hold?id=d");
        awaitHandlerSaid("hold d started");
        assertThat(host.get("/api/release?id=d").statusCode()).isEqualTo(200);
        assertThat(again.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aBurstOfRefusalsIsLoggedAFewTimesASecondWithTheCountOfThoseLeftOut() throws Exception {
        CompletableFuture<HttpResponse<String>> running = sendAsync("/api/burst/hold?id=p1");
        awaitHandlerSaid("hold p1 started");
        CompletableFuture<HttpResponse<String>> waiting = sendAsync("/api/burst/hold?id=p2");
        awaitStatus("burst", fn -> fn.path("waiting").asInt() == 1);
        try {
            int burst = 100;
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> refused = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                refused.add(sendAsync("/api/burst/hold?id=x" + i));
            }
            for (CompletableFuture<HttpResponse<String>> response : refused) {
                assertThat(response.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(429);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            List<String> lines = rejections();
            assertThat(lines).as("at most %d lines a second", LINES_PER_SECOND)
                    .hasSizeBetween(1, LINES_PER_SECOND * ((int) seconds + 1));
            assertThat(lines.size()).as("far fewer lines than refusals").isLessThan(burst / 4);

            // The next line once a second has passed says how many were left out.
            int sent = burst;
            int afterBurst = lines.size();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (rejections().stream().skip(afterBurst)
                    .noneMatch(l -> l.contains("more like it in the last second were not logged"))) {
                assertThat(System.nanoTime()).as("a line counting those left out").isLessThan(deadline);
                assertThat(host.get("/api/burst/hold?id=y" + sent).statusCode()).isEqualTo(429);
                sent++;
                Thread.sleep(50);
            }
            List<String> all = rejections();
            int accounted = all.size() + all.stream().mapToInt(ThrottleTest::leftOut).sum();
            assertThat(accounted).as("every refusal is logged or counted in a later line").isBetween(burst, sent);
        } finally {
            host.get("/api/release?id=p1");
            host.get("/api/release?id=p2");
        }
        assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void requestLimitsThatAreNotPositiveCountsAreRefusedWithTheFileAndPath() throws Exception {
        for (String value : List.of("0", "'abc'", "-2")) {
            TestApp app = TestApp.in(dir.resolve("invalid-" + value.replace("'", "")))
                    .hostJson("{'version':'2.0','extensions':{'http':{'maxOutstandingRequests':" + value + "}},"
                            + "'customHandler':{'description':{'defaultExecutablePath':'node','arguments':['h.js']}}}")
                    .httpFunction("fn", "['get']");
            String problems = refusal(app);
            assertThat(problems).as(value).contains(app.root().resolve("host.json") + ": $.extensions.http.maxOutstandingRequests: expected");
            assertThat(problems).as(value).contains(value.equals("'abc'") ? "expected an integer, found" : "found " + value);
        }
        TestApp both = TestApp.in(dir.resolve("invalid-both"))
                .hostJson("{'version':'2.0','extensions':{'http':{'maxConcurrentRequests':0,'maxOutstandingRequests':'abc'}},"
                        + "'customHandler':{'description':{'defaultExecutablePath':'node','arguments':['h.js']}}}")
                .httpFunction("fn", "['get']");
        assertThat(refusal(both)).as("every problem at once")
                .contains("$.extensions.http.maxConcurrentRequests: expected a positive number of requests, or -1 for no limit, found 0")
                .contains("$.extensions.http.maxOutstandingRequests: expected an integer");

        TestApp unlimited = TestApp.in(dir.resolve("unlimited"))
                .hostJson("{'version':'2.0','extensions':{'http':{'maxConcurrentRequests':-1,'maxOutstandingRequests':'5'}},"
                        + "'customHandler':{'description':{'defaultExecutablePath':'node','arguments':['h.js']}}}")
                .httpFunction("fn", "['get']");
        var limits = AppLoader.load(unlimited.root(), Map.of()).host().httpLimits();
        assertThat(limits.maxConcurrent()).isEqualTo(-1);
        assertThat(limits.maxOutstanding()).isEqualTo(5);
    }

    private static String refusal(TestApp app) {
        try {
            AppLoader.load(app.root(), Map.of());
        } catch (AppConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected " + app.root() + " to be refused");
    }

    // ---- helpers

    private static CompletableFuture<HttpResponse<String>> sendAsync(String path) {
        return host.client().sendAsync(HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the status endpoint until the function's entry satisfies {@code condition}. */
    private static JsonNode awaitStatus(String function, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode entry = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = host.get("/admin/host/status");
            assertThat(status.statusCode()).as("no key is needed on loopback").isEqualTo(200);
            for (JsonNode fn : JSON.readTree(status.body()).path("functions")) {
                if (fn.path("name").asText().equals(function)) {
                    entry = fn;
                }
            }
            if (entry != null && condition.test(entry)) {
                return entry;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the status of " + function + " did not reach the expected state; last: " + entry);
    }

    private static void awaitHandlerSaid(String text) {
        logs.await(l -> l.contains("Host.Function.Console") && l.contains(text), WAIT);
    }

    private static List<String> handlerLines() {
        return logs.lines().stream().filter(l -> l.contains("Host.Function.Console")).toList();
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + text + ": " + lines);
    }

    private static List<String> rejections() {
        return logs.lines().stream()
                .filter(l -> l.contains("Rejected GET /api/burst/hold with 429 (function burst, maxOutstandingRequests 2)"))
                .toList();
    }

    private static final Pattern LEFT_OUT = Pattern.compile("\\[(\\d+) more like it in the last second were not logged]");

    private static int leftOut(String line) {
        Matcher m = LEFT_OUT.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
