package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.FlintHost;
import dev.flint.host.HostOptions;
import dev.flint.host.app.AppLoader;
import dev.flint.host.process.HandlerEndpoint;
import dev.flint.host.process.HandlerSupervisor;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every app in {@code examples/} builds with its real toolchain, runs under Flint (in process) and
 * answers as its README says. Builds go into the example folders, where their output is ignored by
 * {@code examples/.gitignore}; an example whose toolchain is missing is skipped, with the reason.
 */
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SLOW_BUILD = Duration.ofMinutes(3);
    private static final double AREA_OF_2 = 12.566370614359172;
    private static final double AREA_OF_3 = 28.274333882308138;

    /** Each example folder is built at most once per run of this class: folder -> the handler's environment. */
    private static final Map<String, Map<String, String>> BUILT = new ConcurrentHashMap<>();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    enum Toolchain { PYTHON, NODE, JAVA, GO, RUST }

    enum Example {
        CIRCLE_PYTHON("circle", "Python", Toolchain.PYTHON),
        CIRCLE_NODE("circle/node", "Node.js", Toolchain.NODE),
        CIRCLE_JAVA("circle/java", "Java", Toolchain.JAVA),
        CIRCLE_GO("circle/go", "Go", Toolchain.GO),
        CIRCLE_RUST("circle/rust", "Rust", Toolchain.RUST),
        HELLO_RUST("hello", "Rust", Toolchain.RUST),
        HELLO_PYTHON("hello/python", "Python", Toolchain.PYTHON);

        final String folder;
        final String language;
        final Toolchain toolchain;

        Example(String folder, String language, Toolchain toolchain) {
            this.folder = folder;
            this.language = language;
            this.toolchain = toolchain;
        }

        Path path() {
            return Repo.examples().resolve(folder);
        }

        @Override
        public String toString() {
            return "examples/" + folder + " (" + language + ")";
        }
    }

    @Test
    void everyExampleAppIsCoveredHere() throws IOException {
        Path examples = Repo.examples();
        List<String> apps;
        try (Stream<Path> files = Files.walk(examples)) {
            apps = files.filter(p -> p.getFileName().toString().equals("host.json"))
                    .map(p -> examples.relativize(p.getParent()).toString().replace(File.separatorChar, '/'))
                    .filter(folder -> !folder.contains("target/") && !folder.contains("bin/"))
                    .toList();
        }
        assertThat(apps).as("folders of examples/ with a host.json")
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Example.class).stream().map(e -> e.folder).toList());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Example.class, names = "CIRCLE_.*", mode = EnumSource.Mode.MATCH_ANY)
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // a first Rust build may take a while
    void circleAnswersTheAreaForAQueryOrJsonRadiusAndRejectsABadOne(Example example) throws Exception {
        Map<String, String> environment = build(example);
        try (Running app = Running.start(example, environment)) {
            HttpResponse<String> byQuery = get(app, "/api/circle?radius=2");
            assertArea(example, byQuery, 2, AREA_OF_2);

            HttpResponse<String> byBody = http.send(HttpRequest.newBuilder(app.uri("/api/circle"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"radius\":3}")).build(), HttpResponse.BodyHandlers.ofString());
            assertArea(example, byBody, 3, AREA_OF_3);

            HttpResponse<String> bad = get(app, "/api/circle?radius=abc");
            assertThat(bad.statusCode()).as("%s: GET ?radius=abc answered %s", example, bad.body()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type")).as("%s: Content-Type of the 400", example)
                    .hasValue("application/json");
            assertThat(JSON.readTree(bad.body()).path("error").asText()).as("%s: error of %s", example, bad.body())
                    .isEqualTo("radius must be a number");

            HttpResponse<String> missing = get(app, "/api/circle");
            assertThat(missing.statusCode()).as("%s: GET without radius answered %s", example, missing.body()).isEqualTo(400);
            assertThat(JSON.readTree(missing.body()).path("error").asText()).startsWith("missing radius");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Example.class, names = "HELLO_.*", mode = EnumSource.Mode.MATCH_ANY)
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // a first Rust build may take a while
    void helloAnswersHelloWorldAsJson(Example example) throws Exception {
        Map<String, String> environment = build(example);
        try (Running app = Running.start(example, environment)) {
            for (String method : List.of("GET", "POST")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(app.uri("/api/hello"))
                        .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s: %s /api/hello answered %s", example, method, response.body())
                        .isEqualTo(200);
                assertThat(response.body()).as("%s: %s /api/hello", example, method).isEqualTo("{\"msg\":\"hello world\"}");
                assertThat(response.headers().firstValue("Content-Type")).as("%s: Content-Type", example)
                        .hasValue("application/json");
            }
        }
    }

    // ---- running an example

    /** An example under an in-process Flint on a free port; closing stops Flint and checks the handler is gone. */
    private record Running(Example example, FlintHost host, HandlerEndpoint handler) implements AutoCloseable {

        static Running start(Example example, Map<String, String> environment) throws Exception {
            FlintHost host = FlintHost.start(AppLoader.load(example.path(), environment),
                    HostOptions.defaults().withPort(0).withEnvironment(environment));
            try {
                HandlerSupervisor supervisor = host.handler().orElseThrow();
                try {
                    return new Running(example, host, supervisor.ready().get(30, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError(example + ": the handler was not ready within 30 s: " + supervisor.lastFailure());
                }
            } catch (Throwable t) {
                host.close();
                throw t;
            }
        }

        URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + host.port() + pathAndQuery);
        }

        @Override
        public void close() {
            host.close();
            assertThat(ChildProcess.aliveProcess(handler.pid()))
                    .as("%s: the handler (pid %d) still runs after Flint stopped", example, handler.pid()).isEmpty();
        }
    }

    private HttpResponse<String> get(Running app, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertArea(Example example, HttpResponse<String> response, double radius, double area)
            throws IOException {
        String request = response.request().method() + " " + response.request().uri().getRawPath()
                + Optional.ofNullable(response.request().uri().getRawQuery()).map(q -> "?" + q).orElse("");
        assertThat(response.statusCode()).as("%s: %s answered %s", example, request, response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as("%s: Content-Type of %s", example, request)
                .hasValue("application/json");
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.path("radius").isNumber()).as("%s: radius in %s", example, response.body()).isTrue();
        assertThat(json.path("radius").asDouble()).as("%s: radius in %s", example, response.body()).isEqualTo(radius);
        assertThat(json.path("area").isNumber()).as("%s: area in %s", example, response.body()).isTrue();
        // Full precision: every language writes the same double, A = pi * r^2.
        assertThat(json.path("area").asDouble()).as("%s: area in %s", example, response.body())
                .isEqualTo(area, within(0.0));
    }

    // ---- building an example

    /** Builds the example once per run with its toolchain; returns the environment to run it with. */
    private static Map<String, String> build(Example example) throws Exception {
        Map<String, String> done = BUILT.get(example.folder);
        if (done != null) {
            return done;
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        Path dir = example.path();
        switch (example.toolchain) {
            case PYTHON -> requireOnPath("python3", "python3 not installed");
            case NODE -> requireOnPath("node", "node not installed");
            case JAVA -> {
                Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
                Assumptions.assumeTrue(Files.isExecutable(javac), "no javac in the test's JDK: " + javac);
                run(example, List.of(javac.toString(), "--release", "17", "-d", "bin", "Handler.java"), Map.of());
                // host.json runs `java` from PATH; without one, the test's JDK stands in.
                if (onPath("java").isEmpty()) {
                    environment.put("PATH", javac.getParent() + File.pathSeparator + environment.getOrDefault("PATH", ""));
                }
            }
            case GO -> {
                Path go = requireOnPath("go", "go not installed");
                // GOTOOLCHAIN=local: never download another Go to build a `go 1.19` module.
                run(example, List.of(go.toString(), "build", "-o", "handler", "."), Map.of("GOTOOLCHAIN", "local"));
            }
            case RUST -> {
                Path cargo = onPath("cargo").or(() -> Optional.of(Path.of(System.getProperty("user.home"), ".cargo", "bin", "cargo"))
                        .filter(Files::isExecutable)).orElse(null);
                Assumptions.assumeTrue(cargo != null, "cargo not installed: no cargo on PATH (" + System.getenv("PATH")
                        + ") nor in ~/.cargo/bin");
                Map<String, String> env = Map.of("PATH", cargo.getParent() + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
                long started = System.nanoTime();
                run(example, List.of(cargo.toString(), "build", "--release", "--offline"), env);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.println(example + ": cargo build --release --offline took " + took.toMillis() + " ms");
                if (took.compareTo(SLOW_BUILD) > 0) {
                    System.out.println("WARNING: " + example + ": the Rust build took more than " + SLOW_BUILD.toMinutes() + " minutes");
                }
            }
        }
        Map<String, String> result = Map.copyOf(environment);
        BUILT.put(example.folder, result);
        return result;
    }

    private static void run(Example example, List<String> command, Map<String, String> extraEnvironment) {
        try (ChildProcess build = ChildProcess.start(command, example.path(), extraEnvironment)) {
            int code = build.awaitExit(BUILD_TIMEOUT);
            assertThat(code).as("%s: building with `%s` failed\n%s", example, String.join(" ", command), build.report())
                    .isEqualTo(0);
        }
    }

    private static Path requireOnPath(String program, String reason) {
        Optional<Path> found = onPath(program);
        Assumptions.assumeTrue(found.isPresent(), reason + ": no " + program + " on PATH (" + System.getenv("PATH") + ")");
        return found.get();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, program));
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
