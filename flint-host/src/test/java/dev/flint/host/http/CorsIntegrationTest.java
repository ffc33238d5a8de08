package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.HostStartException;
import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CORS at the front door, end to end: real browsers' requests (preflights and actual requests with
 * an {@code Origin}) against a running host, in forwarding mode with the Node handler and in envelope
 * mode with the Python one, configured from local.settings.json {@code Host.CORS} or from
 * {@link HostOptions#withCors} (the CLI's {@code --cors}). {@link CorsPolicyTest} covers the answers
 * origin by origin; this covers what the front door does with them.
 */
class CorsIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String A = "http://a.com";
    private static final String B = "https://b.com:8443";
    private static final String NOT_ALLOWED = "http://c.com";
    /** local.settings.json {@code Host.CORS} of the shared hosts, with blanks and a trailing slash as users write them. */
    private static final String SETTINGS_CORS = " http://a.com/ , https://b.com:8443";

    enum Mode { FORWARDING, ENVELOPE }

    @TempDir
    static Path dir;

    static LogCapture logs;
    static final Map<Mode, RunningHost> HOSTS = new EnumMap<>(Mode.class);

    @BeforeAll
    static void startHosts() throws Exception {
        logs = new LogCapture();
        String settings = "{'Host':{'CORS':'" + SETTINGS_CORS + "'}}";
        HOSTS.put(Mode.FORWARDING, RunningHost.start(forwardingApp("forwarding").localSettings(settings).root()));
        HOSTS.put(Mode.ENVELOPE, RunningHost.start(envelopeApp("envelope").localSettings(settings).root()));
        for (RunningHost host : HOSTS.values()) {
            host.awaitHandler();
        }
    }

    @AfterAll
    static void stopHosts() {
        HOSTS.values().forEach(RunningHost::close);
        HOSTS.clear();
        if (logs != null) {
            logs.close();
        }
    }

    /** Node, forwarding: {@code echo} (GET, POST) answers what it received, {@code any} has every method. */
    private static TestApp forwardingApp(String name) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,"
                        + "'description':{'defaultExecutablePath':'node','arguments':['forwarding_handler.js']}}}")
                .handler("forwarding_handler.js")
                .httpFunction("echo", "['get','post']")
                .function("any", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous'},"
                        + "{'type':'http','direction':'out','name':'res'}]}")
                .httpFunction("teapot", "['get']");
    }

    /** Python, JSON envelope: {@code echo} (GET, POST) answers the envelope, {@code status} fails with a 500. */
    private static TestApp envelopeApp(String name) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['envelope_handler.py']}}}")
                .handler("envelope_handler.py")
                .httpFunction("echo", "['get','post']")
                .httpFunction("status", "['get']");
    }

    // ---- preflights

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPreflightFromAnAllowedOriginIsAnsweredByTheHostAndNeverReachesTheFunction(Mode mode) throws Exception {
        RunningHost host = HOSTS.get(mode);
        long executedBefore = executingLines("echo");

        HttpResponse<String> response = preflight(host, "/api/echo", B, "PUT", "content-type,x-trace");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(corsHeaders(response)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "access-control-allow-origin", List.of(B),
                "access-control-allow-methods", List.of("PUT"),
                "access-control-allow-headers", List.of("content-type,x-trace"),
                "access-control-max-age", List.of("600")));
        assertThat(varyTokens(response)).containsExactly("Origin");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).as("credentials are off").isEmpty();
        assertThat(response.headers().firstValue("X-Flint-Error")).isEmpty();
        assertThat(response.headers().firstValue("Set-Cookie")).as("the Node echo sets cookies; it was not called").isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).as("no handler answer").isEmpty();
        // The 204 is written after an invocation would have logged its Executing line, so none can come later.
        assertThat(executingLines("echo")).as("Executing 'Functions.echo' lines after the preflight")
                .isEqualTo(executedBefore);

        // The function still serves the actual request that the preflight was for.
        HttpResponse<String> actual = host.send(HttpRequest.newBuilder(host.uri("/api/echo"))
                .header("Origin", B).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}")).build());
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(B);
        assertThat(executingLines("echo")).isEqualTo(executedBefore + 1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPreflightIsAnsweredWhateverThePathAndMethodAsked(Mode mode) throws Exception {
        RunningHost host = HOSTS.get(mode);
        for (String path : List.of("/api/nowhere", "/api/echo/extra", "/", "/admin/host/status")) {
            HttpResponse<String> response = preflight(host, path, A, "DELETE", null);
            assertThat(response.statusCode()).as("preflight of %s", path).isEqualTo(204);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as("preflight of %s", path).hasValue(A);
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).as("preflight of %s", path)
                    .hasValue("DELETE");
            assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                    .as("no Access-Control-Request-Headers, so none allowed").isEmpty();
            assertThat(response.headers().firstValue("X-Flint-Error")).as("preflight of %s", path).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPreflightFromAnOriginNotAllowedIs204WithoutCorsHeaders(Mode mode) throws Exception {
        RunningHost host = HOSTS.get(mode);
        long executedBefore = executingLines("echo");
        for (String origin : List.of(NOT_ALLOWED, "https://a.com", "http://a.com:8080", "null")) {
            HttpResponse<String> response = preflight(host, "/api/echo", origin, "PUT", "content-type");
            assertThat(response.statusCode()).as("preflight from %s", origin).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            assertThat(corsHeaders(response)).as("preflight from %s", origin).isEmpty();
            assertThat(varyTokens(response)).as("preflight from %s", origin).isEmpty();
        }
        assertThat(executingLines("echo")).isEqualTo(executedBefore);
    }

    @Test
    void aPreflightWithABodyLeavesTheConnectionUsable() throws Exception {
        RunningHost host = HOSTS.get(Mode.FORWARDING);
        HttpResponse<String> response = host.send(HttpRequest.newBuilder(host.uri("/api/echo"))
                .header("Origin", A).header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.ofString("a body nobody reads")).build());
        assertThat(response.statusCode()).isEqualTo(204);
        for (int i = 0; i < 3; i++) {
            assertThat(host.get("/api/teapot").statusCode()).as("request %d after the preflight", i).isEqualTo(418);
        }
    }

    @Test
    void anOptionsRequestThatIsNotAPreflightIsAnOrdinaryRequest() throws Exception {
        RunningHost host = HOSTS.get(Mode.FORWARDING);

        // No Access-Control-Request-Method: the function with every method gets it, with the CORS headers.
        HttpResponse<String> toAny = host.send(HttpRequest.newBuilder(host.uri("/api/any"))
                .header("Origin", A).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(toAny.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(toAny.body()).path("method").asText()).isEqualTo("OPTIONS");
        assertThat(toAny.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);
        assertThat(toAny.headers().firstValue("Access-Control-Allow-Methods")).as("not a preflight answer").isEmpty();

        // A function without OPTIONS in its methods: 404, as any other method it lacks.
        HttpResponse<String> toEcho = host.send(HttpRequest.newBuilder(host.uri("/api/echo"))
                .header("Origin", A).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(toEcho.statusCode()).isEqualTo(404);
        assertThat(toEcho.headers().firstValue("X-Flint-Error")).hasValue("no-route");
        assertThat(toEcho.headers().firstValue("Access-Control-Allow-Origin")).as("so that the page can read the 404")
                .hasValue(A);
    }

    @Test
    void aPreflightNeedsNoKeyWhenKeysAreCheckedAndA401CarriesTheCorsHeaders() throws Exception {
        TestApp app = forwardingApp("keys-checked").localSettings("{'Host':{'CORS':'" + A + "'}}")
                .function("locked", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'methods':['get','put']},{'type':'http','direction':'out','name':'res'}]}");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED))) {
            // Browsers never send credentials or custom headers such as x-functions-key on a preflight.
            HttpResponse<String> preflight = preflight(host, "/api/locked", A, "PUT", "x-functions-key");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-functions-key");

            HttpResponse<String> noKey = getFrom(host, "/api/locked", A);
            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(noKey.headers().firstValue("Access-Control-Allow-Origin")).as("so that the page can read the 401")
                    .hasValue(A);
        }
    }

    // ---- actual requests

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anActualRequestFromAnAllowedOriginGetsItEchoedWithVaryOrigin(Mode mode) throws Exception {
        RunningHost host = HOSTS.get(mode);
        for (String origin : List.of(A, B, "HTTP://A.COM")) {
            HttpResponse<String> response = getFrom(host, "/api/echo?q=1", origin);
            assertThat(response.statusCode()).as("GET from %s answered %s", origin, response.body()).isEqualTo(200);
            assertThat(response.headers().allValues("Access-Control-Allow-Origin")).as("GET from %s", origin)
                    .containsExactly(origin);
            assertThat(varyTokens(response)).as("GET from %s", origin).contains("Origin");
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).as("preflight only").isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Max-Age")).as("preflight only").isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).isEmpty();
            assertThat(originSeenByTheFunction(mode, response)).as("the function sees the Origin header").isEqualTo(origin);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anActualRequestFromAnOriginNotAllowedOrWithoutOriginGetsNoCorsHeaders(Mode mode) throws Exception {
        RunningHost host = HOSTS.get(mode);
        for (String origin : List.of(NOT_ALLOWED, "https://a.com", "null", "")) {
            HttpResponse<String> response = getFrom(host, "/api/echo", origin);
            assertThat(response.statusCode()).as("GET from %s", origin).isEqualTo(200);
            assertThat(corsHeaders(response)).as("GET from \"%s\"", origin).isEmpty();
            assertThat(varyTokens(response)).as("GET from \"%s\"", origin).doesNotContain("Origin");
        }
        HttpResponse<String> noOrigin = host.get("/api/echo");
        assertThat(noOrigin.statusCode()).isEqualTo(200);
        assertThat(corsHeaders(noOrigin)).isEmpty();
        assertThat(varyTokens(noOrigin)).doesNotContain("Origin");
    }

    @Test
    void flintsOwnAnswersCarryTheCorsHeadersSoThatThePageCanReadThem() throws Exception {
        HttpResponse<String> failed = getFrom(HOSTS.get(Mode.ENVELOPE), "/api/status", A);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("X-Flint-Error")).hasValue("handler-status");
        assertThat(failed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);
        assertThat(varyTokens(failed)).contains("Origin");

        HttpResponse<String> missing = getFrom(HOSTS.get(Mode.FORWARDING), "/api/nowhere", A);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);

        HttpResponse<String> home = getFrom(HOSTS.get(Mode.FORWARDING), "/", B);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Access-Control-Allow-Origin")).hasValue(B);
    }

    /**
     * A handler that does CORS of its own, badly: {@code Access-Control-Allow-Origin: http://handler.example}
     * and a {@code Vary} on every answer; {@code two} sends its {@code Vary} as two header lines.
     */
    private static TestApp ownCorsApp(String name) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,"
                        + "'description':{'defaultExecutablePath':'node','arguments':['cors_handler.js']}}}")
                .localSettings("{'Host':{'CORS':'" + A + "'}}")
                .script("cors_handler.js", """
                        'use strict';
                        require('http').createServer((req, res) => {
                          if (req.url === '/') { res.end(); return; }
                          res.setHeader('Access-Control-Allow-Origin', 'http://handler.example');
                          res.setHeader('Vary', req.url.endsWith('/two') ? ['Accept', 'Accept-Encoding'] : 'Accept-Encoding');
                          res.setHeader('X-Handler', 'yes');
                          res.end(req.method + ' ' + req.url);
                        }).listen(Number(process.env.FUNCTIONS_CUSTOMHANDLER_PORT), '127.0.0.1');
                        """)
                .httpFunction("one", "['get']")
                .httpFunction("two", "['get']");
    }

    @Test
    void theHandlersAccessControlAllowOriginIsReplacedAndItsVaryKept() throws Exception {
        try (RunningHost host = RunningHost.start(ownCorsApp("own-cors").root())) {
            HttpResponse<String> allowed = getFrom(host, "/api/one", A);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("GET /api/one");
            assertThat(allowed.headers().allValues("Access-Control-Allow-Origin")).containsExactly(A);
            assertThat(varyTokens(allowed)).containsExactlyInAnyOrder("Accept-Encoding", "Origin");
            assertThat(allowed.headers().firstValue("X-Handler")).hasValue("yes");

            // Not allowed: Flint takes no part, so the handler's own answer goes out as it sent it.
            HttpResponse<String> other = getFrom(host, "/api/one", NOT_ALLOWED);
            assertThat(other.headers().allValues("Access-Control-Allow-Origin")).containsExactly("http://handler.example");
            assertThat(varyTokens(other)).containsExactly("Accept-Encoding");
        }
    }

    @Test
    void aVarySentAsTwoHeaderLinesKeepsBothAndGainsOrigin() throws Exception {
        try (RunningHost host = RunningHost.start(ownCorsApp("own-cors-two-vary").root())) {
            HttpResponse<String> twoVary = getFrom(host, "/api/two", A);
            assertThat(twoVary.statusCode()).isEqualTo(200);
            assertThat(varyTokens(twoVary)).as("a handler's Vary sent as two header lines, %s",
                    twoVary.headers().allValues("Vary")).containsExactlyInAnyOrder("Accept", "Accept-Encoding", "Origin");
            assertThat(varyTokens(getFrom(host, "/api/two", NOT_ALLOWED))).as("not allowed: as the handler sent it")
                    .containsExactlyInAnyOrder("Accept", "Accept-Encoding");
        }
    }

    // ---- configurations

    @Test
    void credentialsFromLocalSettingsAddAllowCredentials() throws Exception {
        TestApp app = forwardingApp("credentials").localSettings("{'Host':{'CORS':'" + A + "','CORSCredentials':true}}");
        try (RunningHost host = RunningHost.start(app.root())) {
            assertThat(host.host().cors().allowsCredentials()).isTrue();
            HttpResponse<String> preflight = preflight(host, "/api/echo", A, "POST", "content-type");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);

            HttpResponse<String> actual = getFrom(host, "/api/echo", A);
            assertThat(actual.statusCode()).isEqualTo(200);
            assertThat(actual.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
            assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);

            assertThat(corsHeaders(getFrom(host, "/api/echo", NOT_ALLOWED))).isEmpty();
        }
    }

    @Test
    void anyOriginWithoutCredentialsIsAStarWithoutVary() throws Exception {
        TestApp app = forwardingApp("star").localSettings("{'Host':{'CORS':'*'}}");
        try (RunningHost host = RunningHost.start(app.root())) {
            for (String origin : List.of(A, NOT_ALLOWED, "null", "chrome-extension://abcdef")) {
                HttpResponse<String> actual = getFrom(host, "/api/echo", origin);
                assertThat(actual.statusCode()).isEqualTo(200);
                assertThat(actual.headers().allValues("Access-Control-Allow-Origin")).as("GET from %s", origin)
                        .containsExactly("*");
                assertThat(varyTokens(actual)).as("the same answer for every origin").doesNotContain("Origin");
                assertThat(actual.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

                HttpResponse<String> preflight = preflight(host, "/api/echo", origin, "PATCH", "x-a");
                assertThat(preflight.statusCode()).isEqualTo(204);
                assertThat(corsHeaders(preflight)).as("preflight from %s", origin).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "access-control-allow-origin", List.of("*"),
                        "access-control-allow-methods", List.of("PATCH"),
                        "access-control-allow-headers", List.of("x-a"),
                        "access-control-max-age", List.of("600")));
            }
            assertThat(corsHeaders(host.get("/api/echo"))).as("no Origin, no CORS").isEmpty();
        }
    }

    @Test
    void anyOriginWithCredentialsEchoesTheOrigin() throws Exception {
        TestApp app = forwardingApp("star-credentials").localSettings("{'Host':{'CORS':'*','CORSCredentials':true}}");
        try (RunningHost host = RunningHost.start(app.root())) {
            HttpResponse<String> actual = getFrom(host, "/api/echo", NOT_ALLOWED);
            assertThat(actual.headers().allValues("Access-Control-Allow-Origin")).containsExactly(NOT_ALLOWED);
            assertThat(actual.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
            assertThat(varyTokens(actual)).contains("Origin");

            HttpResponse<String> preflight = preflight(host, "/api/echo", A, "PUT", null);
            assertThat(preflight.headers().allValues("Access-Control-Allow-Origin")).containsExactly(A);
            assertThat(preflight.headers().allValues("Access-Control-Allow-Credentials")).containsExactly("true");
        }
    }

    @Test
    void withCorsReplacesTheOriginsAndCredentialsOfLocalSettings() throws Exception {
        String settingsOrigin = "http://settings.example";
        TestApp app = envelopeApp("override").localSettings("{'Host':{'CORS':'" + settingsOrigin + "','CORSCredentials':false}}");
        try (RunningHost host = RunningHost.start(app.root(),
                HostOptions.defaults().withCors(List.of(A, "https://B.com:443/"), Optional.of(true)))) {
            assertThat(host.host().cors().origins()).as("in the form browsers send").containsExactly(A, "https://b.com");

            HttpResponse<String> fromOption = getFrom(host, "/api/echo", A);
            assertThat(fromOption.statusCode()).isEqualTo(200);
            assertThat(fromOption.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);
            assertThat(fromOption.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            HttpResponse<String> defaultPort = getFrom(host, "/api/echo", "https://b.com");
            assertThat(defaultPort.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://b.com");

            HttpResponse<String> fromSettings = getFrom(host, "/api/echo", settingsOrigin);
            assertThat(fromSettings.statusCode()).isEqualTo(200);
            assertThat(corsHeaders(fromSettings)).as("the origin of local.settings.json is replaced").isEmpty();
            HttpResponse<String> settingsPreflight = preflight(host, "/api/echo", settingsOrigin, "PUT", null);
            assertThat(settingsPreflight.statusCode()).isEqualTo(204);
            assertThat(corsHeaders(settingsPreflight)).isEmpty();
        }
    }

    @Test
    void withCorsWithoutCredentialsKeepsThoseOfLocalSettings() throws Exception {
        TestApp app = forwardingApp("override-origins-only").localSettings(
                "{'Host':{'CORS':'http://settings.example','CORSCredentials':true}}");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withCors(List.of(A), Optional.empty()))) {
            assertThat(host.host().cors().origins()).containsExactly(A);
            HttpResponse<String> actual = getFrom(host, "/api/echo", A);
            assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(A);
            assertThat(actual.headers().firstValue("Access-Control-Allow-Credentials"))
                    .as("corsCredentials replaces Host.CORSCredentials only when present").hasValue("true");
        }
    }

    @Test
    void anEmptyWithCorsTurnsOffTheCorsOfLocalSettings() throws Exception {
        TestApp app = forwardingApp("override-off").localSettings("{'Host':{'CORS':'" + A + "'}}");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withCors(List.of(), Optional.empty()))) {
            assertThat(host.host().cors().enabled()).isFalse();
            assertThat(corsHeaders(getFrom(host, "/api/echo", A))).isEmpty();
        }
    }

    @Test
    void aBadOriginInLocalSettingsRefusesTheAppNamingTheFileAndPathAndStartsNoHandler() throws Exception {
        TestApp app = TestApp.in(dir.resolve("bad-settings"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'handler.sh'}}}")
                .script("handler.sh", "#!/bin/sh\ntouch handler-ran\nexec sleep 60\n")
                .httpFunction("echo", "['get']")
                .localSettings("{'Host':{'CORS':'http://a.com, example.com, http://b.com/path'}}");

        AppConfigException refused = catchThrowableOfType(AppConfigException.class, () -> RunningHost.start(app.root()));

        assertThat(refused).as("FlintHost.start of an app whose Host.CORS has bad entries").isNotNull();
        assertThat(refused.problems()).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo(app.root().resolve("local.settings.json"));
            assertThat(problem.jsonPath()).isEqualTo("$.Host.CORS");
        });
        String all = refused.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
        assertThat(all).contains(app.root().resolve("local.settings.json") + ": $.Host.CORS: ")
                .contains("\"example.com\" is not an origin").contains("https://example.com")
                .contains("\"http://b.com/path\" is not an origin")
                .doesNotContain("\"http://a.com\"");
        assertThat(app.root().resolve("handler-ran")).as("the handler's mark").doesNotExist();
    }

    @Test
    void aBadOriginGivenToWithCorsIsAHostStartExceptionNamingCors() {
        TestApp app = TestApp.in(dir.resolve("bad-option"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'handler.sh'}}}")
                .script("handler.sh", "#!/bin/sh\ntouch handler-ran\nexec sleep 60\n")
                .httpFunction("echo", "['get']")
                .localSettings("{'Host':{'CORS':'also bad, but replaced'}}");

        assertThatThrownBy(() -> RunningHost.start(app.root(),
                HostOptions.defaults().withCors(List.of("http://a.com", "ftp//nope"), Optional.empty())))
                .isInstanceOf(HostStartException.class)
                .hasMessageContaining("--cors")
                .hasMessageContaining("\"ftp//nope\" is not an origin")
                .hasMessageNotContaining("also bad");
        assertThat(app.root().resolve("handler-ran")).as("the handler's mark").doesNotExist();
    }

    @Test
    void withoutCorsAnOptionsRequestGoesToTheFunctionLikeAnyRequest() throws Exception {
        try (RunningHost host = RunningHost.start(forwardingApp("no-cors").root())) {
            assertThat(host.host().cors().enabled()).isFalse();

            // What a browser's preflight looks like; without CORS it is an ordinary OPTIONS request.
            HttpResponse<String> toEcho = preflight(host, "/api/echo", A, "PUT", "content-type");
            assertThat(toEcho.statusCode()).as("echo's methods are GET and POST").isEqualTo(404);
            assertThat(toEcho.headers().firstValue("X-Flint-Error")).hasValue("no-route");
            assertThat(corsHeaders(toEcho)).isEmpty();

            long before = executingLines("any");
            HttpResponse<String> toAny = preflight(host, "/api/any", A, "PUT", "content-type");
            assertThat(toAny.statusCode()).as("any has every method; it answered %s", toAny.body()).isEqualTo(200);
            JsonNode seen = JSON.readTree(toAny.body());
            assertThat(seen.path("method").asText()).isEqualTo("OPTIONS");
            assertThat(seen.path("headers").path("access-control-request-method").asText()).isEqualTo("PUT");
            assertThat(seen.path("headers").path("origin").asText()).isEqualTo(A);
            assertThat(corsHeaders(toAny)).isEmpty();
            assertThat(executingLines("any")).isEqualTo(before + 1);

            HttpResponse<String> actual = getFrom(host, "/api/echo", A);
            assertThat(actual.statusCode()).isEqualTo(200);
            assertThat(corsHeaders(actual)).isEmpty();
            assertThat(varyTokens(actual)).doesNotContain("Origin");
        }
    }

    // ---- helpers

    private static HttpResponse<String> preflight(RunningHost host, String path, String origin, String method,
                                                  String requestHeaders) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.uri(path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (requestHeaders != null) {
            request.header("Access-Control-Request-Headers", requestHeaders);
        }
        return host.send(request.build());
    }

    private static HttpResponse<String> getFrom(RunningHost host, String path, String origin) throws Exception {
        return host.send(HttpRequest.newBuilder(host.uri(path)).header("Origin", origin).GET().build());
    }

    /** Every {@code Access-Control-*} header of a response, by lower-case name. */
    private static Map<String, List<String>> corsHeaders(HttpResponse<?> response) {
        Map<String, List<String>> found = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("access-control-")) {
                found.put(lower, values);
            }
        });
        return found;
    }

    /** The tokens of every {@code Vary} header line of a response. */
    private static List<String> varyTokens(HttpResponse<?> response) {
        return response.headers().allValues("Vary").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(token -> !token.isEmpty())
                .toList();
    }

    private static long executingLines(String function) {
        return logs.lines().stream().filter(l -> l.contains("Executing 'Functions." + function + "'")).count();
    }

    private static String originSeenByTheFunction(Mode mode, HttpResponse<String> response) throws Exception {
        JsonNode seen = JSON.readTree(response.body());
        return switch (mode) {
            case FORWARDING -> seen.path("headers").path("origin").asText();
            case ENVELOPE -> seen.path("envelope").path("Data").path("req").path("Headers").path("Origin").path(0).asText();
        };
    }
}
