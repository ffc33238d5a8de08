package dev.flint.host.admission;

import dev.flint.host.app.HostConfig.HttpLimits;
import io.vertx.core.Context;
import java.util.ArrayDeque;

/**
 * Azure's HTTP throttle for one function: at most {@code maxConcurrent} invocations run, and at most
 * {@code maxOutstanding} run or wait; a request past that is refused (429). Waiting requests start in
 * arrival order as running ones end.
 *
 * <p>Azure counts the whole host against one pair of limits, so one saturated function makes every
 * other function answer 429 too. Flint gives each function its own pair: a function that is
 * saturated refuses its own callers while the others keep their latency.
 *
 * <p>Shared by every event loop. The counters are guarded by this object's monitor, held for a few
 * field updates only; a waiting request is started on its own event loop, never on the thread that
 * freed the slot.
 */
public final class FunctionThrottle {

    private final int maxConcurrent;
    private final int maxOutstanding;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int running;
    private int outstanding;

    private record Waiting(Context context, Runnable start) {}

    public FunctionThrottle(HttpLimits limits) {
        this.maxConcurrent = limits.maxConcurrent();
        this.maxOutstanding = limits.maxOutstanding();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public int maxOutstanding() {
        return maxOutstanding;
    }

    /** Counts a request in; false when {@code maxOutstanding} are running or waiting already. */
    public synchronized boolean tryAdmit() {
        if (maxOutstanding > 0 && outstanding >= maxOutstanding) {
            return false;
        }
        outstanding++;
        return true;
    }

    /**
     * Runs {@code start} now if fewer than {@code maxConcurrent} run, else when a running invocation
     * ends (on {@code context}). The request must have been admitted; {@code start} must lead to
     * exactly one {@link #release()}.
     */
    public void runWhenFree(Context context, Runnable start) {
        synchronized (this) {
            if (maxConcurrent > 0 && running >= maxConcurrent) {
                waiting.addLast(new Waiting(context, start));
                return;
            }
            running++;
        }
        start.run();
    }

    /** An admitted request has ended: its slot goes to the first waiting request, if any. */
    public void release() {
        Waiting next;
        synchronized (this) {
            outstanding--;
            next = waiting.pollFirst();
            if (next == null) {
                running--;
                return;
            }
            // the slot passes to next: running is unchanged
        }
        next.context().runOnContext(v -> next.start().run());
    }

    /** Running and waiting now, for the status endpoint. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(running, outstanding - running);
    }

    public record Snapshot(int running, int waiting) {}
}
