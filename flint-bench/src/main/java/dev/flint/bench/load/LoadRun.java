package dev.flint.bench.load;

import dev.flint.bench.result.Mode;
import io.netty.bootstrap.Bootstrap;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One target loaded once: its connections opened, then ramp, warm-up and the measured phase, bounded
 * by time and/or by count, then the answers still awaited (up to the timeout), then the connections
 * closed. A request belongs to the measured phase when its send time (its intended time at a constant
 * rate) falls in it; requests of the warm-up whose answers come later are not counted.
 *
 * <p>The phase boundaries are fixed when the clock starts, so connections compare them with the time
 * without any synchronization; a count bound is one shared counter that each measured request claims
 * a unit of, so that the run sends exactly that many measured requests.
 */
final class LoadRun {

    static final int STOP = 0;
    static final int WARM = 1;
    static final int MEASURED = 2;

    private final EncodedRequests requests;
    private final boolean rate;
    private final int connectionCount;
    private final long rampNanos;
    private final long warmupNanos;
    private final long durationNanos;
    private final long timeoutNanos;
    private final AtomicLong remaining;
    /** Rate: nanoseconds between two requests of the whole run; and how many requests the ramp holds. */
    private final double intervalNanos;
    private final double rampRequests;
    private final WorkerSlice[] slices;
    private final LoadConnection[] connections;
    private final CountDownLatch preconnects;
    private final CountDownLatch finished;
    private ScheduledFuture<?>[] sweeps;

    // Set by start() before any connection begins (published through the event loops' task queues).
    private long base;
    private long measureStart;
    private long measureEnd;

    private volatile boolean stopped;
    private volatile long stoppedAt;

    LoadRun(LoadEngine engine, EncodedRequests requests, Mode mode, int connections, double requestsPerSecond,
            Duration ramp, Duration warmup, Duration duration, long requestLimit, Duration timeout) {
        this.requests = requests;
        this.rate = mode == Mode.RATE;
        this.connectionCount = connections;
        this.rampNanos = ramp.toNanos();
        this.warmupNanos = warmup.toNanos();
        this.durationNanos = duration == null ? LoadPlan.MAX_DURATION.toNanos() : duration.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.remaining = requestLimit > 0 ? new AtomicLong(requestLimit) : null;
        this.intervalNanos = rate ? 1e9 / requestsPerSecond : 0;
        this.rampRequests = rate ? rampNanos / (2 * intervalNanos) : 0;
        this.slices = new WorkerSlice[Math.min(engine.threads(), connections)];
        for (int i = 0; i < slices.length; i++) {
            slices[i] = new WorkerSlice(engine.loop(i));
        }
        Bootstrap template = engine.bootstrap(timeout);
        this.connections = new LoadConnection[connections];
        for (int i = 0; i < connections; i++) {
            WorkerSlice slice = slices[i % slices.length];
            this.connections[i] = new LoadConnection(this, slice, i, template);
            slice.connections.add(this.connections[i]);
        }
        this.preconnects = new CountDownLatch(connections);
        this.finished = new CountDownLatch(connections);
    }

    // --- the caller's side ---------------------------------------------------------------------

    /** Opens every connection (not timed); returns when each has connected or failed, or the timeout passed. */
    void open() throws InterruptedException {
        for (LoadConnection connection : connections) {
            connection.slice().loop.execute(connection::preconnect);
        }
        preconnects.await(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    }

    /** Starts the clock: ramp, warm-up, then the measured phase. */
    void start() {
        base = System.nanoTime();
        measureStart = base + rampNanos + warmupNanos;
        measureEnd = measureStart + durationNanos;
        long period = Math.clamp(timeoutNanos / 10, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100));
        sweeps = new ScheduledFuture<?>[slices.length];
        for (int i = 0; i < slices.length; i++) {
            WorkerSlice slice = slices[i];
            sweeps[i] = slice.loop.scheduleAtFixedRate(slice::sweep, period, period, TimeUnit.NANOSECONDS);
        }
        for (LoadConnection connection : connections) {
            connection.slice().loop.execute(connection::begin);
        }
    }

    long base() {
        return base;
    }

    long rampEnd() {
        return base + rampNanos;
    }

    long measureStart() {
        return measureStart;
    }

    long measureEnd() {
        return measureEnd;
    }

    /** When the run must be over even if a connection is stuck: the measured end, the timeout, and a second. */
    long deadline() {
        return measureEnd + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
    }

    /** Waits up to {@code nanos} for every connection to be done; true when they are. */
    boolean await(long nanos) throws InterruptedException {
        return finished.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    boolean isDone() {
        return finished.getCount() == 0;
    }

    /** No new request from now on; the outstanding ones may still be answered. */
    void stop() {
        if (!stopped) {
            stoppedAt = System.nanoTime();
            stopped = true;
        }
    }

    /** Ends every connection now, dropping outstanding requests, and waits (briefly) until they are closed. */
    void abort() throws InterruptedException {
        stop();
        for (LoadConnection connection : connections) {
            connection.slice().loop.execute(connection::abort);
        }
        finished.await(5, TimeUnit.SECONDS);
    }

    /** Cancels the timeout sweeps; after the run is done. */
    void close() {
        if (sweeps != null) {
            for (ScheduledFuture<?> sweep : sweeps) {
                sweep.cancel(false);
            }
        }
    }

    /** Answers and failures so far, warm-up included (for progress). */
    long answeredSoFar() {
        long sum = 0;
        for (WorkerSlice slice : slices) {
            sum += slice.progressAnswered();
        }
        return sum;
    }

    long failedSoFar() {
        long sum = 0;
        for (WorkerSlice slice : slices) {
            sum += slice.progressFailed();
        }
        return sum;
    }

    /** What the measured phase gave; once {@link #isDone()}. */
    Outcome outcome() {
        Histogram latency = WorkerSlice.newHistogram();
        long[] statuses = new long[WorkerSlice.STATUS_CODES];
        long[] errors = new long[ErrorKind.count()];
        long answered = 0;
        long bytes = 0;
        long lastEnd = 0;
        for (WorkerSlice slice : slices) {
            latency.add(slice.latency);
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] += slice.statuses[i];
            }
            for (int i = 0; i < errors.length; i++) {
                errors[i] += slice.errors[i];
            }
            answered += slice.answered;
            bytes += slice.bytes;
            lastEnd = Math.max(lastEnd, slice.lastMeasuredEnd);
        }
        long end;
        if (remaining != null && remaining.get() <= 0 && lastEnd > 0) {
            end = lastEnd;
        } else if (stopped) {
            end = Math.min(stoppedAt, measureEnd);
        } else {
            end = measureEnd;
        }
        return new Outcome(latency, statuses, errors, answered, bytes, Math.max(0, end - measureStart));
    }

    /** The measured phase of one run. */
    record Outcome(Histogram latency, long[] statuses, long[] errors, long answered, long bytes, long measuredNanos) {}

    // --- the connections' side (event-loop threads) -------------------------------------------

    EncodedRequests requests() {
        return requests;
    }

    boolean rateMode() {
        return rate;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Whether a request that starts (or is due) at {@code time} is sent, and whether it is measured. */
    int admit(long time) {
        if (stopped) {
            return STOP;
        }
        if (time < measureStart) {
            return WARM;
        }
        if (time >= measureEnd) {
            return STOP;
        }
        if (remaining != null && remaining.getAndDecrement() <= 0) {
            return STOP;
        }
        return MEASURED;
    }

    /** Rate: no request due at {@code intended} or later will be sent. */
    boolean over(long intended) {
        return stopped || intended >= measureEnd || (remaining != null && remaining.get() <= 0);
    }

    /**
     * Rate: when request {@code k} of connection {@code c} is due. The run's requests are numbered
     * {@code x = k·N + c}, so that the connections take turns, evenly phase-shifted; without a ramp
     * request x is due at {@code x/R}. During a ramp of length T the rate grows linearly from 0 to R,
     * so that x requests are due by {@code t = sqrt(2·T·x/R)}, and after it at {@code x/R + T/2}.
     */
    long intended(int connection, long k) {
        double x = (double) k * connectionCount + connection;
        double offset = x < rampRequests ? Math.sqrt(2.0 * rampNanos * x * intervalNanos) : x * intervalNanos + rampNanos / 2.0;
        return base + (long) offset;
    }

    /** Closed loop: when connection {@code c} starts sending; during a ramp they start one after another. */
    long closedStart(int connection) {
        return base + (rampNanos == 0 ? 0 : rampNanos * connection / connectionCount);
    }

    void preconnected() {
        preconnects.countDown();
    }

    void finished() {
        finished.countDown();
    }
}
