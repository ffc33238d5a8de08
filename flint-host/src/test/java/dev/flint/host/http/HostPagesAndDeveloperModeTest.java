package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.HostOptions;
import dev.flint.host.HostOptions.AuthSwitch;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.KeyScope;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host's own pages (the home page at {@code /}, 404 for what no function serves), developer
 * mode (a Flint-made 5xx says why in its body, on loopback by default) and the security defaults
 * that follow from the address ({@link HostOptions#keysEnforced()}, {@link HostOptions#developerModeOn()}).
 */
class HostPagesAndDeveloperModeTest {

    @TempDir
    Path dir;

    /** Python, JSON envelope: {@code status} (GET, POST) fails with a 500, {@code echo} needs a function key. */
    private TestApp envelopeApp(String name) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['envelope_handler.py']}}}")
                .handler("envelope_handler.py")
                .httpFunction("status", "['get','post']")
                .function("echo", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'methods':['get','post']},{'type':'http','direction':'out','name':'res'}]}");
    }

    /** An app without functions: its handler never starts, so its host is quick to start. */
    private TestApp emptyApp(String name) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'python3'}}}");
    }

    // ---- the home page

    @Test
    void theHomePageNamesTheAppAndCountsTheFunctionsServed() throws Exception {
        TestApp app = envelopeApp("pages-app")
                .function("off", "{'disabled':true,'bindings':[{'type':'httpTrigger','direction':'in','name':'req',"
                        + "'authLevel':'anonymous'},{'type':'http','direction':'out','name':'res'}]}")
                .function("tick", "{'bindings':[{'type':'timerTrigger','direction':'in','name':'myTimer',"
                        + "'schedule':'0 */5 * * * *'}]}");
        try (RunningHost host = RunningHost.start(app.root())) {
            HttpResponse<String> home = host.get("/");

            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(home.body()).contains("Flint is running").contains("pages-app")
                    .as("status and echo; not the disabled one, not the timer").contains("2 functions served");
            assertThat(home.headers().firstValue("X-Flint-Error")).isEmpty();

            HttpResponse<String> head = host.send(HttpRequest.newBuilder(host.uri("/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void theHomePageSaysOneFunctionAndEscapesTheAppName() throws Exception {
        TestApp app = TestApp.in(dir.resolve("a <i> & 'c'"))
                .hostJson("{'version':'2.0','customHandler':{'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['envelope_handler.py']}}}")
                .handler("envelope_handler.py")
                .httpFunction("status", "['get']");
        try (RunningHost host = RunningHost.start(app.root())) {
            HttpResponse<String> home = host.get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("1 function served").doesNotContain("1 functions")
                    .contains("a &lt;i&gt; &amp; &#39;c&#39;").doesNotContain("<i>");
        }
    }

    @Test
    void anAppWithoutFunctionsHasAHomePageToo() throws Exception {
        try (RunningHost host = RunningHost.start(emptyApp("empty").root())) {
            assertThat(host.host().handler()).as("no handler is started").isEmpty();
            HttpResponse<String> home = host.get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("Flint is running").contains("empty").contains("0 functions served");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void azureWebJobsDisableHomepageInLocalSettingsMakesItAnEmpty204(String value) throws Exception {
        TestApp app = emptyApp("disabled").localSettings("{'Values':{'AzureWebJobsDisableHomepage':'" + value + "'}}");
        try (RunningHost host = RunningHost.start(app.root())) {
            HttpResponse<String> home = host.get("/");
            assertThat(home.statusCode()).isEqualTo(204);
            assertThat(home.body()).isEmpty();
            assertThat(home.headers().firstValue("X-Flint-Error")).isEmpty();
        }
    }

    @Test
    void azureWebJobsDisableHomepageInTheHostEnvironmentMakesItAnEmpty204() throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AzureWebJobsDisableHomepage", "true");
        try (RunningHost host = RunningHost.start(emptyApp("disabled-env").root(),
                HostOptions.defaults().withEnvironment(environment))) {
            HttpResponse<String> home = host.get("/");
            assertThat(home.statusCode()).isEqualTo(204);
            assertThat(home.body()).isEmpty();
        }
    }

    @Test
    void azureWebJobsDisableHomepageFalseKeepsTheHomePage() throws Exception {
        TestApp app = emptyApp("not-disabled").localSettings("{'Values':{'AzureWebJobsDisableHomepage':'false'}}");
        try (RunningHost host = RunningHost.start(app.root())) {
            assertThat(host.get("/").statusCode()).isEqualTo(200);
        }
    }

    // ---- 404

    @Test
    void whatNoFunctionServesIsAnEmpty404WithNoRoute() throws Exception {
        try (RunningHost host = RunningHost.start(envelopeApp("not-found").root())) {
            for (String path : List.of("/api/nothing", "/favicon.ico", "/api", "/api/status/extra", "/status")) {
                HttpResponse<String> response = host.get(path);
                assertThat(response.statusCode()).as("GET %s", path).isEqualTo(404);
                assertThat(response.headers().firstValue("X-Flint-Error")).as("GET %s", path).hasValue("no-route");
                assertThat(response.body()).as("below 500, even in developer mode: GET %s", path).isEmpty();
            }
            HttpResponse<String> postHome = host.post("/", "text/plain", "x");
            assertThat(postHome.statusCode()).as("the home page is GET and HEAD only").isEqualTo(404);
            assertThat(postHome.headers().firstValue("X-Flint-Error")).hasValue("no-route");
        }
    }

    // ---- developer mode

    @Test
    void developerModeIsOnByDefaultOnLoopbackAndA500SaysWhy() throws Exception {
        try (RunningHost host = RunningHost.start(envelopeApp("dev-on").root())) {
            assertThat(host.host().options().developerModeOn()).isTrue();

            HttpResponse<String> response = host.get("/api/status");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-status");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(response.body()).startsWith("Flint: handler-status: ").contains("404").endsWith("\n");
            assertThat(response.headers().firstValue("Content-Length"))
                    .hasValue(Integer.toString(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void developerModeOffAnswersTheEmpty500OfAzure() throws Exception {
        try (RunningHost host = RunningHost.start(envelopeApp("dev-off").root(),
                HostOptions.defaults().withDeveloperMode(false))) {
            assertThat(host.host().options().developerModeOn()).isFalse();

            HttpResponse<String> response = host.get("/api/status");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-status");
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("Content-Length")).hasValue("0");
            assertThat(response.headers().firstValue("Content-Type")).isEmpty();
        }
    }

    @Test
    void refusalsBelow500HaveEmptyBodiesEvenInDeveloperMode() throws Exception {
        try (RunningHost host = RunningHost.start(envelopeApp("dev-refusals").root(),
                HostOptions.defaults().withAuth(AuthSwitch.ENABLED).withMaxBodyBytes(16))) {
            assertThat(host.host().options().developerModeOn()).isTrue();

            HttpResponse<String> unauthorized = host.get("/api/echo");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.headers().firstValue("X-Flint-Error")).hasValue("unauthorized");
            assertThat(unauthorized.body()).isEmpty();

            HttpResponse<String> tooLarge = host.post("/api/status", "text/plain", "x".repeat(17));
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.headers().firstValue("X-Flint-Error")).hasValue("body-too-large");
            assertThat(tooLarge.body()).isEmpty();

            HttpResponse<String> notFound = host.get("/api/nothing");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertThat(notFound.body()).isEmpty();

            // With the function's key the same request passes, and the 500 of the anonymous status says why.
            AccessKey key = host.host().keys().orElseThrow().current().keys(KeyScope.FUNCTION, "echo").getFirst();
            HttpResponse<String> withKey = host.send(HttpRequest.newBuilder(host.uri("/api/echo"))
                    .header("x-functions-key", key.value()).GET().build());
            assertThat(withKey.statusCode()).as("GET /api/echo with its key answered %s", withKey.body()).isEqualTo(200);
            assertThat(host.get("/api/status").body()).startsWith("Flint: handler-status: ");
        }
    }

    // ---- security defaults of HostOptions

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "localhost", "127.0.0.2", "[::1]", "0:0:0:0:0:0:0:1"})
    void onLoopbackKeysAreNotCheckedAndDeveloperModeIsOn(String address) {
        HostOptions options = HostOptions.defaults().withAddress(address);
        assertThat(options.auth()).isEqualTo(AuthSwitch.DEFAULT);
        assertThat(options.loopbackOnly()).as("loopbackOnly of %s", address).isTrue();
        assertThat(options.keysEnforced()).as("keysEnforced of %s", address).isFalse();
        assertThat(options.developerModeOn()).as("developerModeOn of %s", address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "2001:db8::1"})
    void offLoopbackKeysAreCheckedAndDeveloperModeIsOff(String address) {
        HostOptions options = HostOptions.defaults().withAddress(address);
        assertThat(options.loopbackOnly()).as("loopbackOnly of %s", address).isFalse();
        assertThat(options.keysEnforced()).as("keysEnforced of %s", address).isTrue();
        assertThat(options.developerModeOn()).as("developerModeOn of %s", address).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "localhost", "0.0.0.0", "::"})
    void theAuthSwitchOverridesTheAddress(String address) {
        HostOptions options = HostOptions.defaults().withAddress(address);
        assertThat(options.withAuth(AuthSwitch.ENABLED).keysEnforced()).as("--enable-auth on %s", address).isTrue();
        assertThat(options.withAuth(AuthSwitch.DISABLED).keysEnforced()).as("--disable-auth on %s", address).isFalse();
        assertThat(options.withAuth(AuthSwitch.DEFAULT).keysEnforced()).as("default on %s", address)
                .isEqualTo(!options.loopbackOnly());
        assertThat(options.withAuth(AuthSwitch.ENABLED).loopbackOnly()).as("the switch does not change the address")
                .isEqualTo(options.loopbackOnly());
        assertThat(options.withAuth(AuthSwitch.ENABLED).developerModeOn()).as("nor developer mode")
                .isEqualTo(options.developerModeOn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0"})
    void withDeveloperModeOverridesTheAddress(String address) {
        HostOptions options = HostOptions.defaults().withAddress(address);
        assertThat(options.withDeveloperMode(true).developerModeOn()).isTrue();
        assertThat(options.withDeveloperMode(false).developerModeOn()).isFalse();
        assertThat(options.withDeveloperMode(false).keysEnforced()).as("developer mode does not change key checks")
                .isEqualTo(options.keysEnforced());
    }

    @Test
    void theDefaultsAreLoopbackAFreePortAndNothingOverridden() {
        HostOptions options = HostOptions.defaults();
        assertThat(options.address()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isZero();
        assertThat(options.auth()).isEqualTo(AuthSwitch.DEFAULT);
        assertThat(options.developerMode()).isEmpty();
        assertThat(options.cors()).isEmpty();
        assertThat(options.corsCredentials()).isEmpty();
        assertThat(options.dataDirectory()).isEmpty();
        assertThat(options.keysEnforced()).isFalse();
        assertThat(options.developerModeOn()).isTrue();
        // The with* methods keep every other setting.
        HostOptions changed = options.withAuth(AuthSwitch.ENABLED).withDeveloperMode(false)
                .withCors(List.of("http://a.com"), Optional.of(true)).withAddress("0.0.0.0").withPort(8080);
        assertThat(changed.auth()).isEqualTo(AuthSwitch.ENABLED);
        assertThat(changed.developerMode()).hasValue(false);
        assertThat(changed.cors()).hasValue(List.of("http://a.com"));
        assertThat(changed.corsCredentials()).hasValue(true);
        assertThat(changed.address()).isEqualTo("0.0.0.0");
        assertThat(changed.port()).isEqualTo(8080);
    }
}
