package dev.flint.host.http;

import dev.flint.host.HostOptions;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.EnvelopeInvoker;
import dev.flint.host.invoke.HandlerGate;
import dev.flint.host.invoke.Invocation;
import dev.flint.host.invoke.InvocationDeadlines;
import dev.flint.host.invoke.InvocationLog;
import dev.flint.host.invoke.ProxyInvoker;
import dev.flint.host.process.HandlerSupervisor;
import dev.flint.host.route.RouteMatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.util.Optional;

/**
 * One event loop's share of the front door: an HTTP server (Vert.x shares one listening socket
 * between the instances and hands each connection to one event loop) and its
 * own pooled keep-alive client to the handler, so that a request and its upstream connection stay on
 * one thread.
 *
 * <p>Threading: everything here runs on this verticle's event loop and never blocks. Waiting for a
 * handler that is still starting is a future ({@link HandlerGate}); process control runs on the
 * supervisor's virtual thread.
 */
final class FrontDoorVerticle extends VerticleBase {

    /**
     * Connections to the handler per event loop. Azure sets no limit; a bound keeps a stalled
     * handler from being flooded with sockets, and is far above what two cores can keep busy.
     */
    private static final int MAX_HANDLER_CONNECTIONS = 512;
    /**
     * Seconds an idle handler connection is kept. Below Node's 5 s server default, so that Flint
     * closes an idle connection before the handler does and never sends on a closing socket.
     */
    private static final int HANDLER_KEEP_ALIVE_SECONDS = 3;

    private final FunctionApp app;
    private final FunctionRoutes routes;
    private final HandlerSupervisor supervisor;
    private final HostOptions options;
    private final int port;
    private EnvelopeInvoker envelope;
    private ProxyInvoker proxy;

    FrontDoorVerticle(FunctionApp app, FunctionRoutes routes, HandlerSupervisor supervisor, HostOptions options, int port) {
        this.app = app;
        this.routes = routes;
        this.supervisor = supervisor;
        this.options = options;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(HANDLER_KEEP_ALIVE_SECONDS)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(MAX_HANDLER_CONNECTIONS));
        HandlerGate gate = supervisor == null ? null : new HandlerGate(vertx, supervisor);
        InvocationDeadlines deadlines = InvocationDeadlines.onThisEventLoop(vertx, app.host().functionTimeout());
        envelope = new EnvelopeInvoker(client, gate, deadlines, options.maxBodyBytes());
        proxy = new ProxyInvoker(client, gate, deadlines);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(options.address())
                .setPort(port)
                .setTcpNoDelay(true)
                // curl asks before sending bodies over 1 KB; an unanswered Expect costs it a 1 s wait.
                .setHandle100ContinueAutomatically(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false));
        server.requestHandler(this::handle);
        return server.listen();
    }

    private void handle(HttpServerRequest request) {
        Optional<RouteMatch<FunctionDefinition>> match = routes.match(request.method().name(), request.path());
        if (match.isEmpty()) {
            HostPages.handle(request, app);
            return;
        }
        FunctionDefinition fn = match.get().target();
        Invocation invocation = Invocation.start(fn);
        InvocationLog.executing(invocation);
        switch (fn.mode()) {
            case ENVELOPE -> envelope.invoke(request, invocation, match.get().params());
            case FORWARD, PROXY, LEGACY_FORWARD -> proxy.invoke(request, invocation);
        }
    }
}
