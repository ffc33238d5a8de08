package dev.flint.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.auth.KeyScope;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.SecuredApp;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API against a running host with keys enforced: Azure's endpoints and shapes, the master
 * key rule, running functions by hand, the key endpoints, and names in URLs that try to climb out.
 */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost host;
    static Path dataDirectory;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        Path app = SecuredApp.in(dir.resolve("admin")).root();
        dataDirectory = dir.resolve("data");
        host = RunningHost.start(app, HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED)
                .withDataDirectory(dataDirectory));
        host.awaitHandler();
    }

    @AfterAll
    static void stop() {
        host.close();
        logs.close();
    }

    private static String master() {
        return host.host().keys().orElseThrow().current().master().orElseThrow().value();
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return host.send(HttpRequest.newBuilder(host.uri(path)).header("x-functions-key", master())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static HttpResponse<String> call(String path, String key) throws Exception {
        return host.send(HttpRequest.newBuilder(host.uri(path)).header("x-functions-key", key).GET().build());
    }

    // ---- ping, status, functions

    @Test
    void pingNeedsNoKey() throws Exception {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> ping = host.send(HttpRequest.newBuilder(host.uri("/admin/host/ping"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(ping.statusCode()).as(method).isEqualTo(200);
            assertThat(ping.body()).isEmpty();
        }
    }

    @Test
    void statusNeedsTheMasterKey() throws Exception {
        assertThat(host.get("/admin/host/status").statusCode()).isEqualTo(401);
        String hostKey = host.host().keys().orElseThrow().current().keys(KeyScope.HOST, null).get(0).value();
        assertThat(call("/admin/host/status", hostKey).statusCode()).as("a host key is not enough").isEqualTo(401);
        assertThat(host.get("/ADMIN/host/status").statusCode()).as("routes ignore case").isEqualTo(401);
        assertThat(host.get("/%61dmin/host/status").statusCode()).as("and are decoded").isEqualTo(401);
    }

    @Test
    void statusReportsTheHostEachFunctionAndTheHandler() throws Exception {
        HttpResponse<String> response = admin("GET", "/admin/host/status", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.path("state").asText()).isEqualTo("Running");
        assertThat(status.path("id").asText()).isEqualTo("admin");
        assertThat(status.path("version").asText()).startsWith("4.");
        assertThat(status.path("processUptime").asLong()).isPositive();
        assertThat(status.path("flint").path("keysEnforced").asBoolean()).isTrue();
        JsonNode handler = status.path("handler");
        assertThat(handler.path("state").asText()).isEqualTo("Running");
        assertThat(handler.path("pid").asLong()).isEqualTo(host.awaitHandler().pid());
        assertThat(stateOf(status, "echo")).isEqualTo("Running");
        assertThat(stateOf(status, "off")).isEqualTo("Disabled");
        assertThat(stateOf(status, "tick")).isEqualTo("NotServed");
    }

    private static String stateOf(JsonNode status, String function) {
        for (JsonNode fn : status.path("functions")) {
            if (fn.path("name").asText().equals(function)) {
                return fn.path("state").asText();
            }
        }
        throw new AssertionError("no function " + function + " in " + status);
    }

    @Test
    void functionsAreListedWithAzuresMetadata() throws Exception {
        JsonNode list = JSON.readTree(admin("GET", "/admin/functions", null).body());
        assertThat(list.isArray()).isTrue();
        assertThat(list.findValuesAsText("name")).contains("echo", "secured", "tick", "queued", "off");

        HttpResponse<String> one = admin("GET", "/admin/functions/ECHO", null);
        assertThat(one.statusCode()).as("names ignore case").isEqualTo(200);
        JsonNode echo = JSON.readTree(one.body());
        assertThat(echo.path("name").asText()).isEqualTo("echo");
        assertThat(echo.path("invoke_url_template").asText()).isEqualTo("http://127.0.0.1:" + host.host().port() + "/api/echo");
        assertThat(echo.path("language").asText()).isEqualTo("custom");
        assertThat(echo.path("isDisabled").asBoolean()).isFalse();
        assertThat(echo.path("config").path("bindings").path(0).path("type").asText()).isEqualTo("httpTrigger");
        assertThat(JSON.readTree(admin("GET", "/admin/functions/tick", null).body()).path("invoke_url_template").isNull())
                .isTrue();

        HttpResponse<String> unknown = admin("GET", "/admin/functions/nope", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).contains("nope");
    }

    // ---- running functions by hand

    @Test
    void aTimerFunctionRunsWithATimerInfo() throws Exception {
        HttpResponse<String> response = admin("POST", "/admin/functions/tick", "{\"input\":\"\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        logs.await("tick got {\"myTimer\": {\"IsPastDue\": false, \"Schedule\": {\"AdjustForDST\": true}, \"ScheduleStatus\": null}}");
        logs.await("Executed 'Functions.tick' (Succeeded");
        logs.await("INFO Function.tick.User tick ran");
    }

    @Test
    void aQueueFunctionGetsItsInputDoubleEncodedAsAzureSendsStrings() throws Exception {
        assertThat(admin("POST", "/admin/functions/queued", "{\"input\":\"hello\"}").statusCode()).isEqualTo(202);

        logs.await("queued got {\"item\": \"\\\"hello\\\"\"}");
        logs.await(l -> l.contains("returned output 'out' (queue binding)") && l.contains("does not deliver"),
                Duration.ofSeconds(20));
        logs.await("Executed 'Functions.queued' (Succeeded");
    }

    @Test
    void anHttpFunctionRunsThroughItsOwnUrlWithTheInputAsBody() throws Exception {
        assertThat(admin("POST", "/admin/functions/secured", "{\"input\":\"by hand\"}").statusCode()).isEqualTo(202);

        logs.await("Executed 'Functions.secured' (Succeeded");
    }

    @Test
    void runningAFunctionNeedsAJsonObjectAKnownEnabledFunctionAndARouteWithoutParameters() throws Exception {
        assertThat(admin("POST", "/admin/functions/tick", null).statusCode()).as("no body").isEqualTo(400);
        assertThat(admin("POST", "/admin/functions/tick", "{not json").statusCode()).as("bad JSON").isEqualTo(400);
        assertThat(admin("POST", "/admin/functions/tick", "[1]").statusCode()).as("not an object").isEqualTo(400);
        assertThat(admin("POST", "/admin/functions/nope", "{\"input\":\"\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> disabled = admin("POST", "/admin/functions/off", "{\"input\":\"\"}");
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(disabled.body()).contains("disabled");
        HttpResponse<String> routed = admin("POST", "/admin/functions/routed", "{\"input\":\"\"}");
        assertThat(routed.statusCode()).isEqualTo(400);
        assertThat(routed.body()).contains("items/{id}");
        assertThat(host.send(HttpRequest.newBuilder(host.uri("/admin/functions/tick"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"\"}")).build()).statusCode())
                .as("without the master key").isEqualTo(401);
    }

    // ---- keys

    @Test
    void aHostKeyIsCreatedUpdatedUsedAndDeleted() throws Exception {
        HttpResponse<String> created = admin("PUT", "/admin/host/keys/ci", "{\"name\":\"ci\",\"value\":\"ci-key-value-0123456789\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("value").asText()).isEqualTo("ci-key-value-0123456789");
        assertThat(JSON.readTree(created.body()).path("links").path(0).path("href").asText()).endsWith("/admin/host/keys/ci");

        HttpResponse<String> updated = admin("PUT", "/admin/host/keys/ci", "{\"value\":\"ci-key-value-9876543210\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(call("/api/secured", "ci-key-value-9876543210").statusCode()).isEqualTo(200);
        assertThat(call("/api/secured", "ci-key-value-0123456789").statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(admin("GET", "/admin/host/keys", null).body()).findValuesAsText("name"))
                .contains("default", "ci");
        assertThat(JSON.readTree(admin("GET", "/admin/host/keys/ci", null).body()).path("value").asText())
                .isEqualTo("ci-key-value-9876543210");

        assertThat(admin("DELETE", "/admin/host/keys/ci", null).statusCode()).isEqualTo(204);
        assertThat(admin("GET", "/admin/host/keys/ci", null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/admin/host/keys/ci", null).statusCode()).isEqualTo(404);
        assertThat(call("/api/secured", "ci-key-value-9876543210").statusCode()).isEqualTo(401);
    }

    @Test
    void postGeneratesAValueAndPutWithoutOneIsRefused() throws Exception {
        HttpResponse<String> generated = admin("POST", "/admin/functions/other/keys/extra", null);
        assertThat(generated.statusCode()).isEqualTo(201);
        String value = JSON.readTree(generated.body()).path("value").asText();
        assertThat(value).hasSizeGreaterThanOrEqualTo(32);
        assertThat(call("/api/other", value).statusCode()).isEqualTo(200);
        assertThat(call("/api/secured", value).statusCode()).as("another function's key").isEqualTo(401);
        assertThat(JSON.readTree(admin("GET", "/admin/functions/other/keys", null).body()).findValuesAsText("name"))
                .contains("default", "extra");

        HttpResponse<String> noValue = admin("PUT", "/admin/host/keys/novalue", "{\"name\":\"novalue\"}");
        assertThat(noValue.statusCode()).isEqualTo(400);
        assertThat(noValue.body()).contains("POST");
        HttpResponse<String> weak = admin("PUT", "/admin/host/keys/weak", "{\"value\":\"short\"}");
        assertThat(weak.statusCode()).isEqualTo(400);
    }

    @Test
    void aSystemKeyGivesSystemLevelWhichIsBelowAdmin() throws Exception {
        assertThat(admin("PUT", "/admin/host/systemkeys/webhook", "{\"value\":\"system-key-value-0123456789\"}").statusCode())
                .isEqualTo(201);
        assertThat(call("/api/secured", "system-key-value-0123456789").statusCode()).isEqualTo(200);
        assertThat(call("/admin/host/status", "system-key-value-0123456789").statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(admin("GET", "/admin/host/systemkeys", null).body()).findValuesAsText("name"))
                .containsExactly("webhook");
    }

    @Test
    void theMasterKeyCanBeRenewedButNotDeleted() throws Exception {
        assertThat(admin("DELETE", "/admin/host/keys/_master", null).statusCode()).isEqualTo(400);
        String old = master();
        HttpResponse<String> renewed = admin("POST", "/admin/host/keys/_master", null);
        assertThat(renewed.statusCode()).isEqualTo(200);
        String fresh = JSON.readTree(renewed.body()).path("value").asText();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(call("/admin/host/status", old).statusCode()).isEqualTo(401);
        assertThat(call("/admin/host/status", fresh).statusCode()).isEqualTo(200);
    }

    // ---- names that try to leave their place

    @ParameterizedTest
    @ValueSource(strings = {"/admin/functions/..%2F..%2Fetc%2Fpasswd", "/admin/functions/%2e%2e/keys",
            "/admin/functions/..%2Fhost/keys", "/admin/functions/..%5C..%5Ckeys.json/keys"})
    void aFunctionNameThatClimbsIsAnUnknownFunction(String path) throws Exception {
        HttpResponse<String> response = admin("GET", path, null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("\"value\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "..", "a%2Fb", "..%5Ckeys", "%2e%2e%2fkeys.json", "a%00b"})
    void aKeyNameThatClimbsIsRefusedAndNothingIsWrittenOutsideTheDataDirectory(String name) throws Exception {
        List<Path> before = tree(dir);
        HttpResponse<String> put = admin("PUT", "/admin/host/keys/" + name, "{\"value\":\"climbing-key-value-0123456789\"}");
        HttpResponse<String> post = admin("POST", "/admin/functions/secured/keys/" + name, null);

        assertThat(put.statusCode()).as("PUT %s", name).isIn(400, 404);
        assertThat(post.statusCode()).as("POST %s", name).isIn(400, 404);
        assertThat(tree(dir)).isEqualTo(before);
        assertThat(call("/api/secured", "climbing-key-value-0123456789").statusCode()).isEqualTo(401);
    }

    @Test
    void aPathThatClimbsIntoTheAdminApiFromAFunctionRouteIsNotTheAdminApi() throws Exception {
        assertThat(host.get("/api/..%2Fadmin/host/status").statusCode()).isEqualTo(404);
        assertThat(host.get("/api/../admin/host/status").statusCode()).isIn(401, 404);
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.toString().endsWith(".tmp")).sorted().toList();
        }
    }
}
