package dev.flint.host.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.trace.export.FoldedWriter;
import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.Differential;
import dev.flint.trace.query.FlameGraphs;
import dev.flint.trace.query.HeatMap;
import dev.flint.trace.query.Invocation;
import dev.flint.trace.query.InvocationHeatMap;
import dev.flint.trace.query.SampleFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /admin/traces} over real HTTP: uploads as curl sends them, the store's list, fetch and
 * delete, and every query endpoint checked against the trace engine's own results.
 */
class TraceEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TraceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TraceServer.start(dir.resolve("store"), TraceStore.Retention.NONE, 8L << 20);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** {@code curl -X POST -H 'X-name: NAME' --data-binary @FILE http://host/admin/traces}. */
    private static HttpResponse<String> curl(String name, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/admin/traces"))
                .header("Content-Type", "application/x-www-form-urlencoded") // what curl --data-binary sends
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (name != null) {
            request.header("X-name", name);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request.build());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String upload(String name, String fixture) throws Exception {
        HttpResponse<String> created = curl(name, Fixtures.bytes(fixture));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asText();
    }

    private static String engineJson(JsonWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private interface JsonWriter {
        void write(ByteArrayOutputStream out) throws Exception;
    }

    private static List<String> uploadsLeft() throws Exception {
        try (Stream<Path> s = Files.list(server.store.directory())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    private static void awaitNoUploadsLeft() throws Exception {
        for (int i = 0; i < 200 && !uploadsLeft().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(uploadsLeft()).isEmpty();
    }

    // ---- the collector

    @Test
    void storesWhatCurlPostsAndAnswersWithTheId() throws Exception {
        byte[] body = Fixtures.bytes(Fixtures.PYTHON);
        HttpResponse<String> created = curl("fibonacci", body);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode entry = json(created);
        String id = entry.get("id").asText();
        assertThat(id).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
        assertThat(entry.get("name").asText()).isEqualTo("fibonacci");
        assertThat(entry.get("samples").asLong()).isEqualTo(Fixtures.trace(Fixtures.PYTHON).samples().totalCount());
        assertThat(entry.get("format").asText()).isEqualTo("perf-script");
        assertThat(entry.get("labels").get("function").asText()).isEqualTo("fibonacci");
        assertThat(entry.get("links").get("self").asText()).isEqualTo(server.uri("/admin/traces/" + id).toString());
        assertThat(entry.get("links").get("heatmap").asText()).endsWith("/admin/traces/" + id + "/heatmap");
        assertThat(created.headers().firstValue("Location")).contains(server.uri("/admin/traces/" + id).toString());
        assertThat(Files.readAllBytes(server.store.file(id))).isEqualTo(body);
    }

    /** The real curl, exactly as a container posts a trace; skipped where curl is not installed. */
    private static String[] curlProcess(TraceServer to, String... args) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed in /usr/bin");
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        command.add(to.uri("/admin/traces").toString());
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(out).isZero();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1)};
    }

    @Test
    void storesWhatTheRealCurlPostsAndRefusesItsOversizeBody() throws Exception {
        String file = Fixtures.path(Fixtures.PYTHON).toString();
        long started = System.nanoTime();
        String[] created = curlProcess(server, "-X", "POST", "-H", "X-name: fibonacci", "--data-binary", "@" + file);
        assertThat(created[1]).as(created[0]).isEqualTo("201");
        // Expect: 100-continue is answered, so curl does not wait its second before sending the body.
        assertThat(System.nanoTime() - started).isLessThan(900_000_000L);
        JsonNode entry = JSON.readTree(created[0]);
        assertThat(entry.get("name").asText()).isEqualTo("fibonacci");
        assertThat(Files.readAllBytes(server.store.file(entry.get("id").asText()))).isEqualTo(Fixtures.bytes(Fixtures.PYTHON));

        String[] gzip = curlProcess(server, "-H", "X-name: java", "-H", "Content-Encoding: gzip", "--data-binary",
                "@" + Fixtures.path(Fixtures.JAVA_GZ));
        assertThat(gzip[1]).as(gzip[0]).isEqualTo("201");

        try (TraceServer small = TraceServer.start(dir.resolve("curl-small"), TraceStore.Retention.NONE, 100_000)) {
            String[] refused = curlProcess(small, "-H", "X-name: fibonacci", "--data-binary", "@" + file);
            assertThat(refused[1]).isEqualTo("413");
            assertThat(JSON.readTree(refused[0]).get("error").asText()).contains("the limit is 100000 bytes");
            String[] badName = curlProcess(small, "-H", "X-name: ../etc", "--data-binary", "@" + file);
            assertThat(badName[1]).isEqualTo("400");
            assertThat(small.store.size()).isZero();
        }
    }

    @Test
    void takesAGzipBodyAndStoresItAsReceived() throws Exception {
        byte[] gz = Fixtures.bytes(Fixtures.JAVA_GZ);
        HttpResponse<String> created = curl("java-loop", gz, "Content-Encoding", "gzip");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        assertThat(Files.readAllBytes(server.store.file(id))).isEqualTo(gz);
        assertThat(json(created).get("samples").asLong())
                .isEqualTo(Fixtures.trace(Fixtures.JAVA_GZ).samples().totalCount());
        assertThat(curl("br", gz, "Content-Encoding", "br").statusCode()).isEqualTo(415);
    }

    @Test
    void takesLabelsFromHeadersAndFromTheQuery() throws Exception {
        HttpResponse<String> fromHeaders = curl("fib", Fixtures.bytes(Fixtures.FOLDED), "X-function", "fib-fn",
                "X-instance", "i-0abc", "X-host", "ip-10-0-0-1", "X-cpu", "Intel(R) Xeon(R) CPU @ 2.30GHz",
                "X-frequency", "200", "X-label-Region", "eu-west-1");
        assertThat(fromHeaders.statusCode()).as(fromHeaders.body()).isEqualTo(201);
        assertThat(JSON.convertValue(json(fromHeaders).get("labels"), Map.class)).isEqualTo(Map.of(
                "function", "fib-fn", "instance", "i-0abc", "host", "ip-10-0-0-1", "cpu", "Intel_R_Xeon_R_CPU_2.30GHz",
                "frequency", "200", "region", "eu-west-1"));

        HttpResponse<String> fromQuery = server.send(HttpRequest.newBuilder(server.uri(
                "/admin/traces?name=q&function=fn&instance=i2&label.zone=b&code=the-key"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(Fixtures.FOLDED))).build());
        assertThat(fromQuery.statusCode()).as(fromQuery.body()).isEqualTo(201);
        assertThat(json(fromQuery).get("name").asText()).isEqualTo("q");
        assertThat(JSON.convertValue(json(fromQuery).get("labels"), Map.class))
                .isEqualTo(Map.of("function", "fn", "instance", "i2", "zone", "b"));

        HttpResponse<String> headerWins = server.send(HttpRequest.newBuilder(server.uri("/admin/traces?name=q"))
                .header("X-name", "h").POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(Fixtures.FOLDED)))
                .build());
        assertThat(json(headerWins).get("name").asText()).isEqualTo("h");

        HttpResponse<String> functionOnly = curl(null, Fixtures.bytes(Fixtures.FOLDED), "X-function", "only-fn");
        assertThat(json(functionOnly).get("name").asText()).isEqualTo("only-fn");

        HttpResponse<String> typo = server.send(HttpRequest.newBuilder(server.uri("/admin/traces?nmae=x"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(Fixtures.FOLDED))).build());
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("error").asText()).contains("unknown parameter nmae");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "", "300"})
    void refusesBadNamesWithA400NamingThem(String given) throws Exception {
        String name = given.equals("300") ? "n".repeat(300) : given;
        int before = server.store.size();
        HttpResponse<String> refused = curl(name, Fixtures.bytes(Fixtures.FOLDED));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Flint-Error")).contains("bad-admin-request");
        String error = json(refused).get("error").asText();
        if (name.isEmpty()) {
            assertThat(error).contains("the name is empty");
        } else {
            assertThat(error).contains("the name \"" + TraceLabels.printable(name) + "\"");
        }
        assertThat(server.store.size()).isEqualTo(before);
        awaitNoUploadsLeft();
    }

    @Test
    void refusesABodyThatIsNotATraceWithTheParsersLineAndKeepsNothing() throws Exception {
        int before = server.store.size();
        byte[] body = "# perf script header\n\nhello, this is not a trace\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refused = curl("fib", body);
        assertThat(refused.statusCode()).isEqualTo(400);
        String error = json(refused).get("error").asText();
        assertThat(error).startsWith("fib:3: ").contains("\"hello, this is not a trace\"");
        assertThat(server.store.size()).isEqualTo(before);
        awaitNoUploadsLeft();
    }

    @Test
    void refusesABodyPastTheLimitWith413WhetherItsLengthIsKnownOrNot() throws Exception {
        try (TraceServer small = TraceServer.start(dir.resolve("small"), TraceStore.Retention.NONE, 100_000)) {
            byte[] body = Fixtures.bytes(Fixtures.PYTHON); // 325 KB
            HttpResponse<String> known = small.send(HttpRequest.newBuilder(small.uri("/admin/traces"))
                    .header("X-name", "big").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertThat(known.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(known.body()).get("error").asText()).contains("limit is 100000 bytes");

            HttpResponse<String> chunked = small.send(HttpRequest.newBuilder(small.uri("/admin/traces"))
                    .header("X-name", "big")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
            assertThat(chunked.statusCode()).isEqualTo(413);
            assertThat(JSON.readTree(chunked.body()).get("error").asText()).contains("limit of 100000 bytes");

            byte[] gz = Fixtures.bytes(Fixtures.JAVA_GZ); // 59 KB
            HttpResponse<String> fits = small.send(HttpRequest.newBuilder(small.uri("/admin/traces"))
                    .header("X-name", "fits").POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(gz))).build());
            assertThat(fits.statusCode()).as(fits.body()).isEqualTo(201);
            assertThat(small.store.size()).isEqualTo(1);
            for (int i = 0; i < 200; i++) {
                try (Stream<Path> s = Files.list(small.store.directory())) {
                    if (s.count() == 2) {
                        break;
                    }
                }
                Thread.sleep(10);
            }
            try (Stream<Path> s = Files.list(small.store.directory())) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).hasSize(2).noneMatch(n -> n.startsWith("."));
            }
        }
    }

    @Test
    void storesTenConcurrentUploads() throws Exception {
        int before = server.store.size();
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            uploads.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri("/admin/traces"))
                    .header("X-name", "concurrent-" + i).header("X-label-batch", "ten")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(i % 2 == 0 ? Fixtures.PYTHON
                            : Fixtures.JAVA_GZ))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> u : uploads) {
            HttpResponse<String> r = u.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ids.add(json(r).get("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(server.store.size()).isEqualTo(before + 10);
        JsonNode listed = json(server.get("/admin/traces?label.batch=ten"));
        assertThat(listed.get("traces")).hasSize(10);
    }

    // ---- list, get, delete

    @Test
    void listsFiltersGetsAndDeletes() throws Exception {
        HttpResponse<String> first = curl("listed-a", Fixtures.bytes(Fixtures.FOLDED), "X-function", "lister",
                "X-host", "h1");
        Thread.sleep(5);
        HttpResponse<String> second = curl("listed-b", Fixtures.bytes(Fixtures.FOLDED), "X-function", "lister",
                "X-host", "h2");
        String a = json(first).get("id").asText();
        String b = json(second).get("id").asText();

        JsonNode byFunction = json(server.get("/admin/traces?function=lister"));
        assertThat(byFunction.get("traces")).extracting(n -> n.get("id").asText()).containsExactly(b, a);
        assertThat(byFunction.get("traces").get(0).get("href").asText()).endsWith("/admin/traces/" + b);
        assertThat(json(server.get("/admin/traces?function=lister&label.host=h1")).get("traces"))
                .extracting(n -> n.get("id").asText()).containsExactly(a);
        assertThat(json(server.get("/admin/traces?name=listed-b")).get("traces"))
                .extracting(n -> n.get("id").asText()).containsExactly(b);
        assertThat(json(server.get("/admin/traces?function=lister&limit=1")).get("traces")).hasSize(1);
        long receivedA = json(first).get("receivedMillis").asLong();
        assertThat(json(server.get("/admin/traces?function=lister&until=" + (receivedA + 1))).get("traces"))
                .extracting(n -> n.get("id").asText()).containsExactly(a);
        String from = URLEncoder.encode(json(second).get("received").asText(), StandardCharsets.UTF_8);
        assertThat(json(server.get("/admin/traces?function=lister&from=" + from)).get("traces"))
                .extracting(n -> n.get("id").asText()).containsExactly(b);
        HttpResponse<String> badTime = server.get("/admin/traces?from=yesterday");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json(badTime).get("error").asText()).contains("from=yesterday");

        HttpResponse<String> shown = server.get("/admin/traces/" + a);
        assertThat(shown.statusCode()).isEqualTo(200);
        JsonNode entry = json(shown);
        Trace expected = Fixtures.trace(Fixtures.FOLDED);
        assertThat(entry.get("name").asText()).isEqualTo("listed-a");
        assertThat(entry.get("info").get("format").asText()).isEqualTo("folded");
        assertThat(entry.get("info").get("stacks").asInt()).isEqualTo(expected.stacks().size());
        assertThat(entry.get("info").get("frames").asInt()).isEqualTo(expected.frames().size());
        assertThat(entry.get("info").get("source").asText()).isEqualTo(a);
        assertThat(entry.get("links").get("speedscope").asText()).endsWith(a + "/speedscope");

        assertThat(server.delete("/admin/traces/" + a).statusCode()).isEqualTo(204);
        assertThat(server.get("/admin/traces/" + a).statusCode()).isEqualTo(404);
        assertThat(server.delete("/admin/traces/" + a).statusCode()).isEqualTo(404);
        assertThat(server.get("/admin/traces/" + a + "/heatmap").statusCode()).isEqualTo(404);
        assertThat(Files.exists(server.store.file(a))).isFalse();
        assertThat(json(server.get("/admin/traces?function=lister")).get("traces"))
                .extracting(n -> n.get("id").asText()).containsExactly(b);
    }

    @Test
    void unknownIdsAndPathsAre404AndNamesNeverBecomePaths() throws Exception {
        assertThat(server.get("/admin/traces/20200101T000000Z-00000000").statusCode()).isEqualTo(404);
        HttpResponse<String> climbing = server.get("/admin/traces/..%2F..%2Fetc%2Fpasswd");
        assertThat(climbing.statusCode()).isEqualTo(404);
        assertThat(json(climbing).get("error").asText()).startsWith("no trace with the id");
        assertThat(server.get("/admin/traces/..%2F..%2Fetc%2Fpasswd/folded").statusCode()).isEqualTo(404);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/admin/traces")).PUT(
                HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
        String id = upload("views", Fixtures.FOLDED);
        HttpResponse<String> noView = server.get("/admin/traces/" + id + "/flames");
        assertThat(noView.statusCode()).isEqualTo(404);
        assertThat(json(noView).get("error").asText()).contains("heatmap, flamegraph");
        assertThat(server.get("/ADMIN/Traces/" + id).statusCode()).isEqualTo(200);
        assertThat(TraceEndpoints.owns("/admin/traces")).isTrue();
        assertThat(TraceEndpoints.owns("/admin/traces/x/heatmap")).isTrue();
        assertThat(TraceEndpoints.owns("/admin/tracesx")).isFalse();
        assertThat(TraceEndpoints.owns("/admin/functions")).isFalse();
    }

    // ---- the query API, against the engine's own answers

    @Test
    void heatMapIsTheEnginesAndItsCellsAddUpToTheSamples() throws Exception {
        String id = upload("heat", Fixtures.JAVA_GZ);
        Trace trace = Fixtures.trace(Fixtures.JAVA_GZ);

        HttpResponse<String> response = server.get("/admin/traces/" + id + "/heatmap");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        HeatMap expected = HeatMap.of(trace, SampleFilter.all());
        assertThat(response.body()).isEqualTo(engineJson(out -> TraceJson.heatMap(expected, out)));
        JsonNode map = json(response);
        long sum = 0;
        for (JsonNode column : map.get("values")) {
            for (JsonNode cell : column) {
                sum += cell.asLong();
            }
        }
        assertThat(sum).isEqualTo(map.get("samples").asLong()).isEqualTo(expected.samples()).isPositive();
        assertThat(map.get("rows")).hasSize(50);

        String event = trace.events().get(0);
        HttpResponse<String> ten = server.get("/admin/traces/" + id + "/heatmap?rows=10&idle=true&event=" + event);
        assertThat(ten.body()).isEqualTo(engineJson(out -> TraceJson.heatMap(HeatMap.of(trace,
                SampleFilter.all().withEvent(event).withIdle(true), HeatMap.Options.DEFAULT.withRows(10)), out)));
        int pid = trace.samples().pid(0);
        HttpResponse<String> onePid = server.get("/admin/traces/" + id + "/heatmap?pid=" + pid);
        assertThat(onePid.body()).isEqualTo(engineJson(out -> TraceJson.heatMap(HeatMap.of(trace,
                SampleFilter.all().withPids(pid)), out)));

        HttpResponse<String> badRows = server.get("/admin/traces/" + id + "/heatmap?rows=0");
        assertThat(badRows.statusCode()).isEqualTo(400);
        assertThat(json(badRows).get("error").asText()).contains("rows=0");
        HttpResponse<String> badEvent = server.get("/admin/traces/" + id + "/heatmap?event=cycles");
        assertThat(badEvent.statusCode()).isEqualTo(400);
        assertThat(json(badEvent).get("error").asText()).contains("event=cycles");
        HttpResponse<String> unknown = server.get("/admin/traces/" + id + "/heatmap?colums=3");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("unknown parameter colums");
    }

    @Test
    void flameGraphOfARangeIsTheEnginesAndARangePastTheEndIs416() throws Exception {
        String id = upload("flame", Fixtures.JAVA_GZ);
        Trace trace = Fixtures.trace(Fixtures.JAVA_GZ);

        HttpResponse<String> whole = server.get("/admin/traces/" + id + "/flamegraph");
        assertThat(whole.body()).isEqualTo(engineJson(out -> TraceJson.flameGraph(FlameGraphs.build(trace,
                SampleFilter.all()), out)));
        assertThat(json(whole).get("root").get("total").asLong()).isEqualTo(json(whole).get("samples").asLong());

        HttpResponse<String> range = server.get("/admin/traces/" + id + "/flamegraph?start=2&end=4.5&minWidth=0.01");
        SampleFilter twoSeconds = SampleFilter.seconds(trace, 2, 4.5);
        assertThat(range.body()).isEqualTo(engineJson(out -> TraceJson.flameGraph(FlameGraphs.build(trace, twoSeconds,
                FlameGraphs.Options.DEFAULT.withMinWidth(0.01)), out)));
        assertThat(json(range).get("root").get("total").asLong()).isEqualTo(twoSeconds.select(trace).sampleCount());

        HttpResponse<String> weight = server.get("/admin/traces/" + id + "/flamegraph?measure=weight");
        assertThat(json(weight).get("unit").asText()).isEqualTo("ns");

        HttpResponse<String> past = server.get("/admin/traces/" + id + "/flamegraph?start=2&end=1000");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(json(past).get("error").asText()).contains("end=1000").contains("the trace spans 0 to");
        assertThat(server.get("/admin/traces/" + id + "/flamegraph?start=5&end=3").statusCode()).isEqualTo(416);
        assertThat(server.get("/admin/traces/" + id + "/flamegraph?start=-1").statusCode()).isEqualTo(416);
        assertThat(server.get("/admin/traces/" + id + "/svg?start=999").statusCode()).isEqualTo(416);
        HttpResponse<String> notANumber = server.get("/admin/traces/" + id + "/flamegraph?start=two");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(json(notANumber).get("error").asText()).contains("start=two");

        String folded = upload("untimed", Fixtures.FOLDED);
        HttpResponse<String> untimed = server.get("/admin/traces/" + folded + "/heatmap");
        assertThat(untimed.statusCode()).isEqualTo(400);
        assertThat(json(untimed).get("error").asText()).contains("no timestamps");
    }

    @Test
    void aSecondQueryIsServedFromTheCache() throws Exception {
        String id = upload("cached", Fixtures.PYTHON);
        long loads = server.cache.loads();
        long hits = server.cache.hits();
        HttpResponse<String> first = server.get("/admin/traces/" + id + "/heatmap");
        HttpResponse<String> second = server.get("/admin/traces/" + id + "/heatmap");
        server.get("/admin/traces/" + id + "/flamegraph?start=1&end=2");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(server.cache.loads()).isEqualTo(loads + 1);
        assertThat(server.cache.hits()).isEqualTo(hits + 2);
    }

    @Test
    void invocationsAreTheStoredMarksWithTheirHeatMapAndFlameGraph() throws Exception {
        Trace trace = Fixtures.trace(Fixtures.PYTHON);
        List<InvocationMark> marks = new ArrayList<>();
        long step = (trace.endNanos() - trace.startNanos()) / 5;
        for (int i = 0; i < 5; i++) {
            long start = trace.startNanos() + i * step;
            marks.add(new InvocationMark("inv-" + i, start, start + step / 2, trace.samples().pid(0), "fib",
                    i == 3 ? "Failed" : "Succeeded"));
        }
        Path copy = dir.resolve("profiled.perf");
        Files.copy(Fixtures.path(Fixtures.PYTHON), copy);
        String id = server.store.put(copy, Map.of("name", "fib"), marks).id();
        List<Invocation> invocations = marks.stream().map(InvocationMark::toInvocation).toList();

        HttpResponse<String> listed = server.get("/admin/traces/" + id + "/invocations");
        JsonNode body = json(listed);
        assertThat(body.get("count").asInt()).isEqualTo(5);
        assertThat(body.get("invocations").get(3).get("status").asText()).isEqualTo("Failed");
        assertThat(body.get("invocations").get(0).get("startNanos").asLong()).isEqualTo(marks.get(0).startNanos());
        assertThat(body.has("heatmap")).isFalse();

        JsonNode withMap = json(server.get("/admin/traces/" + id + "/invocations?heatmap=true&rows=20"));
        InvocationHeatMap expected = InvocationHeatMap.of(trace, SampleFilter.all(), invocations,
                InvocationHeatMap.Options.DEFAULT.withRows(20));
        JsonNode map = withMap.get("heatmap");
        assertThat(map.get("columns").asInt()).isEqualTo(5);
        assertThat(map.get("rows")).hasSize(expected.rows());
        assertThat(map.get("samples").asLong()).isEqualTo(expected.samples());
        assertThat(map.get("outside").asLong()).isEqualTo(expected.outside());
        assertThat(JSON.convertValue(map.get("values"), long[][].class)).isEqualTo(expected.values());
        assertThat(JSON.convertValue(map.get("totals"), long[].class)).isEqualTo(expected.totals());

        HttpResponse<String> two = server.get("/admin/traces/" + id + "/flamegraph?invocations=inv-1,inv-3");
        assertThat(two.body()).isEqualTo(engineJson(out -> TraceJson.flameGraph(FlameGraphs.build(trace,
                SampleFilter.all().withInvocations(List.of(invocations.get(1), invocations.get(3)))), out)));
        HttpResponse<String> all = server.get("/admin/traces/" + id + "/flamegraph?invocations=all");
        assertThat(json(all).get("samples").asLong()).isEqualTo(expected.samples());
        HttpResponse<String> unknown = server.get("/admin/traces/" + id + "/flamegraph?invocations=inv-9");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("no invocation \"inv-9\"");

        JsonNode perInvocation = json(server.get("/admin/traces/" + id
                + "/diff?invocations=inv-0,inv-1&withInvocations=inv-3&normalize=per_invocation"));
        assertThat(perInvocation.get("normalization").asText()).isEqualTo("per_invocation");
        Differential diff = Differential.compare(
                Differential.Side.of(trace, SampleFilter.all().withInvocations(invocations.subList(0, 2))),
                Differential.Side.of(trace, SampleFilter.all().withInvocations(List.of(invocations.get(3)))),
                Differential.Options.DEFAULT.withNormalization(Differential.Normalization.PER_INVOCATION));
        assertThat(JSON.writeValueAsString(perInvocation)).isEqualTo(JSON.writeValueAsString(
                JSON.readTree(engineJson(out -> TraceJson.differential(diff, out)))));
    }

    @Test
    void diffOfTwoRangesAndOfTwoTracesIsTheEngines() throws Exception {
        String id = upload("diff-a", Fixtures.JAVA_GZ);
        String other = upload("diff-b", Fixtures.PYTHON);
        Trace java = Fixtures.trace(Fixtures.JAVA_GZ);
        Trace python = Fixtures.trace(Fixtures.PYTHON);

        HttpResponse<String> ranges = server.get("/admin/traces/" + id + "/diff?start=0&end=5&withStart=5&withEnd=11");
        assertThat(ranges.statusCode()).as(ranges.body()).isEqualTo(200);
        assertThat(ranges.body()).isEqualTo(engineJson(out -> TraceJson.differential(Differential.compare(
                Differential.Side.of(java, SampleFilter.seconds(java, 0, 5)),
                Differential.Side.of(java, SampleFilter.seconds(java, 5, 11))), out)));

        HttpResponse<String> twoTraces = server.get("/admin/traces/" + id + "/diff?with=" + other + "&delta=total");
        assertThat(twoTraces.body()).isEqualTo(engineJson(out -> TraceJson.differential(Differential.compare(
                Differential.Side.of(java, SampleFilter.all()), Differential.Side.of(python, SampleFilter.all()),
                Differential.Options.DEFAULT.withDelta(Differential.Delta.TOTAL)
                        .withNames(dev.flint.trace.query.NameNormalizer.CROSS_MACHINE)), out)));
        JsonNode root = json(twoTraces).get("root");
        assertThat(root.get("totalA").asLong()).isEqualTo(json(twoTraces).get("samplesA").asLong());

        HttpResponse<String> missing = server.get("/admin/traces/" + id + "/diff?with=20200101T000000Z-00000000");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).contains("(with=)");
        assertThat(server.get("/admin/traces/" + id + "/diff?withEnd=500").statusCode()).isEqualTo(416);
        assertThat(server.get("/admin/traces/" + id + "/diff?normalize=median").statusCode()).isEqualTo(400);
    }

    @Test
    void exportsFoldedSvgAndSpeedscope() throws Exception {
        String id = upload("exports", Fixtures.PYTHON);
        Trace trace = Fixtures.trace(Fixtures.PYTHON);

        HttpResponse<String> folded = server.get("/admin/traces/" + id + "/folded");
        assertThat(folded.statusCode()).isEqualTo(200);
        assertThat(folded.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(folded.body()).isEqualTo(FoldedWriter.toString(trace, FoldedWriter.Options.DEFAULT));
        assertThat(server.get("/admin/traces/" + id + "/folded?counts=true&annotate=pid").body())
                .isEqualTo(FoldedWriter.toString(trace, FoldedWriter.Options.DEFAULT.withCounts().withNames(
                        dev.flint.trace.export.CollapseNames.Options.DEFAULT.withPid())));

        String collapsed = upload("collapsed", Fixtures.FOLDED);
        HttpResponse<String> refolded = server.get("/admin/traces/" + collapsed + "/folded");
        assertThat(refolded.body()).isEqualTo(FoldedWriter.toString(Fixtures.trace(Fixtures.FOLDED),
                FoldedWriter.Options.DEFAULT.withNames(dev.flint.trace.export.CollapseNames.Options.DEFAULT.withRawNames())))
                .contains("Loop.main;Loop.sortWork;java/util/Arrays.sort");
        assertThat(server.get("/admin/traces/" + collapsed + "/flamegraph?invocations=all").statusCode()).isEqualTo(400);

        HttpResponse<String> svg = server.get("/admin/traces/" + id + "/svg?start=1&end=3");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).contains("image/svg+xml; charset=utf-8");
        assertThat(svg.body()).isEqualTo(dev.flint.trace.export.SvgFlameGraph.toSvg(FlameGraphs.build(trace,
                SampleFilter.seconds(trace, 1, 3)), dev.flint.trace.export.SvgFlameGraph.Options.DEFAULT
                .withTitle("exports (" + id + ")")));

        HttpResponse<String> speedscope = server.get("/admin/traces/" + id + "/speedscope");
        assertThat(speedscope.statusCode()).isEqualTo(200);
        assertThat(speedscope.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        // Its name is the trace's source: the store reads a trace under its id.
        dev.flint.trace.export.SpeedscopeWriter.write(TraceStore.read(server.store.file(id), id), dev.flint.trace.export.SpeedscopeWriter.Options.DEFAULT,
                expected);
        assertThat(speedscope.body()).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        assertThat(json(speedscope).get("$schema").asText()).contains("speedscope");
    }

    @Test
    void aLargeExportIsStreamedInChunks() throws Exception {
        // 25,000 samples with distinct stacks: the folded and speedscope answers are past the 1 MiB sent whole.
        StringBuilder perf = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            perf.append("proc 100/100 [000] ").append(1000 + i / 200).append('.').append(String.format("%06d", i % 200 * 5000))
                    .append(":    5000000 cpu-clock: \n")
                    .append("\t    1000 a_function_with_a_rather_long_name_number_").append(i).append("+0x1 (/usr/bin/x)\n")
                    .append("\t    2000 main+0x2 (/usr/bin/x)\n\n");
        }
        byte[] body = perf.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = curl("large", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        Trace trace = TraceStore.read(server.store.file(id), id);

        HttpResponse<byte[]> folds = server.getBytes("/admin/traces/" + id + "/folded");
        assertThat(folds.statusCode()).isEqualTo(200);
        assertThat(folds.body().length).isGreaterThan(ResponseStream.BUFFER_BYTES);
        assertThat(folds.headers().firstValue("Content-Length")).isEmpty();
        assertThat(new String(folds.body(), StandardCharsets.UTF_8))
                .isEqualTo(FoldedWriter.toString(trace, FoldedWriter.Options.DEFAULT));

        HttpResponse<byte[]> speedscope = server.getBytes("/admin/traces/" + id + "/speedscope");
        assertThat(speedscope.statusCode()).isEqualTo(200);
        assertThat(speedscope.body().length).isGreaterThan(ResponseStream.BUFFER_BYTES);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        dev.flint.trace.export.SpeedscopeWriter.write(trace, dev.flint.trace.export.SpeedscopeWriter.Options.DEFAULT,
                expected);
        assertThat(speedscope.body()).isEqualTo(expected.toByteArray());
    }
}
