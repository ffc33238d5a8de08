package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security options of {@code flint start} ({@code --enable-auth}, {@code --disable-auth},
 * {@code --data-dir}, {@code --cors}, {@code --cors-credentials}, {@code --[no-]developer-mode},
 * {@code --max-body-size}) and what the banner says about them, with the real CLI in a child JVM as
 * {@link StartCommandTest} runs it. The app is a tiny Python handler in forwarding mode: {@code open}
 * is anonymous, {@code secret} needs a function key; both answer {@code <METHOD> <path> <body bytes>}.
 */
class StartSecurityOptionsTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final Pattern BANNER_END = Pattern.compile("^For detailed output, run flint with --verbose\\.$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String HANDLER = """
            import os
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

            class Handler(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def log_message(self, fmt, *args):
                    pass

                def answer(self):
                    length = int(self.headers.get("Content-Length") or "0")
                    body = self.rfile.read(length) if length else b""
                    out = ("%s %s %d" % (self.command, self.path, len(body))).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)

                do_GET = do_POST = do_PUT = do_OPTIONS = answer

            port = int(os.environ["FUNCTIONS_CUSTOMHANDLER_PORT"])
            ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
            """;

    @RegisterExtension
    final FlintCli flint = new FlintCli();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AppFolder app(String name) {
        return AppFolder.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,"
                        + "'description':{'defaultExecutablePath':'python3','arguments':['handler.py']}}}")
                .verbatim("handler.py", HANDLER)
                .httpFunction("open", "['get','post']")
                .function("secret", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'methods':['get','post']},{'type':'http','direction':'out','name':'res'}]}");
    }

    /** Starts {@code flint start APP --port 0 <options>} and waits for the whole banner; returns the port. */
    private Started start(AppFolder app, String... options) {
        List<String> args = new ArrayList<>(List.of("start", app.root().toString(), "--port", "0"));
        args.addAll(List.of(options));
        ChildProcess child = flint.run(args.toArray(String[]::new));
        Matcher open = child.awaitStdoutLine(functionLine("open", "api/open"), STARTUP);
        child.awaitStdoutLine(BANNER_END, STARTUP);
        return new Started(child, Integer.parseInt(open.group(3)), bannerOf(child.stdout()));
    }

    private record Started(ChildProcess process, int port, List<String> banner) {}

    // ---- keys

    @Test
    void onLoopbackTheBannerSaysKeysAreNotCheckedAndNoKeyIsEverPrinted() throws Exception {
        AppFolder app = app("loopback");
        Started flint = start(app);

        assertThat(flint.banner()).as("banner").contains(
                "Keys: not checked, as under func start: Flint listens on loopback only. --enable-auth checks them.",
                "Developer mode: on (a failed invocation's 500 says why; --no-developer-mode hides it).");
        assertThat(flint.banner()).as("banner").noneMatch(l -> l.startsWith("CORS") || l.contains("WARNING")
                || l.startsWith("Throttle"));
        assertThat(get(flint.port(), "/api/secret", Map.of()).statusCode()).as("authLevel function, no key, on loopback")
                .isEqualTo(200);

        // The keys are made all the same, in <app>/.flint, for when --enable-auth or another address is used.
        List<String> values = keyValues(app.resolve(".flint/keys.json"));
        assertThat(values).hasSizeGreaterThanOrEqualTo(4);
        assertNoKeyPrinted(flint.process(), values);
    }

    @Test
    void withEnableAuthKeysAreCheckedTheBannerSaysWhereTheyAreAndNeverPrintsOne() throws Exception {
        AppFolder app = app("enabled");
        Path data = dir.resolve("data");
        Started flint = start(app, "--enable-auth", "--data-dir", data.toString());

        Path keysFile = data.resolve("keys.json");
        assertThat(flint.banner()).as("banner").anySatisfy(line -> assertThat(line)
                .startsWith("Keys: checked").contains(keysFile.toString()).contains("flint keys list"));
        assertThat(app.resolve(".flint")).as("--data-dir moves the keys out of the app").doesNotExist();
        JsonNode keys = JSON.readTree(keysFile.toFile());
        String hostKey = keys.path("host").path("default").asText();
        String functionKey = keys.path("functions").path("secret").path("default").asText();
        assertThat(hostKey).isNotEmpty();
        assertThat(functionKey).isNotEmpty();

        HttpResponse<String> noKey = get(flint.port(), "/api/secret", Map.of());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.headers().firstValue("X-Flint-Error")).hasValue("unauthorized");
        assertThat(noKey.body()).isEmpty();
        assertThat(get(flint.port(), "/api/secret", Map.of("x-functions-key", "not-a-key")).statusCode()).isEqualTo(401);

        HttpResponse<String> withHostKey = get(flint.port(), "/api/secret", Map.of("x-functions-key", hostKey));
        assertThat(withHostKey.statusCode()).as("with the host key, answered %s", withHostKey.body()).isEqualTo(200);
        assertThat(withHostKey.body()).isEqualTo("GET /api/secret 0");
        HttpResponse<String> withCode = get(flint.port(), "/api/secret?code=" + functionKey, Map.of());
        assertThat(withCode.statusCode()).as("with the function key in ?code=").isEqualTo(200);
        assertThat(get(flint.port(), "/api/open", Map.of()).statusCode()).as("anonymous").isEqualTo(200);

        flint.process().awaitStdoutLine(Pattern.compile("Rejected GET /api/secret with 401"), Duration.ofSeconds(10));
        assertNoKeyPrinted(flint.process(), keyValues(keysFile));
    }

    @Test
    void enableAuthWithDisableAuthIsRefusedWithExitCode2() {
        ChildProcess flint = this.flint.run("start", app("both").root().toString(), "--port", "0",
                "--enable-auth", "--disable-auth");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(2);
        assertThat(flint.stderr()).contains("--enable-auth").contains("--disable-auth").contains("contradict")
                .doesNotContain("Exception");
        assertThat(flint.stdout()).doesNotContain("Started the handler").doesNotContain("Functions:");
    }

    @Test
    void disableAuthOnAnAddressOthersCanReachIsSaidLoudly() throws Exception {
        Started flint = start(app("disabled"), "--address", "0.0.0.0", "--disable-auth");

        assertThat(flint.banner()).as("banner").anySatisfy(line -> assertThat(line)
                .startsWith("WARNING: keys are NOT checked (--disable-auth)").contains("0.0.0.0"));
        assertThat(flint.banner()).as("off loopback, developer mode is off by default")
                .noneMatch(l -> l.startsWith("Developer mode"));
        assertThat(get(flint.port(), "/api/secret", Map.of()).statusCode()).as("no key needed").isEqualTo(200);
    }

    @Test
    void onIpv6LoopbackKeysAreNotCheckedAndTheBannerUrlHasBrackets() throws Exception {
        ChildProcess flint = this.flint.run("start", app("ipv6").root().toString(), "--port", "0", "--address", "::1");
        Matcher open = flint.awaitStdoutLine(Pattern.compile("^\\topen: \\[GET,POST\\] (http://\\S+/api/open)$"), STARTUP);
        flint.awaitStdoutLine(BANNER_END, STARTUP);

        URI url = URI.create(open.group(1));
        assertThat(url.getHost()).as("the URL of the banner line %s", open.group()).isEqualTo("[::1]");
        assertThat(bannerOf(flint.stdout())).as("banner").contains(
                "Keys: not checked, as under func start: Flint listens on loopback only. --enable-auth checks them.");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s answered %s", url, response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("GET /api/open 0");
    }

    @Test
    void theBannerUrlNamesLocalhostForIpv4LoopbackAndAnyAddressAndBracketsIpv6() {
        assertThat(Banner.urlHost("127.0.0.1")).isEqualTo("localhost");
        assertThat(Banner.urlHost("0.0.0.0")).isEqualTo("localhost");
        assertThat(Banner.urlHost("::")).isEqualTo("localhost");
        assertThat(Banner.urlHost("::1")).isEqualTo("[::1]");
        assertThat(Banner.urlHost("[::1]")).isEqualTo("[::1]");
        assertThat(Banner.urlHost("2001:db8::7")).isEqualTo("[2001:db8::7]");
        assertThat(Banner.urlHost("192.168.1.5")).isEqualTo("192.168.1.5");
        assertThat(Banner.urlHost("localhost")).isEqualTo("localhost");
    }

    // ---- CORS

    @Test
    void aBadCorsOriginIsRefusedNamingIt() {
        AppFolder app = app("bad-cors");
        ChildProcess flint = this.flint.run("start", app.root().toString(), "--port", "0",
                "--cors", "http://good.example,example.com");

        int code = flint.awaitExit(EXIT);

        assertThat(code).as("exit code\n%s", flint.report()).isNotZero();
        assertThat(flint.stderr()).contains("--cors").contains("\"example.com\" is not an origin")
                .contains("https://example.com").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(flint.stdout()).doesNotContain("Started the handler").doesNotContain("Functions:");
    }

    @Test
    void corsAndCorsCredentialsAreShownInTheBannerAndAnswerPreflights() throws Exception {
        Started flint = start(app("cors"), "--cors", "http://a.example, https://b.example:8443", "--cors-credentials");

        assertThat(flint.banner()).as("banner")
                .contains("CORS: http://a.example, https://b.example:8443 (credentials allowed)");

        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri(flint.port(), "/api/open"))
                .header("Origin", "https://b.example:8443").header("Access-Control-Request-Method", "PUT")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://b.example:8443");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

        HttpResponse<String> actual = get(flint.port(), "/api/open", Map.of("Origin", "http://a.example"));
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://a.example");
    }

    // ---- developer mode, throttle

    @Test
    void noDeveloperModeDropsItsBannerLineAndTheThrottleIsShown() {
        AppFolder app = app("quiet").hostJson("{'version':'2.0','extensions':{'http':{'maxConcurrentRequests':4,"
                + "'maxOutstandingRequests':16}},'customHandler':{'enableForwardingHttpRequest':true,"
                + "'description':{'defaultExecutablePath':'python3','arguments':['handler.py']}}}");
        Started flint = start(app, "--no-developer-mode");

        assertThat(flint.banner()).as("banner").noneMatch(l -> l.startsWith("Developer mode"));
        assertThat(flint.banner()).as("banner")
                .contains("Throttle, per function: maxConcurrentRequests 4, maxOutstandingRequests 16 (-1: none).");
    }

    // ---- limits

    @Test
    void maxBodySizeRefusesALargerBodyWith413() throws Exception {
        Started flint = start(app("small-bodies"), "--max-body-size", "1KB");

        HttpResponse<String> tooLarge = post(flint.port(), "/api/open", "x".repeat(2048));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("X-Flint-Error")).hasValue("body-too-large");

        HttpResponse<String> fits = post(flint.port(), "/api/open", "x".repeat(1024));
        assertThat(fits.statusCode()).as("exactly 1 KB answered %s", fits.body()).isEqualTo(200);
        assertThat(fits.body()).isEqualTo("POST /api/open 1024");

        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri(flint.port(), "/api/open"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[2048])))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as("a chunked body over the limit, answered %s", chunked.body()).isEqualTo(413);
    }

    @Test
    void aMaxBodySizeThatIsNotASizeIsRefusedWithExitCode2() {
        ChildProcess flint = this.flint.run("start", app("bad-size").root().toString(), "--port", "0",
                "--max-body-size", "1.5MB");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(2);
        assertThat(flint.stderr()).contains("--max-body-size").contains("1.5MB").contains("100MB");
    }

    @Test
    void aMaxHeaderSizeTooLargeIsRefusedWithExitCode2AndNoStackTrace() {
        ChildProcess flint = this.flint.run("start", app("huge-headers").root().toString(), "--port", "0",
                "--max-header-size", "3GB");
        assertThat(flint.awaitExit(EXIT)).as("exit code\n%s", flint.report()).isEqualTo(2);
        assertThat(flint.stderr()).contains("--max-header-size").doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- helpers

    /** The lines between the App line and the empty line after the banner's security lines. */
    private static List<String> bannerOf(String stdout) {
        List<String> lines = stdout.lines().toList();
        int app = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("App: ")) {
                app = i;
                break;
            }
        }
        assertThat(app).as("the App line of the banner in\n%s", stdout).isNotNegative();
        List<String> banner = new ArrayList<>();
        for (int i = app + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            banner.add(lines.get(i));
        }
        return banner;
    }

    /** Every value in a keys.json: master, system, host and function keys. */
    private static List<String> keyValues(Path keysJson) throws Exception {
        assertThat(keysJson).exists();
        JsonNode root = JSON.readTree(Files.readString(keysJson));
        List<String> values = new ArrayList<>();
        values.add(root.path("master").asText());
        for (String section : List.of("system", "host")) {
            root.path(section).forEach(value -> values.add(value.asText()));
        }
        root.path("functions").forEach(function -> function.forEach(value -> values.add(value.asText())));
        assertThat(values).allSatisfy(value -> assertThat(value).hasSizeGreaterThanOrEqualTo(16));
        return values;
    }

    /** Stops Flint so that every line it would print is out, then looks for each key value in what it printed. */
    private static void assertNoKeyPrinted(ChildProcess flint, List<String> values) {
        flint.sigterm();
        flint.awaitExit(EXIT);
        String printed = flint.stdout() + flint.stderr();
        assertThat(printed).as("the banner and logs").contains("Stopping Flint");
        for (String value : values) {
            assertThat(printed).as("what Flint printed contains a key value").doesNotContain(value);
        }
    }

    /** A banner line {@code \t<name>: [METHODS] http://localhost:PORT/<path>}: group 1 methods, 2 URL, 3 port. */
    private static Pattern functionLine(String name, String path) {
        return Pattern.compile("^\\t" + Pattern.quote(name) + ": \\[([A-Z,]+)\\] (http://localhost:(\\d+)/"
                + Pattern.quote(path) + ")$");
    }

    private static URI uri(int port, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(int port, String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
