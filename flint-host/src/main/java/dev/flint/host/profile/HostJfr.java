package dev.flint.host.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;

/**
 * Profiles Flint's own JVM with JDK Flight Recorder: Java and native method samples of every thread
 * (event loops, virtual threads' carriers, the supervisor), for {@code POST /admin/host/profile}.
 * No perf and no agent are needed. JFR's sampler takes at most one sample per millisecond per
 * thread, so frequencies above 1000 Hz are taken as 1000 (the window's warnings say so). Its times
 * are wall-clock, like async-profiler's.
 */
final class HostJfr {

    static final String SAMPLING = "jfr";
    static final int MAX_FREQUENCY_HZ = 1000;

    private final Path workDirectory;
    private final WindowWait wait = new WindowWait();

    HostJfr(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    PerfRecorder.Recording record(int frequencyHz, Duration window) throws ProfilingException, InterruptedException {
        if (wait.closed()) {
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping");
        }
        List<String> warnings = new ArrayList<>();
        int hz = frequencyHz;
        if (hz > MAX_FREQUENCY_HZ) {
            warnings.add("JFR samples at most " + MAX_FREQUENCY_HZ + " Hz; asked for " + frequencyHz);
            hz = MAX_FREQUENCY_HZ;
        }
        Path file = WorkFiles.create(workDirectory, "host-", ".jfr");
        Duration period = Duration.ofNanos(1_000_000_000L / hz);
        Instant startTime;
        long startNanos;
        long stopStarted;
        try (Recording recording = new Recording()) {
            recording.setName("flint-host-profile");
            recording.enable("jdk.ExecutionSample").withPeriod(period);
            recording.enable("jdk.NativeMethodSample").withPeriod(period);
            recording.setToDisk(true);
            startTime = Instant.now();
            startNanos = System.nanoTime();
            recording.start();
            wait.await(window, null);
            stopStarted = System.nanoTime();
            recording.stop();
            recording.dump(file);
        } catch (IOException | IllegalStateException | SecurityException e) {
            WorkFiles.delete(file);
            throw new ProfilingException(ProfilingException.Kind.FAILED, "JFR could not record Flint's JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            WorkFiles.delete(file);
            throw e;
        }
        long endNanos = System.nanoTime();
        if (wait.closed()) {
            WorkFiles.delete(file);
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping: the profile was cut short");
        }
        return new PerfRecorder.Recording(file, startNanos, endNanos, startTime, SAMPLING,
                Set.of(ProcessHandle.current().pid()), List.of(), hz, window, Duration.ofNanos(stopStarted - startNanos),
                Duration.ZERO, Duration.ofNanos(endNanos - stopStarted), List.copyOf(warnings));
    }

    /** Ends a recording in progress at once (it is dropped); later ones are refused. */
    void close() {
        wait.close();
    }
}
