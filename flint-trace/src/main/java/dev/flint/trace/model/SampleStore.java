package dev.flint.trace.model;

/**
 * The samples of a trace, one column per field, sorted by time (stable, so untimed samples keep
 * file order). A query is a pass over these int and long arrays.
 *
 * <p>A row usually stands for one sample; a folded-stacks line stands for {@link #count} samples
 * at once. {@link #weight} is what the profiler says a row is worth (perf's period in ns for
 * cpu-clock, the count for folded input), kept beside the count so that either can be summed.
 * Immutable.
 */
public final class SampleStore {

    /** The time of a sample from an input without timestamps (folded stacks, old perf). */
    public static final long NO_TIME = Long.MIN_VALUE;
    /** A pid, tid or cpu the input did not give. */
    public static final int UNKNOWN = -1;

    static final byte IDLE = 1;

    private final long[] times;
    private final int[] pids;
    private final int[] tids;
    private final int[] cpus;
    private final int[] events;
    private final int[] counts;
    private final long[] weights;
    private final int[] stacks;
    private final byte[] flags;
    private final long totalCount;

    SampleStore(long[] times, int[] pids, int[] tids, int[] cpus, int[] events, int[] counts, long[] weights,
                int[] stacks, byte[] flags) {
        this.times = times;
        this.pids = pids;
        this.tids = tids;
        this.cpus = cpus;
        this.events = events;
        this.counts = counts;
        this.weights = weights;
        this.stacks = stacks;
        this.flags = flags;
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        this.totalCount = total;
    }

    /** Rows in the store. */
    public int size() {
        return times.length;
    }

    /** Samples the rows stand for: the sum of {@link #count}. */
    public long totalCount() {
        return totalCount;
    }

    /** Nanoseconds on the profiler's clock (perf: the clock it recorded with), or {@link #NO_TIME}. */
    public long time(int row) {
        return times[row];
    }

    public int pid(int row) {
        return pids[row];
    }

    public int tid(int row) {
        return tids[row];
    }

    public int cpu(int row) {
        return cpus[row];
    }

    /** Index into {@link Trace#events()}. */
    public int event(int row) {
        return events[row];
    }

    public int count(int row) {
        return counts[row];
    }

    public long weight(int row) {
        return weights[row];
    }

    /** The sample's stack id in {@link Trace#stacks()}. */
    public int stack(int row) {
        return stacks[row];
    }

    /** A CPU idling (the swapper in an idle function): usually left out of heat maps and flame graphs. */
    public boolean idle(int row) {
        return (flags[row] & IDLE) != 0;
    }

    /** The first row whose time is at least {@code nanos}; {@link #size()} if none. Untimed rows sort first. */
    public int firstAtOrAfter(long nanos) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] < nanos) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
