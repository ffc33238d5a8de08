package dev.flint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.bench.load.BenchRunner;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code flint bench --profile}: when a function target's measured phase begins, asks the running
 * Flint to profile it ({@code POST /admin/functions/{name}/profile?seconds=N}, with the master key, as
 * {@code flint profile} does), without waiting: Flint answers when the window is over, with the
 * trace's id, which becomes {@code <flint>/admin/traces/<id>/svg} in the report. When Flint cannot
 * profile (503: no perf, not permitted) or is not there, it says so on stderr and the run goes on.
 */
final class BenchProfiler implements BenchRunner.ProfileHook {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SECONDS = 300;

    private final BenchTargets targets;
    private final PrintWriter err;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BenchProfiler(BenchTargets targets, PrintWriter err) {
        this.targets = targets;
        this.err = err;
    }

    @Override
    public CompletableFuture<String> measuredPhaseStarts(BenchRunner.Target target, Duration window) {
        long seconds = Math.clamp((window.toMillis() + 999) / 1000, 1, MAX_SECONDS);
        String base = targets.baseUrl();
        HttpRequest.Builder request = targets.flint().profileRequest(base, target.function(), seconds, null);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                say(target, "no Flint answers at " + base + " (" + error.getClass().getSimpleName() + ")");
                return null;
            }
            JsonNode body;
            try {
                body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (Exception e) {
                body = JSON.createObjectNode();
            }
            if (response.statusCode() == 201 && body.hasNonNull("id")) {
                return base + "/admin/traces/" + body.get("id").asText() + "/svg";
            }
            String why = body.path("error").asText(response.body());
            if (response.statusCode() == 503) {
                say(target, "Flint cannot profile: " + why);
            } else {
                say(target, "Flint answered " + response.statusCode() + ": " + why);
            }
            return null;
        });
    }

    private void say(BenchRunner.Target target, String problem) {
        synchronized (err) {
            err.println();
            err.println("flint bench: --profile " + target.name() + ": " + problem + "; going on without a trace");
            err.flush();
        }
    }
}
