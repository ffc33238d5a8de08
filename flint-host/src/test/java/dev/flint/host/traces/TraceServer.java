package dev.flint.host.traces;

import dev.flint.host.admission.ExpectContinue;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Vert.x HTTP server whose {@code /admin/traces} is {@link TraceEndpoints} over a store in a
 * directory, as the admin API routes it (the key check is the admin API's, not tested here), and an
 * HTTP client for it.
 */
final class TraceServer implements AutoCloseable {

    final Vertx vertx;
    final TraceStore store;
    final TraceCache cache;
    final TraceEndpoints endpoints;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpServer server;

    private TraceServer(Vertx vertx, TraceStore store, TraceCache cache, TraceEndpoints endpoints, HttpServer server) {
        this.vertx = vertx;
        this.store = store;
        this.cache = cache;
        this.endpoints = endpoints;
        this.server = server;
    }

    static TraceServer start(Path dir, TraceStore.Retention retention, long maxUploadBytes) throws Exception {
        Vertx vertx = Vertx.vertx();
        TraceStore store = TraceStore.open(dir, retention);
        TraceCache cache = new TraceCache(store, 64L << 20);
        TraceEndpoints endpoints = new TraceEndpoints(vertx, store, cache, maxUploadBytes);
        // As the front door: no h2c upgrade, HTTP/1.1 only.
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(request -> {
            if (TraceEndpoints.owns(request.path())) {
                endpoints.handle(request, ExpectContinue::ifExpected);
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new TraceServer(vertx, store, cache, endpoints, server);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        endpoints.close();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();
    }
}
