package dev.flint.host.testing;

import dev.flint.host.FlintHost;
import dev.flint.host.HostOptions;
import dev.flint.host.app.AppLoader;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.process.HandlerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Flint host on a free loopback port, started from an app folder, with a client to call it. */
public final class RunningHost implements AutoCloseable {

    private final FlintHost host;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private RunningHost(FlintHost host) {
        this.host = host;
    }

    public static RunningHost start(Path app) throws Exception {
        return start(app, HostOptions.defaults());
    }

    public static RunningHost start(Path app, HostOptions options) throws Exception {
        FunctionApp loaded = AppLoader.load(app, System.getenv());
        return new RunningHost(FlintHost.start(loaded, options.withPort(0)));
    }

    public FlintHost host() {
        return host;
    }

    /** Waits until the handler answers its readiness probe. */
    public HandlerEndpoint awaitHandler() throws Exception {
        return host.handler().orElseThrow().ready().get(30, TimeUnit.SECONDS);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + host.port() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    public HttpResponse<String> post(String pathAndQuery, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * POSTs to {@code adminPath} (a profile request, which answers when its window ends) while one
     * client GETs {@code loadPath} over and over, so that the handler is busy for the samplers.
     */
    public HttpResponse<String> postWhileLoading(String adminPath, String loadPath) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<Void> load = java.util.concurrent.CompletableFuture.runAsync(() -> {
            while (loading.get()) {
                try {
                    get(loadPath);
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            return send(HttpRequest.newBuilder(uri(adminPath)).POST(HttpRequest.BodyPublishers.noBody()).build());
        } finally {
            loading.set(false);
            load.join();
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        host.close();
    }
}
