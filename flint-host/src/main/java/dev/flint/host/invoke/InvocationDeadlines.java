package dev.flint.host.invoke;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code functionTimeout} for every invocation of one event loop, with one periodic timer instead
 * of a timer per request: scheduling and cancelling a Vert.x timer costs a shared-map insert and
 * removal on every request, which showed on the request path.
 *
 * <p>The timeout is the same for every function of an app, so deadlines expire in the order the
 * invocations started: a FIFO list is also a deadline queue. It is intrusive and doubly linked, so
 * an invocation that completes unlinks itself in O(1) and nothing piles up behind a long one.
 *
 * <p>Threading: confined to the event loop that owns it; the invokers and the sweep run there.
 */
public final class InvocationDeadlines {

    /** How often expired invocations are looked for: the accuracy of a timeout. */
    static final long SWEEP_MILLIS = 50;

    private final Optional<Duration> timeout;
    private final long timeoutNanos;
    private InvocationTimer head;
    private InvocationTimer tail;

    InvocationDeadlines(Optional<Duration> timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.map(Duration::toNanos).orElse(Long.MAX_VALUE);
    }

    /** Deadlines for invocations run on the calling event loop; no timer at all when there is no timeout. */
    public static InvocationDeadlines onThisEventLoop(Vertx vertx, Optional<Duration> timeout) {
        InvocationDeadlines deadlines = new InvocationDeadlines(timeout);
        if (timeout.isPresent()) {
            vertx.setPeriodic(SWEEP_MILLIS, id -> deadlines.expire(System.nanoTime()));
        }
        return deadlines;
    }

    /** Starts the clock of an invocation; call {@link InvocationTimer#cancel()} when it completes. */
    InvocationTimer start(Invocation invocation) {
        InvocationTimer timer = new InvocationTimer(this, invocation, timeout);
        if (timeout.isEmpty()) {
            return timer;
        }
        timer.deadlineNanos = invocation.startNanos() + timeoutNanos;
        timer.linked = true;
        timer.previous = tail;
        if (tail == null) {
            head = timer;
        } else {
            tail.next = timer;
        }
        tail = timer;
        return timer;
    }

    void unlink(InvocationTimer timer) {
        if (!timer.linked()) {
            return;
        }
        if (timer.previous == null) {
            head = timer.next;
        } else {
            timer.previous.next = timer.next;
        }
        if (timer.next == null) {
            tail = timer.previous;
        } else {
            timer.next.previous = timer.previous;
        }
        timer.previous = null;
        timer.next = null;
        timer.linked = false;
    }

    /** Expires every invocation whose deadline has passed: they are all at the head. */
    void expire(long nowNanos) {
        while (head != null && nowNanos - head.deadlineNanos >= 0) {
            InvocationTimer expired = head;
            unlink(expired);
            expired.expire();
        }
    }

    /** Invocations being timed, for tests. */
    int size() {
        int n = 0;
        for (InvocationTimer t = head; t != null; t = t.next) {
            n++;
        }
        return n;
    }
}
