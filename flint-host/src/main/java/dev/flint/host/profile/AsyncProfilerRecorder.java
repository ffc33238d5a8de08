package dev.flint.host.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records one window of a Java handler with async-profiler instead of perf ({@code profiling.jvm}
 * {@code "async-profiler"}): starts the agent the JVM loaded at start, waits out the window (or until
 * it is ended early), stops it, and hands back the JFR file as a {@link PerfRecorder.Recording} with
 * sampling {@value #SAMPLING}. The JFR's times are wall-clock; {@link ProfileWindows} moves the
 * invocation marks onto that clock before storing them. One JVM per window: a handler that runs
 * several is sampled in the first, and the window's warnings say so.
 */
final class AsyncProfilerRecorder {

    static final String SAMPLING = "async-profiler";

    private final AsyncProfilerAgent agent;
    private final Path workDirectory;
    private final WindowWait wait = new WindowWait();

    AsyncProfilerRecorder(AsyncProfilerAgent agent, Path workDirectory) {
        this.agent = agent;
        this.workDirectory = workDirectory;
    }

    PerfRecorder.Recording record(List<Long> jvms, int frequencyHz, Duration window, PerfRecorder.Control control)
            throws ProfilingException, InterruptedException {
        if (jvms.isEmpty()) {
            throw new ProfilingException(ProfilingException.Kind.NOT_RUNNING, "no JVM is among the handler's processes");
        }
        if (wait.closed()) {
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping");
        }
        long pid = jvms.get(0);
        List<String> warnings = new ArrayList<>();
        if (jvms.size() > 1) {
            warnings.add("async-profiler sampled JVM " + pid + " only, not " + jvms.subList(1, jvms.size()));
        }
        Path jfr = WorkFiles.create(workDirectory, "async-", ".jfr");
        long interval = Math.max(1, 1_000_000_000L / frequencyHz);
        Instant startTime = Instant.now();
        long startNanos = System.nanoTime();
        try {
            agent.start(pid, interval, jfr);
            wait.await(window, control);
        } catch (ProfilingException | InterruptedException | RuntimeException e) {
            stopQuietly(pid, jfr);
            WorkFiles.delete(jfr);
            throw e;
        }
        long stopStarted = System.nanoTime();
        try {
            agent.stop(pid, jfr);
        } catch (ProfilingException e) {
            WorkFiles.delete(jfr);
            throw e;
        }
        long endNanos = System.nanoTime();
        if (wait.closed()) {
            WorkFiles.delete(jfr);
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping: the window was cut short");
        }
        if (control.endedEarly()) {
            warnings.add("the window ended after " + Duration.ofNanos(stopStarted - startNanos).toMillis() + " ms of "
                    + PerfRecorder.seconds(window) + " s");
        }
        return new PerfRecorder.Recording(jfr, startNanos, endNanos, startTime, SAMPLING, Set.of(pid), List.of(pid),
                frequencyHz, window, Duration.ofNanos(stopStarted - startNanos), Duration.ZERO,
                Duration.ofNanos(endNanos - stopStarted), List.copyOf(warnings));
    }

    /** Ends every window in progress at once; later windows are refused. */
    void close() {
        wait.close();
    }

    private void stopQuietly(long pid, Path jfr) {
        try {
            agent.stop(pid, jfr);
        } catch (ProfilingException ignored) {
            // not started, or the JVM is gone
        }
    }
}
