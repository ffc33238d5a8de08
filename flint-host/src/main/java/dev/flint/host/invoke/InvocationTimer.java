package dev.flint.host.invoke;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One invocation's place in its event loop's {@link InvocationDeadlines}. The action on expiry
 * changes as the invocation moves on (before the response: answer 500; while streaming: cut the
 * connection).
 *
 * <p>Azure restarts the whole handler on a timeout, failing every other invocation in flight; Flint
 * abandons only the one that timed out.
 */
final class InvocationTimer {

    private static final Consumer<InvocationFailure> NOTHING = failure -> { };

    private final InvocationDeadlines deadlines;
    private final Invocation invocation;
    private final Optional<Duration> timeout;
    private Consumer<InvocationFailure> action = NOTHING;
    private boolean expired;
    // Links of the deadline list.
    boolean linked;
    long deadlineNanos;
    InvocationTimer previous;
    InvocationTimer next;

    InvocationTimer(InvocationDeadlines deadlines, Invocation invocation, Optional<Duration> timeout) {
        this.deadlines = deadlines;
        this.invocation = invocation;
        this.timeout = timeout;
    }

    boolean linked() {
        return linked;
    }

    void onTimeout(Consumer<InvocationFailure> newAction) {
        this.action = newAction;
    }

    boolean expired() {
        return expired;
    }

    void cancel() {
        deadlines.unlink(this);
    }

    void expire() {
        expired = true;
        action.accept(new InvocationFailure(FailureKind.TIMEOUT, "function '" + invocation.function().name()
                + "' did not complete within functionTimeout (" + describe(timeout.orElseThrow())
                + "); Flint abandoned the invocation"));
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
