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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code flint collector} and {@code flint traces}, as a user runs them, with real uploads. */
class CollectorCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FlintCli flint = new FlintCli();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theCollectorStoresWhatCurlPostsBehindTheMasterKeyAndTracesListsAndRemovesIt() throws Exception {
        Path store = dir.resolve("collector");
        ChildProcess collector = flint.run("collector", "--dir", store.toString(), "--port", "0", "--enable-auth");
        Matcher url = collector.awaitStdoutLine(Pattern.compile("http://localhost:(\\d+)/admin/traces"), WAIT);
        URI traces = URI.create("http://127.0.0.1:" + url.group(1) + "/admin/traces");
        Path trace = Repo.root().resolve("flint-trace/src/test/resources/traces/python-loop-200hz.perf");

        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(traces).header("X-name", "fibonacci")
                .POST(HttpRequest.BodyPublishers.ofFile(trace)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);

        String master = JSON.readTree(Files.readString(store.resolve("keys.json"))).path("master").asText();
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(traces).header("X-name", "fibonacci")
                .header("x-functions-key", master).POST(HttpRequest.BodyPublishers.ofFile(trace)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode entry = JSON.readTree(stored.body());
        String id = entry.path("id").asText();
        assertThat(entry.path("samples").asLong()).isEqualTo(1989);

        ChildProcess list = flint.run("traces", "list", "--dir", store.toString());
        assertThat(list.awaitExit(WAIT)).isZero();
        assertThat(list.stdout()).contains(id).contains("fibonacci").contains("1989");

        ChildProcess show = flint.run("traces", "show", id, "--dir", store.toString());
        assertThat(show.awaitExit(WAIT)).isZero();
        assertThat(JSON.readTree(show.stdout()).path("name").asText()).isEqualTo("fibonacci");

        ChildProcess rm = flint.run("traces", "rm", id, "--dir", store.toString());
        assertThat(rm.awaitExit(WAIT)).isZero();
        ChildProcess again = flint.run("traces", "rm", id, "--dir", store.toString());
        assertThat(again.awaitExit(WAIT)).isEqualTo(2);
        assertThat(again.stderr()).contains("no trace " + id);
    }
}
