package dev.flint.host;

import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.http.FrontDoor;
import dev.flint.host.http.FunctionRoutes;
import dev.flint.host.process.HandlerCommand;
import dev.flint.host.process.HandlerSupervisor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running function app: its handler process and its HTTP front door. Everything is validated
 * before anything starts; {@link #close()} stops the front door, then the handler.
 */
public final class FlintHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Startup");

    private final FunctionApp app;
    private final HostOptions options;
    private final Vertx vertx;
    private final HandlerSupervisor supervisor;
    private final FrontDoor frontDoor;

    private FlintHost(FunctionApp app, HostOptions options, Vertx vertx, HandlerSupervisor supervisor, FrontDoor frontDoor) {
        this.app = app;
        this.options = options;
        this.vertx = vertx;
        this.supervisor = supervisor;
        this.frontDoor = frontDoor;
    }

    /**
     * Starts the app: resolves the handler command and every route (failing with the file and field
     * at fault), starts the handler, and opens the front door. Returns once the port is bound; the
     * handler may still be starting, and invocations wait for it.
     */
    public static FlintHost start(FunctionApp app, HostOptions options) throws AppConfigException {
        FunctionRoutes routes = FunctionRoutes.of(app);
        HandlerSupervisor supervisor = null;
        if (!app.runnableFunctions().isEmpty()) {
            // As Azure: an app without functions never starts its handler.
            HandlerCommand command = HandlerCommand.resolve(app, options.environment());
            Duration startupTimeout = options.startupTimeout().orElse(app.host().startupTimeout());
            supervisor = new HandlerSupervisor(app.name(), command, app.host().handlerPort(), startupTimeout,
                    options.gracePeriod());
        }
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(options.eventLoops()));
        try {
            // The port first: if it is taken, no handler is started for nothing. Requests that
            // arrive before the handler is ready wait for it.
            FrontDoor frontDoor = FrontDoor.start(vertx, app, routes, supervisor, options);
            if (supervisor != null) {
                supervisor.start();
            }
            return new FlintHost(app, options, vertx, supervisor, frontDoor);
        } catch (RuntimeException e) {
            if (supervisor != null) {
                supervisor.close();
            }
            vertx.close();
            throw e;
        }
    }

    public FunctionApp app() {
        return app;
    }

    public int port() {
        return frontDoor.port();
    }

    public String address() {
        return options.address();
    }

    /** The handler's supervisor; empty when the app has no function to run. */
    public Optional<HandlerSupervisor> handler() {
        return Optional.ofNullable(supervisor);
    }

    /** Stops accepting requests, stops the handler (SIGTERM, grace, SIGKILL), then the event loops. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.preventStarts();
        }
        LOG.info("Stopping Flint");
        try {
            // Closing the servers first means no new invocation starts while the handler stops.
            io.vertx.core.Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
                    .toCompletionStage().toCompletableFuture().join();
        } finally {
            if (supervisor != null) {
                supervisor.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
