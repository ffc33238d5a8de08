package dev.flint.host.http;

import dev.flint.host.admin.AdminApi;
import dev.flint.host.admin.AdminContext;
import dev.flint.host.admin.FunctionRunner;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.admission.ClientConnection;
import dev.flint.host.admission.ExpectContinue;
import dev.flint.host.admission.ConnectionGuard;
import dev.flint.host.admission.FrontDoorLimits;
import dev.flint.host.admission.FunctionThrottle;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.EnvelopeInvoker;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.FailureResponses;
import dev.flint.host.invoke.HandlerGate;
import dev.flint.host.invoke.Invocation;
import dev.flint.host.invoke.InvocationDeadlines;
import dev.flint.host.invoke.InvocationLog;
import dev.flint.host.invoke.ProxyInvoker;
import dev.flint.host.invoke.TriggerInvoker;
import dev.flint.host.process.HandlerSupervisor;
import dev.flint.host.route.FunctionRoutes;
import dev.flint.host.route.RouteMatch;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's share of the front door: an HTTP server (Vert.x shares one listening socket
 * between the instances and hands each connection to one event loop) and its
 * own pooled keep-alive client to the handler, so that a request and its upstream connection stay on
 * one thread.
 *
 * <p>A request goes through, in order: CORS preflight, the admin API, the route table (404), the
 * key check (401), the body limit (413), the function's throttle (429), then its invoker. Each
 * refusal is answered by {@link FailureResponses}.
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

    private final FunctionRoutes routes;
    private final HandlerSupervisor supervisor;
    private final AdminContext host;
    private final CorsPolicy cors;
    private final AtomicInteger openConnections;
    private final FailureResponses failures;
    private final Authorizer authorizer;
    private final FrontDoorLimits limits;
    private EnvelopeInvoker envelope;
    private ProxyInvoker proxy;
    private AdminApi admin;
    private ConnectionGuard guard;

    FrontDoorVerticle(FunctionRoutes routes, HandlerSupervisor supervisor, AdminContext host, CorsPolicy cors,
                      AtomicInteger openConnections) {
        this.routes = routes;
        this.supervisor = supervisor;
        this.host = host;
        this.cors = cors;
        this.openConnections = openConnections;
        this.failures = host.failures();
        this.authorizer = host.authorizer();
        this.limits = host.options().limits();
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
        InvocationDeadlines deadlines = InvocationDeadlines.onThisEventLoop(vertx, host.app().host().functionTimeout());
        envelope = new EnvelopeInvoker(client, gate, deadlines, failures, limits.maxBodyBytes());
        proxy = new ProxyInvoker(client, gate, deadlines, failures, limits.maxBodyBytes());
        admin = new AdminApi(host, new FunctionRunner(host, new TriggerInvoker(client, gate, deadlines), client));
        guard = new ConnectionGuard(vertx, limits, openConnections, this::slowBody);
        guard.start();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(host.options().address())
                .setPort(host.port())
                .setTcpNoDelay(true)
                // No h2c detection: with it, Vert.x shows a connection only once its first request's
                // headers are in, and neither the connection cap nor the idle timeout could see it.
                .setHttp2ClearTextEnabled(false)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                // Expect: 100-continue is answered after the checks (ExpectContinue), not before.
                .setHandle100ContinueAutomatically(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false));
        server.connectionHandler(guard::accept);
        server.invalidRequestHandler(this::invalid);
        server.requestHandler(this::handle);
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        guard.stop();
        return Future.succeededFuture();
    }

    private void handle(HttpServerRequest request) {
        ClientConnection caller = guard.requestStarted(request);
        if (caller == null) {
            return; // its connection was refused (the cap) or has closed: nobody is there to answer
        }
        if (cors.enabled() && answeredByCors(request)) {
            return;
        }
        String path = request.path();
        if (AdminApi.owns(path)) {
            admin.handle(request, caller, ExpectContinue::ifExpected);
            return;
        }
        Optional<RouteMatch<FunctionDefinition>> match = routes.match(request.method().name(), path);
        if (match.isEmpty()) {
            HostPages.handle(request, host, failures);
            return;
        }
        FunctionDefinition fn = match.get().target();
        Invocation.Listener ended = host.invocations();
        var required = fn.httpTrigger().orElseThrow().authLevel();
        Authorizer.Access access = authorizer.check(request, fn.name(), required);
        if (!access.allowed()) {
            failures.reject(request, fn.name(), FailureKind.UNAUTHORIZED, "authLevel " + required.wireName().toLowerCase(),
                    access.denial());
            return;
        }
        long length = contentLength(request);
        if (length > limits.maxBodyBytes()) {
            failures.reject(request, fn.name(), FailureKind.BODY_TOO_LARGE, "body limit " + limits.maxBodyBytes()
                    + " bytes", "Content-Length is " + length);
            return;
        }
        FunctionThrottle throttle = host.throttles().get(fn);
        if (throttle == null) {
            invoke(request, match.get(), access, caller, Invocation.start(fn, ended));
            return;
        }
        if (!throttle.tryAdmit()) {
            request.response().putHeader("X-FUNCTION-SCALEOUT", "1").putHeader("Retry-After", "1");
            failures.reject(request, fn.name(), FailureKind.THROTTLED, "maxOutstandingRequests "
                    + throttle.maxOutstanding(), throttle.maxOutstanding() + " invocations of " + fn.name()
                    + " run or wait already");
            return;
        }
        request.pause(); // the body waits with the request; the invoker resumes it
        caller.holdingBody();
        ClientConnection waiting = caller;
        throttle.runWhenFree(context, () -> {
            if (request.response().closed()) {
                throttle.release(); // the caller left while it waited
                return;
            }
            invoke(request, match.get(), access, waiting, Invocation.start(fn, ended.andThen((invocation, outcome, end) -> throttle.release())));
        });
    }

    private void invoke(HttpServerRequest request, RouteMatch<FunctionDefinition> match, Authorizer.Access access,
                        ClientConnection caller, Invocation invocation) {
        InvocationLog.executing(invocation);
        ExpectContinue.ifExpected(request);
        switch (invocation.function().mode()) {
            case ENVELOPE -> envelope.invoke(request, invocation, match.params(), access.grant().level(), caller);
            case FORWARD, PROXY, LEGACY_FORWARD -> proxy.invoke(request, invocation, caller);
        }
    }

    /** Answers a preflight itself; for any other request from an allowed origin, adds the CORS headers. */
    private boolean answeredByCors(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        if (cors.isPreflight(request.method().name(), origin, request.getHeader("Access-Control-Request-Method"))) {
            var response = request.response();
            cors.preflight(origin, request.getHeader("Access-Control-Request-Method"),
                    request.getHeader("Access-Control-Request-Headers"), response::putHeader);
            response.setStatusCode(204).end();
            return true;
        }
        if (cors.allows(origin)) {
            var response = request.response();
            // Just before the head goes out, so that Flint's CORS headers replace the handler's.
            response.headersEndHandler(v -> cors.actual(origin, (name, value) -> {
                if (name.equalsIgnoreCase("Vary") && response.headers().contains("Vary")) {
                    // The handler's Vary may be several header lines: keep them all, in one.
                    response.headers().set("Vary", String.join(", ", response.headers().getAll("Vary")) + ", " + value);
                } else {
                    response.headers().set(name, value);
                }
            }));
        }
        return false;
    }

    /** A request the HTTP decoder refused: request line too long (414), headers too large (431), or not HTTP (400). */
    private void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String message = cause == null ? "" : String.valueOf(cause.getMessage());
        FailureKind kind;
        String rule;
        if (cause instanceof TooLongFrameException && message.contains("line")) {
            kind = FailureKind.URI_TOO_LONG;
            rule = "request line limit " + limits.maxRequestLineBytes() + " bytes";
        } else if (cause instanceof TooLongFrameException) {
            kind = FailureKind.HEADERS_TOO_LARGE;
            rule = "header limit " + limits.maxHeaderBytes() + " bytes";
        } else {
            kind = FailureKind.BAD_REQUEST;
            rule = "HTTP/1.1 syntax";
        }
        request.response().putHeader("Connection", "close");
        failures.reject(request, null, kind, rule, message.isEmpty() ? "the request could not be parsed" : message);
    }

    /** The caller sent no body byte for the slow-client timeout: 408, unless a response has started. */
    private void slowBody(HttpServerRequest request, ClientConnection caller) {
        if (!request.response().headWritten() && !request.response().ended()) {
            request.response().putHeader("Connection", "close");
        }
        failures.reject(request, null, FailureKind.SLOW_CLIENT, "slow-client timeout "
                + limits.slowClientTimeout().toSeconds() + " s", "the caller sent " + request.bytesRead()
                + " bytes of its body, then nothing for " + limits.slowClientTimeout().toSeconds() + " s");
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
