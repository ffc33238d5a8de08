package dev.flint.host.http;

import dev.flint.host.HostOptions;
import dev.flint.host.HostStartException;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.process.HandlerSupervisor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

/**
 * The HTTP front door: one {@link FrontDoorVerticle} per event loop, all on one port.
 */
public final class FrontDoor {

    private final int port;

    private FrontDoor(int port) {
        this.port = port;
    }

    public static FrontDoor start(Vertx vertx, FunctionApp app, FunctionRoutes routes, HandlerSupervisor supervisor,
                                  HostOptions options) {
        // Port 0 is resolved here, once: every instance must listen on the same port, and Vert.x
        // shares a listening socket only between servers asking for the same port.
        int port = options.port() == 0 ? freePort(options.address()) : options.port();
        try {
            await(vertx.deployVerticle(() -> new FrontDoorVerticle(app, routes, supervisor, options, port),
                    new DeploymentOptions().setInstances(options.eventLoops())));
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause.getMessage() != null && cause.getMessage().contains("Address already in use")
                    ? "the address is already in use (is another flint or func running? choose another with --port)"
                    : String.valueOf(cause.getMessage());
            throw new HostStartException("Flint cannot listen on " + options.address() + ":" + port + ": " + reason, cause);
        }
        return new FrontDoor(port);
    }

    private static int freePort(String address) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new HostStartException("Flint cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
