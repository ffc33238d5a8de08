package dev.flint.cli;

import dev.flint.host.HostStartException;
import dev.flint.host.traces.Collector;
import dev.flint.host.traces.TraceEndpoints;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flint collector --dir D}: Flint as a standalone trace collector and viewer for functions
 * that run elsewhere (OpenFaaS, OpenWhisk): {@code POST /admin/traces} and the query API, with
 * the same store as {@code flint start}.
 */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = {"Collects traces that other platforms post (curl -X POST -H 'X-name: fn' --data-binary @trace.perf",
                "http://host:7072/admin/traces -H 'x-functions-key: MASTER') into DIR/traces, and serves the query API.",
                "The master key is kept in DIR/keys.json (or FLINT_MASTER_KEY); `flint keys list --data-dir DIR` shows it."})
final class CollectorCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Where traces and the collector's keys are kept.")
    Path directory;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port (default: 7072; 0 picks one).")
    int port = 7072;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "Address to listen on (default: 127.0.0.1).")
    String address = "127.0.0.1";

    @Option(names = "--enable-auth", description = "Check the master key on loopback too (always checked elsewhere).")
    boolean enableAuth;

    @Option(names = "--max-upload-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Largest trace accepted (default: 512MB).")
    Long maxUpload;

    @Override
    public Integer call() throws Exception {
        Collector collector;
        try {
            collector = Collector.start(directory.toAbsolutePath(), address, port, enableAuth,
                    maxUpload != null ? maxUpload : TraceEndpoints.DEFAULT_MAX_UPLOAD_BYTES, System.getenv());
        } catch (HostStartException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            stopped.countDown();
        }, "flint-collector-shutdown"));
        String shown = address.equals("0.0.0.0") || address.equals("127.0.0.1") ? "localhost" : address;
        System.out.println("Flint trace collector: http://" + shown + ":" + collector.port() + "/admin/traces");
        System.out.println("Traces: " + collector.store().directory() + " (" + collector.store().size() + " stored)");
        System.out.println("Keys: " + collector.keys().source() + "; `flint keys list --data-dir " + directory + "` shows them.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
