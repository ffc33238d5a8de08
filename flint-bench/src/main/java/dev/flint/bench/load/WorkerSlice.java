package dev.flint.bench.load;

import io.netty.channel.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the connections of one run on one event-loop thread measured. Only that thread writes it,
 * so recording takes no lock; the run merges the slices when every connection is done (the
 * connections' count-down orders the writes before the reads). The two progress counters are
 * written with opaque stores so that the progress line may read them while the run goes on.
 */
final class WorkerSlice {

    /** The largest latency a histogram holds; longer ones (impossible below the 10-minute timeout cap) are clamped. */
    static final long MAX_LATENCY_NANOS = TimeUnit.HOURS.toNanos(1);
    /** Status codes are three digits. */
    static final int STATUS_CODES = 1000;

    private static final VarHandle ANSWERED;
    private static final VarHandle FAILED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ANSWERED = lookup.findVarHandle(WorkerSlice.class, "progressAnswered", long.class);
            FAILED = lookup.findVarHandle(WorkerSlice.class, "progressFailed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    final List<LoadConnection> connections = new ArrayList<>();
    final Histogram latency = newHistogram();
    final long[] statuses = new long[STATUS_CODES];
    final long[] errors = new long[ErrorKind.count()];
    /** Measured answers, and their bytes. */
    long answered;
    long bytes;
    /** When the last measured request ended (answer or error); 0 before the first. */
    long lastMeasuredEnd;

    @SuppressWarnings("unused") // through ANSWERED
    private long progressAnswered;
    @SuppressWarnings("unused") // through FAILED
    private long progressFailed;

    WorkerSlice(EventLoop loop) {
        this.loop = loop;
    }

    static Histogram newHistogram() {
        return new Histogram(MAX_LATENCY_NANOS, 3);
    }

    void answer(boolean measured, long latencyNanos, int status, long now) {
        if (measured) {
            latency.recordValue(latencyNanos < 0 ? 0 : Math.min(latencyNanos, MAX_LATENCY_NANOS));
            statuses[status]++;
            answered++;
            lastMeasuredEnd = now;
        }
        ANSWERED.setOpaque(this, (long) ANSWERED.getOpaque(this) + 1);
    }

    void error(boolean measured, ErrorKind kind, long now) {
        if (measured) {
            errors[kind.ordinal()]++;
            lastMeasuredEnd = now;
        }
        FAILED.setOpaque(this, (long) FAILED.getOpaque(this) + 1);
    }

    /** Answers so far, warm-up included; safe from any thread. */
    long progressAnswered() {
        return (long) ANSWERED.getOpaque(this);
    }

    /** Requests without an answer so far, warm-up included; safe from any thread. */
    long progressFailed() {
        return (long) FAILED.getOpaque(this);
    }

    /** On the slice's thread: fails the requests that have waited longer than the timeout. */
    void sweep() {
        long now = System.nanoTime();
        for (int i = 0, n = connections.size(); i < n; i++) {
            connections.get(i).checkTimeout(now);
        }
    }
}
