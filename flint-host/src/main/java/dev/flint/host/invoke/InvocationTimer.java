package dev.flint.host.invoke;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code functionTimeout} for one invocation, on the event loop. The action on expiry changes as the
 * invocation moves on (before the response: answer 500; while streaming: cut the connection).
 *
 * <p>Azure restarts the whole handler on a timeout, failing every other invocation in flight; Flint
 * abandons only the one that timed out.
 */
final class InvocationTimer {

    private final Vertx vertx;
    private final long timerId;
    private volatile Consumer<InvocationFailure> action = failure -> { };
    private volatile boolean expired;
    private volatile boolean cancelled;

    private InvocationTimer(Vertx vertx, Optional<Duration> timeout, Invocation invocation) {
        this.vertx = vertx;
        this.timerId = timeout.map(t -> vertx.setTimer(Math.max(1, t.toMillis()), id -> expire(t, invocation))).orElse(-1L);
    }

    static InvocationTimer start(Vertx vertx, Optional<Duration> timeout, Invocation invocation) {
        return new InvocationTimer(vertx, timeout, invocation);
    }

    private void expire(Duration timeout, Invocation invocation) {
        if (cancelled) {
            return;
        }
        expired = true;
        action.accept(new InvocationFailure(FailureKind.TIMEOUT, "function '" + invocation.function().name()
                + "' did not complete within functionTimeout (" + describe(timeout) + "); Flint abandoned the invocation"));
    }

    void onTimeout(Consumer<InvocationFailure> action) {
        this.action = action;
    }

    boolean expired() {
        return expired;
    }

    void cancel() {
        cancelled = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
