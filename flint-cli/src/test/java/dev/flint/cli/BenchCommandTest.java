package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flint.bench.report.JsonReport;
import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.TargetResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flint bench}, run in-process against a small loopback server that logs what it is sent. */
class BenchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService executor;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
    private volatile int profileStatus = 201;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String uri = exchange.getRequestURI().toString();
                try (InputStream in = exchange.getRequestBody()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    seen.add(exchange.getRequestMethod() + " " + uri + (body.isEmpty() ? "" : " " + body));
                }
                String key = exchange.getRequestHeaders().getFirst("x-functions-key");
                if (key != null) {
                    keys.add(key);
                }
                if (uri.startsWith("/admin/functions/")) {
                    respond(exchange, profileStatus, profileStatus == 201 ? "{\"id\":\"trace-1\"}"
                            : "{\"error\":\"perf is not installed\"}");
                } else {
                    respond(exchange, uri.contains("fail") ? 500 : 200, "{\"ok\":true}");
                }
            }
        });
        server.start();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private record Result(int exitCode, String out, String err) {}

    /** {@code flint bench <args...>} in-process, with the exit-code mapping of {@code flint}. */
    private Result bench(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand(Map.of()));
        cli.setExecutionExceptionHandler(FlintCommand.commandLine().getExecutionExceptionHandler());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Result ok(String... args) {
        Result result = bench(args);
        assertThat(result.exitCode()).as("flint bench %s\nstdout: %s\nstderr: %s", String.join(" ", args),
                result.out(), result.err()).isZero();
        return result;
    }

    /** An app whose function circle (route api/circle, anonymous) is served by the test server. */
    private Path circleApp(String authLevel) {
        return AppFolder.in(dir.resolve("app"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'python3'},"
                        + "'enableForwardingHttpRequest':true}}")
                .localSettings("{'Values':{},'Host':{'LocalHttpPort':" + server.getAddress().getPort() + "}}")
                .function("circle", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'"
                        + authLevel + "','methods':['get','post']},{'type':'http','direction':'out','name':'res'}]}")
                .function("products", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req',"
                        + "'route':'products/{id:int}'},{'type':'http','direction':'out','name':'res'}]}")
                .root();
    }

    @Test
    void aUrlForACountPrintsTheTextReportAndWritesJsonThatParsesBack() throws Exception {
        Path json = dir.resolve("out/result.json");
        Result result = ok(url("/api/circle?radius=2"), "-n", "300", "-c", "4", "--threads", "1", "--json", json.toString());

        assertThat(result.out()).contains("flint bench:").contains("requests/s").contains("p99");
        assertThat(result.err()).contains("wrote " + json);
        BenchResult parsed;
        try (InputStream in = Files.newInputStream(json)) {
            parsed = JsonReport.read(in);
        }
        TargetResult target = parsed.targets().get(0);
        assertThat(target.requests()).isEqualTo(300);
        assertThat(target.statuses()).containsExactly(Map.entry(200, 300L));
        assertThat(target.url()).isEqualTo(url("/api/circle?radius=2"));
        assertThat(seen).hasSize(300);
        assertThat(dir.resolve(".flint")).as("no app: nothing stored").doesNotExist();
    }

    @Test
    void aStoredResultIsRenderedAgainWithoutLoadAndABrokenOneIsNamed() throws Exception {
        Path json = dir.resolve("result.json");
        Result run = ok(url("/api/circle?radius=2"), "-n", "200", "-c", "2", "--threads", "1", "--json", json.toString());
        int served = seen.size();
        Path svg = dir.resolve("again.svg");
        Result again = ok("--report", json.toString(), "--svg", svg.toString());
        assertThat(again.out()).as("the same table").isEqualTo(run.out());
        assertThat(Files.readString(svg)).startsWith("<svg").contains("127.0.0.1");
        assertThat(seen).as("no request was sent").hasSize(served);

        Files.writeString(json, Files.readString(json).replace("\"flint-bench/1\"", "\"flint-bench/9\""));
        Result broken = bench("--report", json.toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains(json.toString()).contains("schema");
        assertThat(bench("--report", dir.resolve("none.json").toString()).err()).contains("no such file");
    }

    @Test
    void withoutABoundItIsRefusedNamingTheOptions() {
        Result result = bench(url("/"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("a run needs a bound").contains("--duration").contains("--requests");
        assertThat(seen).isEmpty();
    }

    @Test
    void limitsAndMistakesAreExitCode2() {
        assertThat(bench(url("/"), "-d", "2h").err()).contains("--duration must be at most 1h");
        assertThat(bench(url("/"), "-d", "1s", "-c", "20000").err()).contains("--connections must be from 1 to 10000");
        assertThat(bench(url("/"), "-d", "soon").exitCode()).isEqualTo(2);
        assertThat(bench("https://example.com/", "-d", "1s").err()).contains("https is not supported");
        assertThat(bench(url("/?r={{nope}}"), "-d", "1s").err()).contains("unknown template field {{nope}}");
        Result both = bench(url("/"), "--compare", "a=" + url("/"), "-d", "1s");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        assertThat(seen).isEmpty();
    }

    @Test
    void aFunctionOfTheAppIsLoadedOnItsRouteAndTheRunIsStored() throws Exception {
        Path app = circleApp("anonymous");
        Result result = ok("circle?radius={{random:1:100}}", "--app", app.toString(), "-n", "200", "-c", "2",
                "--threads", "1");

        assertThat(seen).hasSize(200).allMatch(s -> s.matches("GET /api/circle\\?radius=\\d+"));
        assertThat(seen.stream().distinct().count()).as("radii vary").isGreaterThan(20);
        assertThat(keys).as("an anonymous function gets no key").isEmpty();
        Path bench = app.resolve(".flint/bench");
        List<Path> runs;
        try (Stream<Path> list = Files.list(bench)) {
            runs = list.toList();
        }
        assertThat(runs).hasSize(1);
        Path run = runs.get(0);
        assertThat(run.getFileName().toString()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{4}");
        assertThat(result.err()).contains("stored in " + run);
        assertThat(run.resolve("report.html")).content().contains("<html").contains("circle");
        assertThat(run.resolve("plot.svg")).content().contains("<svg");
        assertThat(run.resolve("circle.hgrm")).content().contains("Value").contains("Percentile");
        try (InputStream in = Files.newInputStream(run.resolve("result.json"))) {
            assertThat(JsonReport.read(in).targets().get(0).name()).isEqualTo("circle");
        }
    }

    @Test
    void aFunctionThatNeedsAKeyGetsTheMasterKey() throws Exception {
        Path app = circleApp("function");
        ok("circle", "--app", app.toString(), "-n", "20", "-c", "1", "--no-store");

        JsonNode stored = JSON.readTree(app.resolve(".flint/keys.json").toFile());
        assertThat(stored.toString()).contains(keys.peek());
        assertThat(keys).hasSize(20).containsOnly(keys.peek());
        assertThat(app.resolve(".flint/bench")).doesNotExist();
    }

    @Test
    void functionsThatCannotBeTargetedAreExplained() {
        Path app = circleApp("anonymous");
        assertThat(bench("square", "--app", app.toString(), "-d", "1s").err())
                .contains("has no function \"square\"").contains("circle").contains("products");
        assertThat(bench("products", "--app", app.toString(), "-d", "1s").err())
                .contains("has parameters (/api/products/{id:int})");
        assertThat(bench("circle", "--app", app.toString(), "-X", "DELETE", "-d", "1s").err())
                .contains("answers GET, POST, not DELETE");
        assertThat(bench("circle", "--app", dir.resolve("nowhere").toString(), "-d", "1s").err()).contains("cannot be read");
    }

    @Test
    void compareRunsTheTargetsSideBySideAndWritesEveryReport() throws Exception {
        Result result = ok("--compare", "fast=" + url("/fast"), "slow=" + url("/fail"), "-n", "120", "--rounds", "3",
                "-c", "2", "--threads", "1", "--json", "-", "--hgrm-dir", dir.resolve("h").toString(),
                "--html", dir.resolve("r.html").toString(), "--svg", dir.resolve("p.svg").toString());

        BenchResult parsed = JsonReport.read(new java.io.ByteArrayInputStream(result.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(parsed.targets()).extracting(TargetResult::name).containsExactly("fast", "slow");
        assertThat(parsed.settings().rounds()).isEqualTo(3);
        assertThat(parsed.targets().get(0).statuses()).containsExactly(Map.entry(200, 120L));
        assertThat(parsed.targets().get(1).statuses()).containsExactly(Map.entry(500, 120L));
        assertThat(dir.resolve("h/fast.hgrm")).exists();
        assertThat(dir.resolve("h/slow.hgrm")).exists();
        assertThat(dir.resolve("r.html")).content().contains("fast").contains("slow");
        assertThat(dir.resolve("p.svg")).content().startsWith("<");
        // Interleaved: 40 to one, 40 to the other, and so on.
        List<String> order = seen.stream().map(s -> s.contains("/fast") ? "fast" : "slow").toList();
        List<String> runs = new java.util.ArrayList<>();
        for (String s : order) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(s)) {
                runs.add(s);
            }
        }
        assertThat(runs).containsExactly("fast", "slow", "fast", "slow", "fast", "slow");
    }

    @Test
    void profileAsksTheRunningFlintAndLinksTheTrace() throws Exception {
        Path app = circleApp("anonymous");
        Path json = dir.resolve("result.json");
        Result result = ok("circle", "--app", app.toString(), "-d", "300ms", "--warmup", "0", "-c", "1", "--profile",
                "--json", json.toString(), "--no-store");

        assertThat(seen).contains("POST /admin/functions/circle/profile?seconds=1");
        JsonNode stored = JSON.readTree(app.resolve(".flint/keys.json").toFile());
        assertThat(keys).hasSize(1);
        assertThat(stored.toString()).contains(keys.peek());
        try (InputStream in = Files.newInputStream(json)) {
            assertThat(JsonReport.read(in).targets().get(0).traceUrl()).isEqualTo(url("/admin/traces/trace-1/svg"));
        }
        assertThat(result.err()).doesNotContain("without a trace");
    }

    @Test
    void profileWithoutPerfSaysSoAndGoesOn() throws Exception {
        profileStatus = 503;
        Path app = circleApp("anonymous");
        Result result = ok("circle", "--app", app.toString(), "-d", "300ms", "--warmup", "0", "-c", "1", "--profile",
                "--no-store");
        assertThat(result.err()).contains("--profile circle: Flint cannot profile: perf is not installed; going on without a trace");
        assertThat(bench(url("/"), "-d", "1s", "--profile").err()).contains("give a FUNCTION target");
    }

    @Test
    void aTargetThatNeverAnswersIsExitCode1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Result result = bench("http://127.0.0.1:" + port + "/", "-d", "200ms", "--warmup", "0", "-c", "1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("gave no answer").contains("connect");
        assertThat(result.out()).contains("flint bench:");
    }

    @Test
    void progressGoesToStderrAsPlainLines() {
        Result result = ok(url("/"), "-d", "300ms", "--warmup", "200ms", "-c", "1");
        assertThat(result.err()).contains("flint bench: ").contains("req/s").doesNotContain("\r");
        assertThat(result.out()).doesNotContain("req/s  ");
        assertThat(ok(url("/"), "-n", "3", "--no-progress").err()).as("one target: one round, whatever --rounds").isEmpty();
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        BenchCommand.DurationConverter converter = new BenchCommand.DurationConverter();
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(converter.convert("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        for (String bad : new String[] {"", "s", "10 s", "ten", "-1s", "1d"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class);
        }
    }

    @Test
    void flintListsBenchAndItsHelpExplainsTargetsAndTemplates() {
        StringWriter out = new StringWriter();
        CommandLine cli = FlintCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("bench", "--help")).isZero();
        assertThat(out.toString()).contains("--compare").contains("--rate").contains("{{random:MIN:MAX}}")
                .contains("FUNCTION[?QUERY]").contains("coordinated omission");
    }
}
