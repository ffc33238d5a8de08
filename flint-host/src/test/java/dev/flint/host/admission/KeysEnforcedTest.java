package dev.flint.host.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.AccessKeys;
import dev.flint.host.auth.KeyScope;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.SecuredApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function keys and auth levels against a running host with {@code --enable-auth}: which key opens
 * which function, the header against the {@code code} parameter, the caller's level as the handler
 * sees it, 401s with their log lines, and that no key value is ever logged.
 */
class KeysEnforcedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost host;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        host = RunningHost.start(SecuredApp.in(dir.resolve("secured")).root(),
                HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED));
        host.awaitHandler();
    }

    @AfterAll
    static void stop() {
        host.close();
        logs.close();
    }

    private static AccessKeys keys() {
        return host.host().keys().orElseThrow().current();
    }

    private static String master() {
        return keys().master().orElseThrow().value();
    }

    private static String hostKey() {
        return key(KeyScope.HOST, null, "default");
    }

    private static String key(KeyScope scope, String function, String name) {
        return keys().keys(scope, function).stream().filter(k -> k.name().equals(name)).findFirst()
                .map(AccessKey::value).orElseThrow();
    }

    private static HttpResponse<String> get(String path, String headerKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(host.uri(path)).GET();
        if (headerKey != null) {
            request.header("x-functions-key", headerKey);
        }
        return host.send(request.build());
    }

    @Test
    void aFunctionLevelFunctionWithoutAKeyIs401WithAnEmptyBodyAndALogLineNamingTheRule() throws Exception {
        HttpResponse<String> response = get("/api/guarded", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("unauthorized");
        logs.await(l -> l.contains("Rejected GET /api/guarded with 401 (function guarded, authLevel function)")
                && l.contains("carried no key"), Duration.ofSeconds(10));
    }

    @Test
    void aWrongKeyIs401() throws Exception {
        assertThat(get("/api/secured", "not-a-key-of-this-app-at-all").statusCode()).isEqualTo(401);
        assertThat(get("/api/secured?code=not-a-key-of-this-app-at-all", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aFunctionKeyOpensItsOwnFunctionOnly() throws Exception {
        String securedKey = key(KeyScope.FUNCTION, "secured", "default");

        assertThat(get("/api/secured", securedKey).statusCode()).isEqualTo(200);
        assertThat(get("/api/other", securedKey).statusCode()).as("a key for the wrong function").isEqualTo(401);
        logs.await(l -> l.contains("Rejected GET /api/other with 401") && l.contains("none of function other's keys"),
                Duration.ofSeconds(10));
        assertThat(get("/api/adminonly", securedKey).statusCode()).isEqualTo(401);
    }

    @Test
    void aHostKeyOpensEveryFunctionLevelFunctionButNotAnAdminOne() throws Exception {
        assertThat(get("/api/secured", hostKey()).statusCode()).isEqualTo(200);
        assertThat(get("/api/other", hostKey()).statusCode()).isEqualTo(200);
        assertThat(get("/api/adminonly", hostKey()).statusCode()).isEqualTo(401);
        logs.await(l -> l.contains("Rejected GET /api/adminonly with 401 (function adminonly, authLevel admin)")
                && l.contains("gives Function access, not Admin"), Duration.ofSeconds(10));
        assertThat(get("/api/adminonly", master()).statusCode()).isEqualTo(200);
    }

    @Test
    void theHeaderWinsOverTheCodeParameter() throws Exception {
        assertThat(get("/api/secured?code=" + hostKey(), null).statusCode()).as("code alone").isEqualTo(200);
        assertThat(get("/api/secured?code=" + hostKey(), "wrong-key-in-the-header-000").statusCode())
                .as("a wrong header beats a right code").isEqualTo(401);
        assertThat(get("/api/secured?code=wrong-key-in-the-query-000", hostKey()).statusCode())
                .as("a right header beats a wrong code").isEqualTo(200);
    }

    @Test
    void anAnonymousFunctionNeedsNoKeyButAKeyGivesTheCallerItsLevelInIdentities() throws Exception {
        HttpResponse<String> anonymous = get("/api/echo", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(identity(anonymous).path("IsAuthenticated").asBoolean()).isFalse();

        assertThat(claim(get("/api/echo", hostKey()))).isEqualTo("Function");
        assertThat(claim(get("/api/echo", master()))).isEqualTo("Admin");
        assertThat(identity(get("/api/echo", "wrong-key-for-an-anonymous-fn")).path("IsAuthenticated").asBoolean())
                .as("a wrong key on an anonymous function is anonymous, not refused").isFalse();
    }

    private static JsonNode identity(HttpResponse<String> echo) throws Exception {
        return JSON.readTree(echo.body()).path("envelope").path("Data").path("req").path("Identities").path(0);
    }

    private static String claim(HttpResponse<String> echo) throws Exception {
        return identity(echo).path("Claims").path(0).path("Value").asText();
    }

    @Test
    void noKeyValueIsEverLogged() throws Exception {
        get("/api/secured?code=" + hostKey(), null);
        get("/api/other?code=" + key(KeyScope.FUNCTION, "secured", "default"), null);
        get("/admin/host/status?code=" + hostKey(), null);
        get("/api/adminonly", master());
        logs.await("Rejected GET /admin/host/status with 401");
        List<String> values = keys().all().stream().map(AccessKey::value).toList();
        assertThat(values).isNotEmpty();
        for (String line : logs.lines()) {
            for (String value : values) {
                assertThat(line).as("a log line").doesNotContain(value);
            }
        }
    }

    @Test
    void aKeyRenewedThroughTheAdminApiWorksAtOnceAndTheOldOneNoLonger() throws Exception {
        String old = key(KeyScope.FUNCTION, "other", "default");
        assertThat(get("/api/other", old).statusCode()).isEqualTo(200);

        HttpResponse<String> renewed = host.send(HttpRequest.newBuilder(host.uri("/admin/functions/other/keys/default"))
                .header("x-functions-key", master()).POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(renewed.statusCode()).isEqualTo(200);
        String fresh = JSON.readTree(renewed.body()).path("value").asText();
        assertThat(fresh).isNotEqualTo(old).hasSizeGreaterThanOrEqualTo(32);
        assertThat(get("/api/other", old).statusCode()).isEqualTo(401);
        assertThat(get("/api/other", fresh).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyChangedByAnotherProcessReachesTheRunningHost() throws Exception {
        Path dataDirectory = dir.resolve("secured").resolve(".flint");
        // flint keys, in another process, opens the same store.
        try (KeyStore cli = KeyStore.open(dataDirectory, Map.of(), List.of("echo", "secured", "other", "adminonly",
                "guarded", "tick", "queued", "routed", "off"))) {
            cli.set(KeyScope.HOST, null, "from-the-cli", "a-value-set-by-the-cli-0123456789");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = get("/api/secured", "a-value-set-by-the-cli-0123456789").statusCode()) != 200) {
            Thread.sleep(20);
        }
        assertThat(status).as("the host reloaded keys.json").isEqualTo(200);
    }

    @Test
    void keysOnlyFromTheEnvironmentWorkAndCannotBeChangedThroughTheApi() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FLINT_MASTER_KEY", "master-from-the-environment-0123456789");
        env.put("FLINT_HOST_KEYS", "default=host-key-from-the-environment-0123");
        try (RunningHost deployed = RunningHost.start(SecuredApp.in(dir.resolve("deployed")).root(),
                HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED).withEnvironment(env))) {
            deployed.awaitHandler();
            assertThat(deployed.send(HttpRequest.newBuilder(deployed.uri("/api/secured"))
                    .header("x-functions-key", "host-key-from-the-environment-0123").build()).statusCode()).isEqualTo(200);
            HttpResponse<String> put = deployed.send(HttpRequest.newBuilder(deployed.uri("/admin/host/keys/ci"))
                    .header("x-functions-key", "master-from-the-environment-0123456789")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"value\":\"another-long-value-0123456\"}"))
                    .build());
            assertThat(put.statusCode()).isEqualTo(409);
            assertThat(put.body()).contains("environment");
            assertThat(dir.resolve("deployed").resolve(".flint").resolve("keys.json")).as("no key is written to disk")
                    .doesNotExist();
        }
    }

    @Test
    void onLoopbackWithoutEnableAuthNoKeyIsNeededAsUnderFuncStart() throws Exception {
        try (RunningHost local = RunningHost.start(SecuredApp.in(dir.resolve("local")).root())) {
            local.awaitHandler();
            assertThat(local.get("/api/adminonly").statusCode()).isEqualTo(200);
            assertThat(local.get("/admin/host/status").statusCode()).isEqualTo(200);
            HttpResponse<String> echo = local.get("/api/echo");
            assertThat(claim(echo)).as("every caller is Admin, as under func start").isEqualTo("Admin");
        }
    }
}
