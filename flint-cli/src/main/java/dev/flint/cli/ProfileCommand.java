package dev.flint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flint profile FUNCTION --seconds N}: asks the running Flint of an app to profile a function
 * now ({@code POST /admin/functions/{name}/profile}), with the app's master key, and prints the
 * stored trace's id.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Profiles a function of the running Flint now, with perf (or async-profiler), or Flint itself"
                + " with JFR (--host), and prints the trace id (then: flint trace"
                + " commands on the file `flint traces show ID` names, or GET /admin/traces/ID/flamegraph).")
final class ProfileCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "FUNCTION", arity = "0..1", description = "The function whose handler to profile.")
    String function;

    @Option(names = "--host", description = "Profile Flint's own JVM instead, with JFR (no perf needed).")
    boolean host;

    @Option(names = "--seconds", paramLabel = "N", description = "How long (default: 10).")
    int seconds = 10;

    @Option(names = "--frequency", paramLabel = "HZ", description = "Samples a second (default: host.json profiling.frequency, else 200).")
    Integer frequency;

    @Option(names = "--app", paramLabel = "DIR", description = "The app folder, for its port and master key (default: .).")
    Path app = Path.of(".");

    @Option(names = "--url", paramLabel = "URL", description = "The running Flint (default: where the app's running Flint said it listens, else"
            + " http://127.0.0.1:<the app's port>).")
    String url;

    @Override
    public Integer call() throws Exception {
        if (host == (function != null)) {
            throw new UserError(host ? "give a FUNCTION or --host, not both" : "name the FUNCTION to profile (or --host for Flint's own JVM)");
        }
        RunningFlint flint = new RunningFlint(app, System.getenv());
        flint.app(); // an app that cannot be read is said before anything is sent
        String base = url != null ? url : flint.baseUrl();
        HttpRequest.Builder request = flint.profileRequest(base, host ? null : function, seconds, frequency);
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new UserError("no Flint answers at " + base + " (start it with `flint start " + app + "`, or give --url)");
        }
        JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() != 201) {
            throw new UserError("Flint answered " + response.statusCode() + ": " + body.path("error").asText(response.body()));
        }
        System.out.println(body.path("id").asText());
        return 0;
    }
}
