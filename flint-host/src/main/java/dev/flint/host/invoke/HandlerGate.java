package dev.flint.host.invoke;

import dev.flint.host.process.HandlerEndpoint;
import dev.flint.host.process.HandlerSupervisor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request path's view of the handler process: waits (without blocking the event loop) until
 * the handler is ready, bounded by the start-up timeout, and explains a broken connection as a crash
 * when the process has exited.
 */
public final class HandlerGate {

    /** How long a broken connection waits for the process's exit to be seen before calling it a network error. */
    private static final long CRASH_WINDOW_MILLIS = 300;

    private final Vertx vertx;
    private final HandlerSupervisor supervisor;

    public HandlerGate(Vertx vertx, HandlerSupervisor supervisor) {
        this.vertx = vertx;
        this.supervisor = supervisor;
    }

    /** The ready endpoint; fails with {@link FailureKind#HANDLER_NOT_READY} after the start-up timeout. */
    public Future<HandlerEndpoint> endpoint() {
        CompletableFuture<HandlerEndpoint> ready = supervisor.ready();
        HandlerEndpoint now = ready.getNow(null);
        if (now != null && now.alive()) {
            return Future.succeededFuture(now);
        }
        Promise<HandlerEndpoint> promise = Promise.promise();
        long timeoutMillis = supervisor.startupTimeout().toMillis();
        long timer = vertx.setTimer(timeoutMillis, id -> promise.tryFail(new InvocationFailure(FailureKind.HANDLER_NOT_READY,
                "the handler was not ready within " + TimeUnit.MILLISECONDS.toSeconds(timeoutMillis) + " s: "
                        + supervisor.lastFailure())));
        var context = vertx.getOrCreateContext();
        ready.whenComplete((endpoint, error) -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            if (error != null) {
                promise.tryFail(new InvocationFailure(FailureKind.SHUTTING_DOWN, "Flint is shutting down"));
            } else {
                promise.tryComplete(endpoint);
            }
        }));
        return promise.future();
    }

    /**
     * Turns a connection error into the failure a user should read: a crash (with the exit code)
     * when the process is gone or goes within a moment, else an unreachable handler.
     */
    public Future<InvocationFailure> explain(HandlerEndpoint endpoint, Throwable error, String request) {
        if (error instanceof InvocationFailure failure) {
            return Future.succeededFuture(failure);
        }
        Promise<InvocationFailure> promise = Promise.promise();
        var context = vertx.getOrCreateContext();
        long timer = vertx.setTimer(CRASH_WINDOW_MILLIS, id -> promise.tryComplete(new InvocationFailure(
                FailureKind.HANDLER_UNREACHABLE, "the connection to the handler (pid " + endpoint.pid() + ", port "
                + endpoint.port() + ") failed during " + request + ": " + describe(error), error)));
        endpoint.exit().whenComplete((code, e) -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            promise.tryComplete(new InvocationFailure(FailureKind.HANDLER_CRASHED, "the handler process (pid "
                    + endpoint.pid() + ") exited with code " + code + " during " + request + "; Flint restarts it", error));
        }));
        return promise.future();
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
