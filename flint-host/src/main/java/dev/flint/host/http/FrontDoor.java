package dev.flint.host.http;

import dev.flint.host.HostOptions;
import dev.flint.host.HostStartException;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.process.HandlerSupervisor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

/**
 * The HTTP front door: one {@link FrontDoorVerticle} per event loop, all on one port. The first
 * instance binds (so that port 0 resolves to one real port), the others join it.
 */
public final class FrontDoor {

    private final int port;

    private FrontDoor(int port) {
        this.port = port;
    }

    public static FrontDoor start(Vertx vertx, FunctionApp app, FunctionRoutes routes, HandlerSupervisor supervisor,
                                  HostOptions options) {
        FrontDoorVerticle first = new FrontDoorVerticle(app, routes, supervisor, options, options.port());
        try {
            await(vertx.deployVerticle(first));
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause.getMessage() != null && cause.getMessage().contains("Address already in use")
                    ? "the address is already in use (is another flint or func running? choose another with --port)"
                    : String.valueOf(cause.getMessage());
            throw new HostStartException("Flint cannot listen on " + options.address() + ":" + options.port() + ": " + reason, cause);
        }
        int port = first.actualPort();
        if (options.eventLoops() > 1) {
            await(vertx.deployVerticle(() -> new FrontDoorVerticle(app, routes, supervisor, options, port),
                    new DeploymentOptions().setInstances(options.eventLoops() - 1)));
        }
        return new FrontDoor(port);
    }

    public int port() {
        return port;
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
