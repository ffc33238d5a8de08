package dev.flint.host.traces;

import dev.flint.host.HostStartException;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.admission.ExpectContinue;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.FailureResponses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Flint as a standalone trace collector and viewer ({@code flint collector --dir D}), for functions
 * that run on other platforms (OpenFaaS, OpenWhisk): the same {@code /admin/traces} endpoints and the
 * same store as a running host, behind the master key kept in {@code D} (or
 * {@code FLINT_MASTER_KEY}), plus {@code /admin/host/ping}. Keys are checked unless it listens on
 * loopback only without {@code enforceKeys}, the same rule as {@code flint start}.
 */
public final class Collector implements AutoCloseable {

    private final Vertx vertx;
    private final TraceEndpoints endpoints;
    private final KeyStore keys;
    private final int port;

    private Collector(Vertx vertx, TraceEndpoints endpoints, KeyStore keys, int port) {
        this.vertx = vertx;
        this.endpoints = endpoints;
        this.keys = keys;
        this.port = port;
    }

    /**
     * @param enforceKeys check keys on loopback too ({@code --enable-auth}); off loopback they are always checked
     */
    public static Collector start(Path directory, String address, int port, boolean enforceKeys, long maxUploadBytes,
                                  Map<String, String> environment) throws Exception {
        KeyStore keys = KeyStore.open(directory, environment, List.of());
        TraceStore store = TraceStore.open(directory.resolve("traces"), TraceStore.Retention.DEFAULT);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        TraceEndpoints endpoints = new TraceEndpoints(vertx, store, new TraceCache(store, TraceCache.DEFAULT_MAX_BYTES),
                maxUploadBytes);
        boolean loopback = InetAddress.getByName(address).isLoopbackAddress();
        Authorizer authorizer = new Authorizer(enforceKeys || !loopback, keys::current);
        FailureResponses failures = new FailureResponses(loopback);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(address).setPort(port)
                .setHttp2ClearTextEnabled(false).setHandle100ContinueAutomatically(false));
        server.requestHandler(request -> route(request, endpoints, authorizer, failures));
        try {
            server.listen().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            vertx.close();
            keys.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new HostStartException("Flint cannot listen on " + address + ":" + port + ": " + cause.getMessage(), cause);
        }
        vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> store.enforce(), false));
        return new Collector(vertx, endpoints, keys, server.actualPort());
    }

    private static void route(HttpServerRequest request, TraceEndpoints endpoints, Authorizer authorizer,
                              FailureResponses failures) {
        String path = request.path();
        if (path.equals("/admin/host/ping")) {
            request.response().setStatusCode(200).putHeader("Content-Length", "0").end();
            return;
        }
        if (!TraceEndpoints.owns(path)) {
            failures.reject(request, null, FailureKind.NO_ROUTE, "collector", "only /admin/traces is served here");
            return;
        }
        Authorizer.Access access = authorizer.check(request, null, AuthLevel.ADMIN);
        if (!access.allowed()) {
            failures.reject(request, null, FailureKind.UNAUTHORIZED, "the collector needs the master key", access.denial());
            return;
        }
        endpoints.handle(request, ExpectContinue::ifExpected);
    }

    public int port() {
        return port;
    }

    public TraceStore store() {
        return endpoints.store();
    }

    public KeyStore keys() {
        return keys;
    }

    @Override
    public void close() {
        endpoints.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        keys.close();
    }
}
