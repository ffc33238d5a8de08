package dev.flint.trace.query;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;

/**
 * Hand-made traces for the query tests. A stack is written as folded text, root first:
 * {@code "java;main;work"}; the first frame is the process (kind PROCESS), the others are USER
 * frames without a module, unless written {@code name|module|kind} (kind in lower case).
 */
final class TestTraces {

    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    private final TraceBuilder builder;
    private int pid = 100;
    private int tid = 100;
    private int event;

    TestTraces() {
        this("test.perf");
    }

    TestTraces(String source) {
        builder = new TraceBuilder("perf-script", source);
        event = builder.event("cpu-clock");
    }

    /** Samples added next come from this process and thread. */
    TestTraces thread(int pid, int tid) {
        this.pid = pid;
        this.tid = tid;
        return this;
    }

    /** Samples added next are of this event (added to the trace on first use). */
    TestTraces event(String name) {
        event = builder.event(name);
        return this;
    }

    int stack(String folded) {
        String[] frames = folded.split(";");
        int stack = StackTable.ROOT;
        for (int i = 0; i < frames.length; i++) {
            String[] parts = frames[i].split("\\|", -1);
            FrameKind kind = parts.length > 2 ? FrameKind.valueOf(parts[2].toUpperCase(java.util.Locale.ROOT))
                    : i == 0 ? FrameKind.PROCESS : FrameKind.USER;
            String module = parts.length > 1 ? parts[1] : "";
            stack = builder.stack(stack, builder.frame(parts[0], module, kind));
        }
        return stack;
    }

    /** One sample of count 1 and weight 5 ms (perf at 200 Hz). */
    TestTraces at(long nanos, String folded) {
        return sample(nanos, 1, 5 * MS, folded, false);
    }

    TestTraces idle(long nanos, String folded) {
        return sample(nanos, 1, 5 * MS, folded, true);
    }

    TestTraces sample(long nanos, int count, long weight, String folded, boolean idle) {
        builder.sample(nanos, pid, tid, 0, event, count, weight, stack(folded), idle);
        return this;
    }

    /** {@code n} untimed samples (folded input), count 1 each. */
    TestTraces untimed(int n, String folded) {
        for (int i = 0; i < n; i++) {
            builder.sample(dev.flint.trace.model.SampleStore.NO_TIME, pid, tid, 0, event, 1, 1, stack(folded), false);
        }
        return this;
    }

    Trace build() {
        return builder.build();
    }

    /** Seconds as nanoseconds, exactly for up to 9 decimals written as a string. */
    static long sec(String seconds) {
        return new java.math.BigDecimal(seconds).movePointRight(9).longValueExact();
    }
}
