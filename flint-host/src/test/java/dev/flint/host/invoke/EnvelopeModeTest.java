package dev.flint.host.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.HostOptions;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON-envelope mode against a real Python handler that misbehaves on purpose. */
class EnvelopeModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost host;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        TestApp app = TestApp.in(dir.resolve("envelope"))
                .hostJson("{'version':'2.0','functionTimeout':'00:00:02','customHandler':{'description':"
                        + "{'defaultExecutablePath':'python3','arguments':['envelope_handler.py']}}}")
                .localSettings("{'Values':{'GREETING':'hello-from-settings'}}")
                .handler("envelope_handler.py")
                .function("echo", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                        + "'methods':['get','post'],'route':'echo/{id:int}/{name?}'},{'type':'http','direction':'out','name':'res'}]}")
                .function("hello", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                        + "'methods':['get']},{'type':'http','direction':'out','name':'$return'}]}")
                .httpFunction("status", "['get']")
                .httpFunction("plain", "['get']")
                .httpFunction("badjson", "['get']")
                .httpFunction("empty", "['get']")
                .httpFunction("slow", "['get']")
                .httpFunction("crash", "['get']")
                .function("off", "{'disabled':true,'bindings':[{'type':'httpTrigger','direction':'in','name':'req',"
                        + "'authLevel':'anonymous'},{'type':'http','direction':'out','name':'res'}]}");
        host = RunningHost.start(app.root(), HostOptions.defaults().withMaxBodyBytes(64 * 1024));
        host.awaitHandler();
    }

    @AfterAll
    static void stop() {
        host.close();
        logs.close();
    }

    @Test
    void theEnvelopeCarriesTheRequestFieldByField() throws Exception {
        HttpResponse<String> response = host.send(HttpRequest.newBuilder(host.uri("/api/echo/42?debug=1&tag=a&tag=b"))
                .header("Content-Type", "application/json").header("X-Custom", "one")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1005,\"color\":\"black\"}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.path("path").asText()).as("the function name, not the route").isEqualTo("/echo");
        JsonNode req = seen.path("envelope").path("Data").path("req");
        assertThat(req.path("Method").asText()).isEqualTo("POST");
        assertThat(req.path("Url").asText()).isEqualTo("http://127.0.0.1:" + host.host().port() + "/api/echo/42?debug=1&tag=a&tag=b");
        assertThat(req.path("Query").path("tag").asText()).isEqualTo("a,b");
        assertThat(req.path("Headers").path("X-Custom").get(0).asText()).isEqualTo("one");
        assertThat(req.path("Params").path("id").asText()).isEqualTo("42");
        assertThat(req.path("Params").has("name")).isTrue();
        assertThat(req.path("Params").path("name").isNull()).as("absent optional parameter").isTrue();
        assertThat(req.path("Body").asText()).isEqualTo("{\"id\":1005,\"color\":\"black\"}");
        assertThat(req.path("Identities").get(0).path("Claims").get(0).path("Value").asText()).isEqualTo("Admin");
        JsonNode metadata = seen.path("envelope").path("Metadata");
        assertThat(metadata.path("color").asText()).isEqualTo("\"black\"");
        assertThat(metadata.path("sys").path("MethodName").asText()).isEqualTo("echo");

        JsonNode headers = seen.path("headers");
        assertThat(headers.path("X-Azure-Functions-InvocationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(headers.path("X-Azure-Functions-HostVersion").asText()).startsWith("4.");
        assertThat(headers.path("Content-Type").asText()).startsWith("application/json");

        String id = headers.path("X-Azure-Functions-InvocationId").asText();
        logs.await("Executed 'Functions.echo' (Succeeded, Id=" + id);
        assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("INFO Function.echo.User echo was called"));
        assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN Function.echo.User a warning from echo"));
        assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("Executing 'Functions.echo' (Reason=")
                .contains("Id=" + id));
    }

    @Test
    void lowercaseReturnValueWithAReturnBindingAnswersTheBody() throws Exception {
        HttpResponse<String> response = host.get("/api/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msg\":\"hello world\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        logs.await("INFO Function.hello.User hello was called");
        logs.await(l -> l.startsWith("INFO Host.Function.Console") && l.contains("hello on stdout"), Duration.ofSeconds(10));
        logs.await(l -> l.startsWith("ERROR Host.Function.Console") && l.contains("hello on stderr"), Duration.ofSeconds(10));
    }

    @Test
    void handlerEnvironmentHasThePortWorkerIdAppRootAndSettings() {
        String line = logs.await("listening on");
        assertThat(line).contains("greeting hello-from-settings").contains("root " + dir.resolve("envelope"))
                .containsPattern("worker [0-9a-f-]{36}");
    }

    @Test
    void aNon2xxAnswerFailsWith500AndKeepsTheHandlersLogs() throws Exception {
        HttpResponse<String> response = host.get("/api/status");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).as("developer mode, the default on loopback, says why")
                .startsWith("Flint: handler-status: ").contains("404");
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-status");
        logs.await("Executed 'Functions.status' (Failed");
        logs.await("logged before failing");
        assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("404"));
    }

    @Test
    void aTextPlainAnswerIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> response = host.get("/api/plain");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("wrong-content-type");
        logs.await(l -> l.contains("Functions.plain") && l.contains("text/plain"), Duration.ofSeconds(10));
    }

    @Test
    void invalidJsonIsRefusedWithThePosition() throws Exception {
        HttpResponse<String> response = host.get("/api/badjson");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("bad-json");
    }

    @Test
    void anEmptyAnswerFailsAtOnceInsteadOfHanging() throws Exception {
        HttpResponse<String> response = host.get("/api/empty");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("empty-response");
    }

    @Test
    void functionTimeoutBoundsTheInvocation() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = host.get("/api/slow");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("timeout");
        assertThat(millis).as("functionTimeout is 2 s; the handler sleeps 5 s").isBetween(1_900L, 4_500L);
        logs.await("did not complete within functionTimeout (00:00:02)");
        assertThat(host.get("/api/hello").statusCode()).as("other invocations are unaffected").isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413AndTheHostKeepsServing() throws Exception {
        String big = "x".repeat(64 * 1024 + 1);
        HttpResponse<String> declared = host.post("/api/echo/1", "text/plain", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("X-Flint-Error")).hasValue("body-too-large");

        // Chunked, so the size is only known while reading: refused all the same.
        HttpResponse<String> chunked = host.send(HttpRequest.newBuilder(host.uri("/api/echo/1"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        logs.await("the request body is larger than the limit of 65536 bytes");

        HttpResponse<String> fits = host.post("/api/echo/1", "text/plain", "x".repeat(64 * 1024));
        assertThat(fits.statusCode()).isEqualTo(200);
    }

    @Test
    void disabledFunctionsAndOtherMethodsAnswer404() throws Exception {
        assertThat(host.get("/api/off").statusCode()).isEqualTo(404);
        assertThat(host.post("/api/hello", "text/plain", "x").statusCode()).as("POST is not in methods").isEqualTo(404);
        assertThat(host.get("/api/echo/notanint").statusCode()).as("route constraint").isEqualTo(404);
        assertThat(host.get("/api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void aCrashMidRequestFailsTheInvocationAndTheHandlerIsRestarted() throws Exception {
        long pidBefore = host.awaitHandler().pid();
        HttpResponse<String> response = host.get("/api/crash");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-crashed");
        logs.await("exited with code 3");
        logs.await("crashing on purpose");
        // Invocations that arrive while the handler restarts wait for it.
        HttpResponse<String> after = host.get("/api/hello");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(host.awaitHandler().pid()).isNotEqualTo(pidBefore);
    }
}
