package dev.flint.trace.query;

import dev.flint.trace.model.SampleStore;
import java.util.Objects;

/**
 * One run of a function, as the host stamped it: a half-open span {@code [startNanos, endNanos)} on
 * the clock the samples were taken with (the host uses {@code System.nanoTime()}, which is the
 * clock of {@code perf record -k mono}), and optionally the process that ran it.
 *
 * @param id  the invocation id, for labels
 * @param pid the handler process, or {@link SampleStore#UNKNOWN} when any process's samples count
 */
public record Invocation(String id, long startNanos, long endNanos, int pid) {

    public Invocation {
        Objects.requireNonNull(id, "id");
        if (endNanos < startNanos) {
            throw new IllegalArgumentException(
                    "invocation " + id + " ends (" + endNanos + " ns) before it starts (" + startNanos + " ns)");
        }
        if (pid < SampleStore.UNKNOWN) {
            throw new IllegalArgumentException("invocation " + id + ": pid must be >= 0, or UNKNOWN (-1) for any");
        }
    }

    /** An invocation whose samples may come from any process. */
    public static Invocation of(String id, long startNanos, long endNanos) {
        return new Invocation(id, startNanos, endNanos, SampleStore.UNKNOWN);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** Whether a sample of process {@code samplePid} at {@code timeNanos} ran inside this invocation. */
    public boolean contains(long timeNanos, int samplePid) {
        return timeNanos >= startNanos && timeNanos < endNanos && (pid == SampleStore.UNKNOWN || pid == samplePid);
    }
}
