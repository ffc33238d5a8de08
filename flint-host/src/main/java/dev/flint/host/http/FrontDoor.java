package dev.flint.host.http;

import dev.flint.host.HostOptions;
import dev.flint.host.HostStartException;
import dev.flint.host.admin.AdminContext;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.admission.FunctionThrottle;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.AccessKeys;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.invoke.FailureResponses;
import dev.flint.host.process.HandlerSupervisor;
import dev.flint.host.route.FunctionRoutes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front door: one {@link FrontDoorVerticle} per event loop, all on one port, sharing what
 * must be counted across them (open connections, each function's throttle) and the key store.
 */
public final class FrontDoor {

    private final int port;
    private final AtomicInteger openConnections;

    private FrontDoor(int port, AtomicInteger openConnections) {
        this.port = port;
        this.openConnections = openConnections;
    }

    /** Connections open now, over every event loop. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * @param keys            the key store, or empty when it could not be opened (then keys must not be enforced)
     * @param keysUnavailable why there is no key store
     */
    public static FrontDoor start(Vertx vertx, FunctionApp app, FunctionRoutes routes, HandlerSupervisor supervisor,
                                  HostOptions options, Optional<KeyStore> keys, String keysUnavailable, CorsPolicy cors,
                                  dev.flint.host.invoke.Invocation.Listener invocations,
                                  Optional<dev.flint.host.traces.TraceEndpoints> traces,
                                  Optional<dev.flint.host.profile.HostProfiling> profiling) {
        // Port 0 is resolved here, once: every instance must listen on the same port, and Vert.x
        // shares a listening socket only between servers asking for the same port.
        int port = options.port() == 0 ? freePort(options.address()) : options.port();
        AccessKeys none = AccessKeys.of(List.of());
        Authorizer authorizer = new Authorizer(options.keysEnforced(),
                keys.<java.util.function.Supplier<AccessKeys>>map(store -> store::current).orElse(() -> none));
        FailureResponses failures = new FailureResponses(options.developerModeOn());
        AtomicInteger openConnections = new AtomicInteger();
        AdminContext admin = new AdminContext(app, options, Optional.ofNullable(supervisor), keys, keysUnavailable,
                authorizer, failures, throttles(app), Instant.now(), port, openConnections::get, invocations, traces, profiling);
        try {
            await(vertx.deployVerticle(() -> new FrontDoorVerticle(routes, supervisor, admin, cors, openConnections),
                    new DeploymentOptions().setInstances(options.eventLoops())));
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause.getMessage() != null && cause.getMessage().contains("Address already in use")
                    ? "the address is already in use (is another flint or func running? choose another with --port)"
                    : String.valueOf(cause.getMessage());
            throw new HostStartException("Flint cannot listen on " + options.address() + ":" + port + ": " + reason, cause);
        }
        return new FrontDoor(port, openConnections);
    }

    /** A throttle for each served HTTP function when host.json sets a limit; none otherwise. */
    private static Map<FunctionDefinition, FunctionThrottle> throttles(FunctionApp app) {
        if (!app.host().httpLimits().bounded()) {
            return Map.of();
        }
        Map<FunctionDefinition, FunctionThrottle> throttles = new IdentityHashMap<>();
        for (FunctionDefinition fn : app.runnableFunctions()) {
            if (fn.httpTrigger().isPresent()) {
                throttles.put(fn, new FunctionThrottle(app.host().httpLimits()));
            }
        }
        return Collections.unmodifiableMap(throttles);
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
