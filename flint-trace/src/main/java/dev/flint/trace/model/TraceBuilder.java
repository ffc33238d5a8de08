package dev.flint.trace.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Trace} as a parser reads its input: frames and stacks are interned as they come,
 * so memory grows with distinct stacks, and each sample adds a fixed-size row of numbers. Not
 * thread-safe; one builder per parse.
 */
public final class TraceBuilder {

    private final String format;
    private final String source;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final Map<String, Integer> eventIds = new HashMap<>();

    private final Map<FrameKey, Integer> frameIds = new HashMap<>();
    private String[] frameNames = new String[256];
    private String[] frameModules = new String[256];
    private byte[] frameKinds = new byte[256];
    private int frameCount;

    private final LongIntMap stackIds = new LongIntMap(1024);
    private int[] stackParents = new int[1024];
    private int[] stackFrames = new int[1024];
    private int stackCount;

    private long[] times = new long[1024];
    private int[] pids = new int[1024];
    private int[] tids = new int[1024];
    private int[] cpus = new int[1024];
    private int[] sampleEvents = new int[1024];
    private int[] counts = new int[1024];
    private long[] weights = new long[1024];
    private int[] stacks = new int[1024];
    private byte[] flags = new byte[1024];
    private int sampleCount;
    private boolean sorted = true;
    private long lastTime = Long.MIN_VALUE;

    private record FrameKey(String name, String module, FrameKind kind) {}

    public TraceBuilder(String format, String source) {
        this.format = format;
        this.source = source;
    }

    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** The id of an event name, such as {@code cpu-clock}, added on first use. */
    public int event(String name) {
        Integer id = eventIds.get(name);
        if (id != null) {
            return id;
        }
        events.add(name);
        eventIds.put(name, events.size() - 1);
        return events.size() - 1;
    }

    /** The id of a frame, added on first use; {@code module} may be "" (unknown). */
    public int frame(String name, String module, FrameKind kind) {
        FrameKey key = new FrameKey(Objects.requireNonNull(name, "name"), module == null ? "" : module, kind);
        Integer id = frameIds.get(key);
        if (id != null) {
            return id;
        }
        if (frameCount == frameNames.length) {
            frameNames = Arrays.copyOf(frameNames, frameCount * 2);
            frameModules = Arrays.copyOf(frameModules, frameCount * 2);
            frameKinds = Arrays.copyOf(frameKinds, frameCount * 2);
        }
        frameNames[frameCount] = key.name();
        frameModules[frameCount] = key.module();
        frameKinds[frameCount] = (byte) kind.ordinal();
        frameIds.put(key, frameCount);
        return frameCount++;
    }

    /** The id of the stack {@code parent} + {@code frame}, added on first use; parent {@link StackTable#ROOT} for a root. */
    public int stack(int parent, int frame) {
        if (parent < StackTable.ROOT || parent >= stackCount || frame < 0 || frame >= frameCount) {
            throw new IllegalArgumentException("no such parent stack " + parent + " or frame " + frame);
        }
        long key = ((long) (parent + 1) << 32) | (frame & 0xFFFFFFFFL);
        int id = stackIds.get(key);
        if (id >= 0) {
            return id;
        }
        if (stackCount == stackParents.length) {
            stackParents = Arrays.copyOf(stackParents, stackCount * 2);
            stackFrames = Arrays.copyOf(stackFrames, stackCount * 2);
        }
        stackParents[stackCount] = parent;
        stackFrames[stackCount] = frame;
        stackIds.put(key, stackCount);
        return stackCount++;
    }

    /** The stack of these frames, root first. */
    public int stack(int[] framesRootFirst, int length) {
        int stack = StackTable.ROOT;
        for (int i = 0; i < length; i++) {
            stack = stack(stack, framesRootFirst[i]);
        }
        return stack;
    }

    /**
     * Adds one row.
     *
     * @param timeNanos {@link SampleStore#NO_TIME} when the input has none
     * @param count     the samples this row stands for (1, or a folded line's count)
     * @param weight    what the profiler says it is worth (perf's period); the count when it says nothing
     */
    public void sample(long timeNanos, int pid, int tid, int cpu, int event, int count, long weight, int stack,
                       boolean idle) {
        if (stack < 0 || stack >= stackCount) {
            throw new IllegalArgumentException("no such stack " + stack);
        }
        if (sampleCount == times.length) {
            growSamples();
        }
        int i = sampleCount++;
        times[i] = timeNanos;
        pids[i] = pid;
        tids[i] = tid;
        cpus[i] = cpu;
        sampleEvents[i] = event;
        counts[i] = count;
        weights[i] = weight;
        stacks[i] = stack;
        flags[i] = idle ? SampleStore.IDLE : 0;
        if (timeNanos < lastTime) {
            sorted = false;
        }
        lastTime = Math.max(lastTime, timeNanos);
    }

    public int sampleCount() {
        return sampleCount;
    }

    private void growSamples() {
        int n = times.length * 2;
        times = Arrays.copyOf(times, n);
        pids = Arrays.copyOf(pids, n);
        tids = Arrays.copyOf(tids, n);
        cpus = Arrays.copyOf(cpus, n);
        sampleEvents = Arrays.copyOf(sampleEvents, n);
        counts = Arrays.copyOf(counts, n);
        weights = Arrays.copyOf(weights, n);
        stacks = Arrays.copyOf(stacks, n);
        flags = Arrays.copyOf(flags, n);
    }

    /**
     * The trace. Samples out of time order (perf writes each CPU's buffer in turn) are sorted by time,
     * stably, so that a time range is a binary search.
     */
    public Trace build() {
        int n = sampleCount;
        int[] order = null;
        if (!sorted) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            long[] t = times;
            Arrays.sort(boxed, (a, b) -> Long.compare(t[a], t[b]));
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
        }
        SampleStore store = new SampleStore(permute(times, order, n), permute(pids, order, n), permute(tids, order, n),
                permute(cpus, order, n), permute(sampleEvents, order, n), permute(counts, order, n),
                permute(weights, order, n), permute(stacks, order, n), permute(flags, order, n));
        return new Trace(format, source, new FrameTable(frameNames, frameModules, frameKinds, frameCount),
                new StackTable(stackParents, stackFrames, stackCount), store, events, metadata);
    }

    private static long[] permute(long[] values, int[] order, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[order == null ? i : order[i]];
        }
        return out;
    }

    private static int[] permute(int[] values, int[] order, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[order == null ? i : order[i]];
        }
        return out;
    }

    private static byte[] permute(byte[] values, int[] order, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = values[order == null ? i : order[i]];
        }
        return out;
    }
}
