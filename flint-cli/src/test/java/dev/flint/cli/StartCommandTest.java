package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real {@code flint start}, run as a child JVM the way the {@code ./flint} launcher runs it:
 * what it prints, what it serves, how it refuses a broken app or a taken port, and that it stops
 * its handler when it is stopped.
 */
class StartCommandTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final String TIMESTAMP = "\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] ";
    private static final Pattern BANNER_END = Pattern.compile("^For detailed output, run flint with --verbose\\.$");
    /** The exit status of a JVM stopped by SIGTERM: 128 + 15, after its shutdown hooks have run. */
    private static final int EXIT_ON_SIGTERM = 143;

    @RegisterExtension
    final FlintCli flint = new FlintCli();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    // ---- the circle example, start to stop

    @Test
    void circleExampleIsListedServedLoggedAndLeavesNoHandlerBehindAfterSigterm() throws Exception {
        Path app = Repo.examples().resolve("circle");
        ChildProcess flint = this.flint.run("start", app.toString(), "--port", "0");

        Matcher banner = flint.awaitStdoutLine(functionLine("circle", "api/circle"), STARTUP);
        assertThat(methodsOf(banner)).as("methods in the banner line %s", banner.group())
                .containsExactlyInAnyOrder("GET", "POST");
        int port = Integer.parseInt(banner.group(3));
        assertThat(port).as("the banner shows the port picked for --port 0").isPositive();
        assertThat(flint.stdout()).as("the banner names the app and its mode")
                .contains("App: " + app + "  (forwarding HTTP requests)");
        long handlerPid = Long.parseLong(flint.awaitStdoutLine(handlerStarted("circle"), STARTUP).group(1));

        HttpResponse<String> response = get(port, "/api/circle?radius=2");
        assertThat(response.statusCode()).as("GET /api/circle?radius=2 answered %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"radius\":2.0,\"area\":12.566370614359172}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");

        Matcher executed = flint.awaitStdoutLine(Pattern.compile("^" + TIMESTAMP
                + "Executed 'Functions\\.circle' \\(Succeeded, Id=([0-9a-f-]{36}), Duration=\\d+ms\\)$"), Duration.ofSeconds(10));
        String id = executed.group(1);
        assertThat(flint.stdout()).as("the Executing line before the Executed line, with the same id")
                .containsPattern("(?m)^" + TIMESTAMP + "Executing 'Functions\\.circle' \\(Reason='This function was"
                        + " programmatically called via the host APIs\\.', Id=" + id + "\\)$");

        assertThat(flint.descendants()).extracting(ProcessHandle::pid)
                .as("the handler (pid %d) runs below the Flint JVM", handlerPid).contains(handlerPid);

        flint.sigterm();
        int code = flint.awaitExit(EXIT);
        assertThat(code).as("exit status of Flint after SIGTERM\n%s", flint.report()).isEqualTo(EXIT_ON_SIGTERM);
        assertThat(flint.stdout()).contains("Stopping the handler of circle (pid " + handlerPid + ")");
        for (ProcessHandle below : flint.seenDescendants()) {
            assertThat(ChildProcess.aliveProcess(below.pid()))
                    .as("process %d (%s), started below Flint, still runs after Flint exited",
                            below.pid(), below.info().commandLine().orElse("?"))
                    .isEmpty();
        }
    }

    @Test
    void sigtermWhileTheHandlerStartsStartsNoNewHandlerAndKillsNoneBeforeItsGracePeriod() {
        AppFolder app = AppFolder.pythonHello(dir.resolve("early-stop"));
        ChildProcess flint = this.flint.run("start", app.root().toString(), "--port", "0");
        // As soon as the banner is out, as a user pressing Ctrl-C at once, or a supervisor stopping a fresh Flint.
        flint.onStdoutLine(line -> line.equals("Functions:"), flint::sigterm);

        int code = flint.awaitExit(EXIT);

        assertThat(code).as("exit status of Flint after SIGTERM\n%s", flint.report()).isEqualTo(EXIT_ON_SIGTERM);
        String out = flint.stdout();
        int stopping = out.indexOf("Stopping Flint");
        assertThat(stopping).as("the Stopping Flint line\n%s", flint.report()).isNotNegative();
        assertThat(out.substring(stopping)).as("what Flint logged once it was stopping\n%s", flint.report())
                .doesNotContain("Started the handler")
                .doesNotContain("did not stop within");
        for (ProcessHandle below : flint.seenDescendants()) {
            assertThat(ChildProcess.aliveProcess(below.pid())).as("process %d still runs after Flint exited", below.pid())
                    .isEmpty();
        }
    }

    // ---- apps Flint refuses to start

    record BrokenApp(Consumer<AppFolder> write, Function<Path, String> expectedProblem) {}

    static Stream<Named<BrokenApp>> brokenApps() {
        return Stream.of(
                Named.of("a function.json with an unknown binding type", new BrokenApp(
                        app -> app.function("circle", "{'bindings':[{'type':'htpTrigger','direction':'in','name':'req'},"
                                + "{'type':'http','direction':'out','name':'res'}]}"),
                        root -> root.resolve("circle/function.json") + ": $.bindings[0].type: unknown binding type \"htpTrigger\"")),
                Named.of("a function.json that is not JSON", new BrokenApp(
                        app -> app.verbatim("circle/function.json", "{\"bindings\": [\n  {\"type\": \"httpTrigger\",,}\n"),
                        root -> root.resolve("circle/function.json") + ": line 2, column 26: is not valid JSON: Unexpected character")),
                Named.of("a function.json with two triggers", new BrokenApp(
                        app -> app.function("circle", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req'},"
                                + "{'type':'timerTrigger','direction':'in','name':'timer','schedule':'0 * * * * *'},"
                                + "{'type':'http','direction':'out','name':'res'}]}"),
                        root -> root.resolve("circle/function.json") + ": $.bindings: has 2 triggers")),
                Named.of("no host.json", new BrokenApp(
                        app -> app.delete("host.json"),
                        root -> root.resolve("host.json") + ": is missing")),
                Named.of("a host.json without customHandler", new BrokenApp(
                        app -> app.hostJson("{'version':'2.0'}"),
                        root -> root.resolve("host.json") + ": $.customHandler: is required")),
                Named.of("a handler executable that does not exist", new BrokenApp(
                        app -> app.hostJson("{'version':'2.0','customHandler':{'description':"
                                + "{'defaultExecutablePath':'target/release/handler'}}}"),
                        root -> root.resolve("host.json") + ": $.customHandler.description.defaultExecutablePath:"
                                + " \"target/release/handler\" was not found")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenApps")
    void aBrokenAppIsRefusedWithExitCode2NamingTheFileAndJsonPathAndNoHandlerStarts(BrokenApp broken) {
        // A handler that leaves a mark when it runs; it must not run.
        AppFolder app = AppFolder.in(dir.resolve("broken"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'handler.sh'}}}")
                .script("handler.sh", "#!/bin/sh\ntouch handler-ran\nexec sleep 60\n")
                .httpFunction("circle", "['get']");
        broken.write().accept(app);
        Path root = app.root().toAbsolutePath().normalize();

        ChildProcess flint = this.flint.run("start", root.toString(), "--port", "0");
        int code = flint.awaitExit(EXIT);

        assertThat(code).as("exit code\n%s", flint.report()).isEqualTo(2);
        assertThat(flint.stderr()).as("stderr").startsWith("Flint cannot start the app in " + root + ":\n")
                .contains("  " + broken.expectedProblem().apply(root))
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(flint.stdout()).as("stdout").doesNotContain("Started the handler");
        assertThat(root.resolve("handler-ran")).as("the handler's mark").doesNotExist();
    }

    // ---- help and version

    @Test
    void helpPrintsTheUsageAndExits0() {
        ChildProcess flint = this.flint.run("--help");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(0);
        assertThat(flint.stdout()).startsWith("Usage: flint ").contains("--version").contains("start");
        assertThat(flint.stderr()).isEmpty();
    }

    @Test
    void startHelpPrintsItsOptionsAndExits0() {
        ChildProcess flint = this.flint.run("start", "--help");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(0);
        assertThat(flint.stdout()).startsWith("Usage: flint start ").contains("[APP]").contains("--port")
                .contains("--startup-timeout").contains("--address");
        assertThat(flint.stderr()).isEmpty();
    }

    @Test
    void versionPrintsOneLineWithFlintsVersionAndExits0() {
        ChildProcess flint = this.flint.run("--version");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(0);
        assertThat(flint.stdout()).matches("Flint \\d+\\.\\d+\\.\\d+\\S* \\(speaks the Azure Functions custom-handler"
                + " protocol of host 4\\.\\d+\\.\\d+\\)\n");
        assertThat(flint.stderr()).isEmpty();
    }

    @Test
    void anUnknownOptionIsRefusedWithExitCode2AndTheUsage() {
        ChildProcess flint = this.flint.run("start", "--no-such-option");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(2);
        assertThat(flint.stderr()).contains("Unknown option: '--no-such-option'").contains("Usage: flint start");
    }

    // ---- what the banner shows

    @Test
    void disabledAndUnsupportedFunctionsAreListedAsSuchWhileTheHttpFunctionServes() throws Exception {
        AppFolder app = AppFolder.pythonHello(dir.resolve("mixed"))
                .function("off", "{'disabled':true,'bindings':[{'type':'httpTrigger','direction':'in','name':'req',"
                        + "'authLevel':'anonymous','methods':['get']},{'type':'http','direction':'out','name':'res'}]}")
                .function("tick", "{'bindings':[{'type':'timerTrigger','direction':'in','name':'myTimer',"
                        + "'schedule':'0 */5 * * * *'}]}");
        ChildProcess flint = this.flint.run("start", app.root().toString(), "--port", "0");

        Matcher hello = flint.awaitStdoutLine(functionLine("hello", "api/hello"), STARTUP);
        flint.awaitStdoutLine(BANNER_END, STARTUP);
        List<String> lines = flint.stdout().lines().toList();
        assertThat(lines).as("stdout").contains("Function off is disabled.");
        assertThat(lines).as("stdout").anySatisfy(line -> assertThat(line)
                .matches("\\ttick: timerTrigger \\(not served: .*timerTrigger.*\\)"));
        assertThat(lines).as("stdout").noneSatisfy(line -> assertThat(line).contains("api/off"));

        int port = Integer.parseInt(hello.group(3));
        HttpResponse<String> response = get(port, "/api/hello");
        assertThat(response.statusCode()).as("GET /api/hello answered %s", response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msg\":\"hello world\"}");
        assertThat(get(port, "/api/off").statusCode()).as("GET /api/off, a disabled function").isEqualTo(404);
        assertThat(get(port, "/api/tick").statusCode()).as("GET /api/tick, a timer function").isEqualTo(404);
    }

    @Test
    void theBannerListsHttpMethodsInTheOrderOfFunctionJsonAsFuncStartDoes() {
        AppFolder app = AppFolder.pythonHello(dir.resolve("methods"))
                .httpFunction("hello", "['trace','options','patch','put','delete','head','post','get']");
        ChildProcess flint = this.flint.run("start", app.root().toString(), "--port", "0");

        Matcher hello = flint.awaitStdoutLine(functionLine("hello", "api/hello"), STARTUP);
        assertThat(hello.group(1)).as("the methods of the banner line %s", hello.group())
                .isEqualTo("TRACE,OPTIONS,PATCH,PUT,DELETE,HEAD,POST,GET");
    }

    // ---- which port

    @Test
    void localHttpPortOfLocalSettingsIsUsedWhenPortIsNotGiven() throws Exception {
        int port = freePort();
        AppFolder app = AppFolder.pythonHello(dir.resolve("settings-port"))
                .localSettings("{'IsEncrypted':false,'Values':{'FUNCTIONS_WORKER_RUNTIME':'custom'},"
                        + "'Host':{'LocalHttpPort':" + port + "}}");
        ChildProcess flint = this.flint.run("start", app.root().toString());

        Matcher hello = flint.awaitStdoutLine(functionLine("hello", "api/hello"), STARTUP);
        assertThat(Integer.parseInt(hello.group(3))).as("the port of the banner line %s", hello.group()).isEqualTo(port);
        HttpResponse<String> response = get(port, "/api/hello");
        assertThat(response.statusCode()).as("GET /api/hello on port %d answered %s", port, response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msg\":\"hello world\"}");
    }

    @Test
    void aPortInUseIsRefusedWithOneLineNamingThePortAndNoHandlerStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            AppFolder app = AppFolder.pythonHello(dir.resolve("port-taken"));
            ChildProcess flint = this.flint.run("start", app.root().toString(), "--port", Integer.toString(port));

            int code = flint.awaitExit(EXIT);

            assertThat(code).as("exit code\n%s", flint.report()).isNotZero();
            List<String> errors = flint.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(errors).as("stderr lines").singleElement().asString()
                    .contains(Integer.toString(port)).containsIgnoringCase("in use")
                    .doesNotContain("Exception");
            assertThat(flint.stdout()).as("stdout").doesNotContain("Started the handler").doesNotContain("Functions:");
        }
    }

    @Test
    void aSecondFlintOnTheSamePortIsRefusedInsteadOfSharingThePort() throws Exception {
        ChildProcess first = this.flint.run("start", AppFolder.pythonHello(dir.resolve("first")).root().toString(),
                "--port", "0");
        int port = Integer.parseInt(first.awaitStdoutLine(functionLine("hello", "api/hello"), STARTUP).group(3));

        ChildProcess second = this.flint.run("start", AppFolder.pythonHello(dir.resolve("second")).root().toString(),
                "--port", Integer.toString(port));
        ChildProcess.poll(() -> !second.isAlive() || second.stdout().contains("Functions:"), STARTUP);

        if (second.isAlive()) {
            // Show what that means: connections to the port are spread over both.
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                getOnNewConnection(port, "/api/hello");
            }
            ChildProcess.poll(() -> executions(first, "hello") + executions(second, "hello") >= requests, Duration.ofSeconds(10));
            throw new AssertionError("a second Flint started on port " + port + ", where the first Flint listens, and"
                    + " the two share it: of " + requests + " requests on new connections, the first Flint served "
                    + executions(first, "hello") + " and the second " + executions(second, "hello")
                    + "; expected the second to refuse the port with exit code 1\n" + second.report());
        }
        assertThat(second.awaitExit(EXIT)).as("exit code of the second Flint\n%s", second.report()).isNotZero();
        assertThat(second.stderr()).contains(Integer.toString(port)).containsIgnoringCase("in use");
        assertThat(first.isAlive()).as("the first Flint still runs").isTrue();
    }

    // ---- helpers

    /** A banner line {@code \t<name>: [METHODS] http://localhost:PORT/<path>}: group 1 methods, 2 URL, 3 port. */
    private static Pattern functionLine(String name, String path) {
        return Pattern.compile("^\\t" + Pattern.quote(name) + ": \\[([A-Z,]+)\\] (http://localhost:(\\d+)/"
                + Pattern.quote(path) + ")$");
    }

    private static List<String> methodsOf(Matcher bannerLine) {
        return Arrays.asList(bannerLine.group(1).split(","));
    }

    /** {@code Started the handler of <app>: pid N}: group 1 is the pid. */
    private static Pattern handlerStarted(String appName) {
        return Pattern.compile("Started the handler of " + Pattern.quote(appName) + ": pid (\\d+)");
    }

    private HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on a connection of its own (the HttpClient would reuse one), returning the status line. */
    private static String getOnNewConnection(int port, String path) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return response.lines().findFirst().orElse("");
        }
    }

    private static long executions(ChildProcess flint, String function) {
        return flint.stdout().lines().filter(l -> l.contains("Executed 'Functions." + function + "' (Succeeded")).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
