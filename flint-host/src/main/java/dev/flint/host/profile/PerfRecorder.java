package dev.flint.host.profile;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records handler processes with perf, one window at a time:
 * <pre>
 * perf record -e cpu-clock -F &lt;freq&gt; -g -k mono --no-bpf-event --pid &lt;p1,p2&gt; -o &lt;tmp&gt;.data -- sleep &lt;window&gt;
 * perf record -e cpu-clock -F &lt;freq&gt; -g -k mono --no-bpf-event -a -G &lt;cgroup&gt;   -o &lt;tmp&gt;.data -- sleep &lt;window&gt;
 * jcmd &lt;pid&gt; Compiler.perfmap                      (each JVM among the processes; see {@link JitSymbols})
 * perf script --header --ns -F +pid -i &lt;tmp&gt;.data &gt; &lt;tmp&gt;.perf
 * </pre>
 * {@code -k mono} stamps samples with {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()}
 * and so of the invocation marks ({@link InvocationMarks}); {@code --ns} keeps the nanoseconds and
 * {@code -F +pid} the process id of each sample (perf prints only the thread id by default), so that
 * samples can be cut per invocation and per process. {@code cpu-clock} is a software event: it works
 * in VMs and containers where hardware events are not offered.
 *
 * <p><b>Which processes.</b> By pid ({@link Target.Processes}): the processes given, usually the
 * handler and its descendants at the start of the window ({@link Target#processTree}). perf attaches
 * to every thread they have, follows threads they start, and follows the children they fork during
 * the window too (its events are inherited across fork; verified in {@code PerfRecorderTest}). A
 * process that is neither given nor forked by a given one during the window is not sampled, e.g. a
 * child forked before the window by a process that has since exited and left it orphaned. By cgroup
 * ({@link Target.Cgroup}): every process in the handler's cgroup v2 folder at any moment of the
 * window, wherever it came from ({@link CgroupV2}); needs perf to sample system-wide.
 *
 * <p><b>Bounds.</b> perf record is killed when it overruns its window by {@link #OVERRUN_GRACE}
 * (then SIGKILL 2 s later), perf script after {@link #SCRIPT_TIMEOUT}; either failure is an exception
 * with perf's exit code and last stderr lines, logged. Every wait parks the calling thread: call
 * from a virtual thread ({@link #recordAsync} makes one), never from an event loop.
 *
 * <p><b>Cost</b> (a 2-vCPU VM, perf 6.1, measured by the tests): perf record runs the window plus
 * 0.15-0.35 s; it starts sampling 0.15-0.3 s after it is launched and stops within about 10 ms of
 * the window's end ({@code --no-bpf-event} saves a further second of teardown: see
 * {@link PerfAvailability#noBpfEvent()}); jcmd Compiler.perfmap about 0.35 s per JVM; perf script
 * 0.1-0.3 s for a few hundred samples.
 */
public final class PerfRecorder {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Profiling");

    /** How long perf record may run past its window before it is killed. */
    public static final Duration OVERRUN_GRACE = Duration.ofSeconds(10);
    /** How long perf script may take. */
    public static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    private final PerfAvailability availability;
    private final Path workDirectory;
    private final Set<ProcessRun.Started> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param workDirectory where the {@code .data} and {@code .perf} files are written; made if missing
     */
    public PerfRecorder(PerfAvailability availability, Path workDirectory) {
        this.availability = Objects.requireNonNull(availability);
        this.workDirectory = workDirectory;
    }

    /** What to sample. */
    public sealed interface Target permits Target.Processes, Target.Cgroup {

        /** These processes (and the threads and children they start during the window). */
        record Processes(Set<Long> pids) implements Target {
            public Processes {
                pids = Set.copyOf(pids);
            }
        }

        /** Every process in the cgroup during the window. */
        record Cgroup(HandlerCgroup cgroup) implements Target {}

        /** {@code rootPid} and its descendants now; empty when it is not alive. */
        static Processes processTree(long rootPid) {
            return processTrees(List.of(rootPid));
        }

        /** Each root that is alive, and its descendants now. */
        static Processes processTrees(Collection<Long> rootPids) {
            Set<Long> pids = new LinkedHashSet<>();
            for (long root : rootPids) {
                ProcessHandle.of(root).filter(ProcessHandle::isAlive).ifPresent(h -> {
                    pids.add(h.pid());
                    h.descendants().filter(ProcessHandle::isAlive).forEach(d -> pids.add(d.pid()));
                });
            }
            return new Processes(pids);
        }
    }

    /**
     * A window that perf recorded, not yet turned into text: the {@code .data} file and the perf
     * maps written for it. {@link PerfRecorder#script} turns it into a {@link Recording} and removes
     * both; {@link #discard()} removes them without.
     *
     * @param sampling {@code pid} or {@code cgroup}
     * @param pids     the processes targeted at the start (by pid), or those in the cgroup at the end
     */
    public record Capture(Path dataFile, long startNanos, long endNanos, Instant startTime, String sampling,
                          Set<Long> pids, int frequencyHz, Duration window, Duration perfRecordTook,
                          JitSymbols.PerfMaps perfMaps, List<String> warnings) {

        public void discard() {
            perfMaps.close();
            try {
                Files.deleteIfExists(dataFile);
            } catch (IOException ignored) {
                // a temporary file in the work directory
            }
        }
    }

    /**
     * One recorded window as {@code perf script --header} text.
     *
     * @param scriptFile     the text; the caller owns it (moves it to the trace store, or deletes it)
     * @param startNanos     {@link System#nanoTime()} just before perf started
     * @param endNanos       {@link System#nanoTime()} just after perf record ended: every sample is between
     * @param startTime      the wall-clock time of {@code startNanos}
     * @param sampling       {@code pid} or {@code cgroup}
     * @param pids           the processes sampled (see {@link Capture#pids()})
     * @param jvmPids        the JVMs whose perf map was written before perf script
     * @param perfRecordTook how long perf record ran (the window plus perf's start-up and teardown)
     * @param perfMapTook    how long the jcmd calls took
     * @param perfScriptTook how long perf script took
     * @param warnings       what went wrong without spoiling the trace (a JVM without a perf map, perf's warnings)
     */
    public record Recording(Path scriptFile, long startNanos, long endNanos, Instant startTime, String sampling,
                            Set<Long> pids, List<Long> jvmPids, int frequencyHz, Duration window,
                            Duration perfRecordTook, Duration perfMapTook, Duration perfScriptTook, List<String> warnings) {

        /** Whether the trace's sample times are wall-clock (JFR, from async-profiler or the host's own), not perf's monotonic clock. */
        public boolean wallClock() {
            return sampling.equals(AsyncProfilerRecorder.SAMPLING) || sampling.equals(HostJfr.SAMPLING);
        }

        /** The wall clock minus {@link System#nanoTime()}'s, as read together when the window started. */
        public long wallMinusMonoNanos() {
            return startTime.getEpochSecond() * 1_000_000_000L + startTime.getNano() - startNanos;
        }
    }

    /** Records one window and turns it into text: {@link #capture}, then {@link #script}. */
    public Recording record(Target target, int frequencyHz, Duration window) throws ProfilingException, InterruptedException {
        return script(capture(target, frequencyHz, window));
    }

    /** {@link #record} on a new virtual thread. */
    public CompletableFuture<Recording> recordAsync(Target target, int frequencyHz, Duration window) {
        CompletableFuture<Recording> result = new CompletableFuture<>();
        Thread.ofVirtual().name("flint-perf-record").start(() -> {
            try {
                result.complete(record(target, frequencyHz, window));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * Runs perf record over {@code target} for {@code window}, then writes the perf maps of the JVMs
     * among its processes (so that no jcmd runs during the next window).
     */
    public Capture capture(Target target, int frequencyHz, Duration window) throws ProfilingException, InterruptedException {
        return capture(target, frequencyHz, window, new Control());
    }

    /**
     * Ends one capture early, from another thread: perf record gets SIGTERM, writes what it has,
     * and the capture returns a shorter window (its {@code endNanos} tells how long); one ended
     * before perf wrote anything throws {@link ProfilingException.Kind#CANCELLED}. Safe to call
     * before the capture starts perf (it then ends at once) or after it ended.
     */
    public static final class Control {
        private boolean endEarly;
        private Runnable stopper;

        public synchronized void endEarly() {
            endEarly = true;
            if (stopper != null) {
                stopper.run();
            }
        }

        synchronized boolean endedEarly() {
            return endEarly;
        }

        synchronized void attach(ProcessRun.Started started) {
            attach(started::stopEarly);
        }

        /** What ends the window early: perf's SIGTERM, or the wake-up of async-profiler's wait. */
        synchronized void attach(Runnable stop) {
            stopper = stop;
            if (endEarly) {
                stop.run();
            }
        }
    }

    /** {@link #capture(Target, int, Duration)}, which {@code control} may end early. */
    public Capture capture(Target target, int frequencyHz, Duration window, Control control)
            throws ProfilingException, InterruptedException {
        if (!availability.available()) {
            throw new ProfilingException(ProfilingException.Kind.UNAVAILABLE, availability.reason().orElse("perf is unavailable"));
        }
        if (frequencyHz < 1 || frequencyHz > ProfilingSettings.MAX_FREQUENCY_HZ) {
            throw new ProfilingException(ProfilingException.Kind.INVALID, "frequency must be 1.."
                    + ProfilingSettings.MAX_FREQUENCY_HZ + " Hz, was " + frequencyHz);
        }
        if (window.toMillis() < 10 || window.compareTo(ProfilingSettings.MAX_WINDOW) > 0) {
            throw new ProfilingException(ProfilingException.Kind.INVALID, "a window must be 10 ms..1 h, was " + window);
        }
        List<String> cmd = new ArrayList<>(List.of(availability.perfExecutable().orElseThrow(), "record",
                "-e", "cpu-clock", "-F", Integer.toString(frequencyHz), "-g", "-k", "mono"));
        if (availability.noBpfEvent()) {
            cmd.add("--no-bpf-event");
        }
        String sampling;
        Set<Long> pids;
        switch (target) {
            case Target.Processes p -> {
                pids = p.pids().stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .collect(Collectors.toCollection(LinkedHashSet::new));
                if (pids.isEmpty()) {
                    throw new ProfilingException(ProfilingException.Kind.NOT_RUNNING, p.pids().isEmpty()
                            ? "no handler process is running" : "the handler processes " + p.pids() + " are not running");
                }
                sampling = "pid";
                cmd.add("--pid");
                cmd.add(pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            case Target.Cgroup c -> {
                if (!availability.systemWide()) {
                    throw new ProfilingException(ProfilingException.Kind.UNAVAILABLE,
                            availability.systemWideReason().orElse("perf may not sample system-wide"));
                }
                if (c.cgroup().pids().isEmpty()) {
                    throw new ProfilingException(ProfilingException.Kind.NOT_RUNNING, "no process is in " + c.cgroup());
                }
                sampling = "cgroup";
                pids = Set.of();
                cmd.addAll(List.of("-a", "-G", c.cgroup().perfName()));
            }
        }
        Path data = WorkFiles.create(workDirectory, "perf-", ".data");
        cmd.addAll(List.of("-o", data.toString(), "--", ProcessRun.systemTool("sleep"), seconds(window)));

        Instant startTime = Instant.now();
        long startNanos = System.nanoTime();
        ProcessRun.Started perf;
        synchronized (running) { // with close(): a perf is either refused or registered to be stopped
            if (closed) {
                WorkFiles.delete(data);
                throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping");
            }
            try {
                perf = ProcessRun.start(cmd, perfEnvironment(), null);
            } catch (IOException e) {
                WorkFiles.delete(data);
                throw new ProfilingException(ProfilingException.Kind.FAILED, "cannot start perf: " + e.getMessage(), e);
            }
            running.add(perf);
        }
        control.attach(perf);
        ProcessRun.Result r;
        try {
            r = perf.await(window.plus(OVERRUN_GRACE), Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            WorkFiles.delete(data);
            throw e;
        } finally {
            running.remove(perf);
        }
        long endNanos = System.nanoTime();
        if (control.endedEarly() && sizeOf(data) == 0) {
            WorkFiles.delete(data); // stopped before perf could write anything
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "the window was ended before it began");
        }
        if (closed) {
            WorkFiles.delete(data);
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping: the window was cut short");
        }
        boolean cutShort = control.endedEarly() && !r.timedOut() && sizeOf(data) > 0;
        // perf ends a --pid recording early, stopping its sleep, when every process it samples has
        // exited: it then exits with the sleep's status (143), yet what it wrote is a whole recording.
        boolean wrote = !r.timedOut() && sizeOf(data) > 0
                && r.stderr().stream().anyMatch(l -> l.contains("Captured and wrote"));
        if (!r.ok() && !cutShort && !wrote) {
            WorkFiles.delete(data);
            if (r.stderrSummary().contains("No such process")) {
                throw new ProfilingException(ProfilingException.Kind.NOT_RUNNING, "the handler processes " + pids
                        + " exited as perf started");
            }
            String message = r.timedOut()
                    ? "perf record overran its " + seconds(window) + " s window by " + OVERRUN_GRACE.toSeconds()
                      + " s and was killed; " + r.stderrSummary()
                    : "perf record failed with exit code " + r.exitCode() + ": " + r.stderrSummary();
            LOG.error("Profiling {} ({}): {}", sampling.equals("pid") ? "pids " + pids : target, String.join(" ", cmd), message);
            throw new ProfilingException(ProfilingException.Kind.FAILED, message);
        }
        List<String> warnings = new ArrayList<>(perfWarnings(r.stderr()));
        if (!r.ok() && !cutShort) {
            boolean gone = target instanceof Target.Processes
                    && pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            warnings.add(0, "the window ended after " + Duration.ofNanos(endNanos - startNanos).toMillis() + " ms of "
                    + seconds(window) + " s" + (gone ? ": every process it sampled had exited" : " (perf exit code "
                    + r.exitCode() + ")"));
        }

        List<Long> jvms;
        if (target instanceof Target.Cgroup c) {
            pids = c.cgroup().pids();
        }
        jvms = JitSymbols.jvms(pids);
        JitSymbols.PerfMaps maps = JitSymbols.writePerfMaps(jvms);
        warnings.addAll(maps.warnings());
        return new Capture(data, startNanos, endNanos, startTime, sampling, Set.copyOf(pids), frequencyHz, window,
                r.took(), maps, List.copyOf(warnings));
    }

    /** Runs perf script over a capture into a {@code .perf} file; removes the capture's files. */
    public Recording script(Capture capture) throws ProfilingException, InterruptedException {
        Path text = Path.of(capture.dataFile().toString().replaceFirst("\\.data$", "") + ".perf");
        List<String> cmd = List.of(availability.perfExecutable().orElseThrow(), "script", "--header", "--ns", "-F", "+pid",
                "-i", capture.dataFile().toString());
        try {
            ProcessRun.Result r;
            try {
                r = ProcessRun.run(cmd, perfEnvironment(), text, SCRIPT_TIMEOUT);
            } catch (IOException e) {
                throw new ProfilingException(ProfilingException.Kind.FAILED, "cannot run perf script: " + e.getMessage(), e);
            }
            if (!r.ok()) {
                WorkFiles.delete(text);
                String message = r.timedOut() ? "perf script did not finish within " + SCRIPT_TIMEOUT.toSeconds() + " s"
                        : "perf script failed with exit code " + r.exitCode() + ": " + r.stderrSummary();
                LOG.error("Profiling: {} ({})", message, String.join(" ", cmd));
                throw new ProfilingException(ProfilingException.Kind.FAILED, message);
            }
            List<String> warnings = new ArrayList<>(capture.warnings());
            warnings.addAll(perfWarnings(r.stderr()));
            return new Recording(text, capture.startNanos(), capture.endNanos(), capture.startTime(), capture.sampling(),
                    capture.pids(), capture.perfMaps().written(), capture.frequencyHz(), capture.window(),
                    capture.perfRecordTook(), capture.perfMaps().took(), r.took(), List.copyOf(warnings));
        } finally {
            capture.discard();
        }
    }

    /**
     * Stops every perf record in progress at once (their windows end early, and {@link #capture}
     * throws {@link ProfilingException.Kind#CANCELLED}); later captures are refused. Idempotent.
     */
    public void close() {
        synchronized (running) {
            closed = true;
            for (ProcessRun.Started s : running) {
                s.stopEarly();
            }
        }
    }

    private static List<String> perfWarnings(List<String> stderr) {
        List<String> out = new ArrayList<>();
        for (String line : stderr) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("[ perf record:")) {
                continue;
            }
            out.add("perf: " + l);
        }
        return out;
    }

    private static Map<String, String> perfEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LC_ALL", "C");
        return env;
    }

    /** A window as sleep(1) takes it: {@code 10}, {@code 1.5}. */
    static String seconds(Duration window) {
        return BigDecimal.valueOf(window.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
