package dev.flint.host.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profiles one app's handler: continuously ({@code flint start --profile}, or host.json's
 * {@code profiling}), one window after another, each stored as a trace through the {@link TraceSink}
 * with the invocation marks of its time; and on demand ({@link #profileNow}, for
 * {@code POST /admin/functions/{name}/profile?seconds=N} and {@code flint profile}).
 *
 * <p><b>One perf at a time per host.</b> A lock (fair) is held while perf records. An on-demand
 * request does not wait for the continuous window in progress: it ends that window early (the
 * shorter window is stored as usual; its {@code start-ns}/{@code end-ns} labels say how long it ran),
 * records its own, and the windows then resume. A second on-demand request while one is in progress
 * is refused at once with {@link ProfilingException.Kind#BUSY} (409, with a Retry-After of the time
 * the first still needs), rather than queued behind it: the caller learns at once, and no HTTP
 * request hangs for minutes.
 *
 * <p><b>Between windows.</b> perf record for the next window starts as soon as the last one has
 * ended and its JVM perf maps are written; perf script and the store of the last window run
 * meanwhile on another virtual thread (at most one behind), so the unsampled gap between two
 * windows is perf's own start and stop (0.28-0.36 s measured here, mostly perf's start-up) plus jcmd
 * for Java handlers (about 0.35 s), not the whole post-processing: about 3 % of a 10 s window. While the handler is not running (starting, restarting), the loop waits and tries
 * again every second.
 *
 * <p>All work runs on virtual threads; nothing here blocks an event loop. {@link #close()} ends the
 * window in progress at once (that partial window is dropped, not stored), lets the store of the
 * previous window finish, and returns when both threads are done.
 */
public final class ProfileWindows implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Profiling");

    /** The longest on-demand profile. */
    public static final Duration MAX_ON_DEMAND = Duration.ofMinutes(5);
    /** The {@code function} label of a profile of Flint's own JVM. */
    public static final String HOST_FUNCTION = "flint-host";
    private static final Duration IDLE_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_FAILURE_BACKOFF = Duration.ofSeconds(30);

    private final String appName;
    private final ProfilingSettings settings;
    private final PerfAvailability availability;
    private final PerfRecorder recorder;
    /** Present when host.json chose async-profiler for Java handlers and its agent is installed. */
    private final Optional<AsyncProfilerRecorder> asyncProfiler;
    private final HostJfr hostJfr;
    private final InvocationMarks marks;
    private final TraceSink sink;
    private final Supplier<Optional<PerfRecorder.Target>> target;

    private final ReentrantLock perfLock = new ReentrantLock(true);
    private final AtomicReference<OnDemand> onDemand = new AtomicReference<>();
    private final AtomicReference<PerfRecorder.Control> continuousWindow = new AtomicReference<>();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final ExecutorService postProcessing = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flint-profile-store-", 0).factory());
    private volatile boolean closed;
    private volatile Thread loop;
    private final java.util.concurrent.atomic.AtomicLong windowsStored = new java.util.concurrent.atomic.AtomicLong();
    private String lastFailure;

    private record OnDemand(long endsAtNanos) {}

    /**
     * @param appName      the app, for labels and logs
     * @param settings     frequency and window of the continuous mode (and whether it is on)
     * @param workDirectory where perf's temporary files go
     * @param target       what to sample now: {@link #handlerTarget}, empty while no handler runs
     */
    public ProfileWindows(String appName, ProfilingSettings settings, PerfAvailability availability, Path workDirectory,
                          InvocationMarks marks, TraceSink sink, Supplier<Optional<PerfRecorder.Target>> target) {
        this(appName, settings, availability, workDirectory, marks, sink, target, Optional.empty());
    }

    /**
     * @param asyncProfiler the agent Java handlers load at start, used for windows over a JVM when
     *                      {@code settings.jvmMode()} is {@link ProfilingSettings.JvmMode#ASYNC_PROFILER}
     */
    public ProfileWindows(String appName, ProfilingSettings settings, PerfAvailability availability, Path workDirectory,
                          InvocationMarks marks, TraceSink sink, Supplier<Optional<PerfRecorder.Target>> target,
                          Optional<AsyncProfilerAgent> asyncProfiler) {
        this.hostJfr = new HostJfr(workDirectory);
        this.asyncProfiler = asyncProfiler.filter(a -> settings.jvmMode() == ProfilingSettings.JvmMode.ASYNC_PROFILER)
                .map(a -> new AsyncProfilerRecorder(a, workDirectory));
        this.appName = Objects.requireNonNull(appName);
        this.settings = Objects.requireNonNull(settings);
        this.availability = Objects.requireNonNull(availability);
        this.recorder = new PerfRecorder(availability, workDirectory);
        this.marks = Objects.requireNonNull(marks);
        this.sink = Objects.requireNonNull(sink);
        this.target = Objects.requireNonNull(target);
    }

    /**
     * The usual target: the handler's cgroup when it has one (pass it only when perf may sample
     * system-wide, as {@code -G} needs), else the handler process (its pid from
     * {@code handlerPid}, {@code <= 0} when none) and its descendants at the start of each window.
     */
    public static Supplier<Optional<PerfRecorder.Target>> handlerTarget(java.util.function.LongSupplier handlerPid,
                                                                        Optional<HandlerCgroup> cgroup) {
        return () -> {
            // A handler that could not be moved into its cgroup is still sampled, by pid.
            if (cgroup.isPresent() && !cgroup.get().pids().isEmpty()) {
                return Optional.of(new PerfRecorder.Target.Cgroup(cgroup.get()));
            }
            long pid = handlerPid.getAsLong();
            if (pid <= 0) {
                return Optional.empty();
            }
            PerfRecorder.Target.Processes tree = PerfRecorder.Target.processTree(pid);
            return tree.pids().isEmpty() ? Optional.empty() : Optional.of(tree);
        };
    }

    /** Starts the continuous windows when the settings turn them on and perf is available; returns at once. */
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        if (!availability.available() && asyncProfiler.isEmpty()) {
            LOG.warn("Profiling of {} is on, but no window will be recorded: {}", appName, availability.reason().orElse(""));
            return;
        }
        LOG.info("Profiling {}: one trace every {} s at {} Hz", appName, PerfRecorder.seconds(settings.window()),
                settings.frequencyHz());
        loop = Thread.ofVirtual().name("flint-profile-windows-" + appName).start(this::runWindows);
    }

    /** How many continuous windows were stored so far. */
    public long windowsStored() {
        return windowsStored.get();
    }

    private void runWindows() {
        CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        Duration backoff = IDLE_RETRY;
        while (!closed) {
            Optional<PerfRecorder.Target> t = target.get();
            if (t.isEmpty()) {
                pause(IDLE_RETRY);
                continue;
            }
            Window capture = null;
            String failure = null;
            boolean yielded = false;
            try {
                perfLock.lockInterruptibly();
            } catch (InterruptedException e) {
                break;
            }
            try {
                PerfRecorder.Control control = new PerfRecorder.Control();
                // Published before the look at onDemand: an on-demand request either is seen here,
                // or sees this control and ends the window (profileNow claims, then looks).
                continuousWindow.set(control);
                if (onDemand.get() != null) {
                    yielded = true;
                } else if (!closed) {
                    capture = capture(t.get(), settings.frequencyHz(), settings.window(), control);
                }
            } catch (ProfilingException e) {
                if (e.kind() == ProfilingException.Kind.CANCELLED) {
                    if (closed) {
                        break;
                    }
                    yielded = true; // an on-demand profile ended this window before perf wrote anything
                } else if (e.kind() == ProfilingException.Kind.NOT_RUNNING) {
                    LOG.debug("Profiling {}: {}", appName, e.getMessage());
                    yielded = true;
                } else {
                    failure = e.getMessage();
                }
            } catch (InterruptedException e) {
                break;
            } finally {
                continuousWindow.set(null);
                perfLock.unlock();
            }
            if (failure != null) {
                failed("recording a window", failure);
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_FAILURE_BACKOFF);
                continue;
            }
            if (yielded) {
                pause(Duration.ofMillis(50)); // an on-demand profile goes first, or the handler is between processes
                continue;
            }
            if (capture == null) {
                break; // closed
            }
            if (closed) {
                capture.discard();
                break;
            }
            backoff = IDLE_RETRY;
            previous.join(); // at most one window being post-processed
            Window c = capture;
            previous = CompletableFuture.runAsync(() -> storeWindow(c), postProcessing);
        }
        previous.join();
    }

    /**
     * A recorded window on its way to the store: perf's capture still to be turned into text, or
     * async-profiler's JFR file, complete as it is.
     */
    private record Window(PerfRecorder.Capture perf, PerfRecorder.Recording done) {

        PerfRecorder.Recording finish(PerfRecorder recorder) throws ProfilingException, InterruptedException {
            return done != null ? done : recorder.script(perf);
        }

        void discard() {
            if (perf != null) {
                perf.discard();
            } else {
                WorkFiles.delete(done.scriptFile());
            }
        }
    }

    /** One window over {@code t}: by async-profiler when it is chosen and a JVM is there to sample, else by perf. */
    private Window capture(PerfRecorder.Target t, int frequencyHz, Duration window, PerfRecorder.Control control)
            throws ProfilingException, InterruptedException {
        if (asyncProfiler.isPresent()) {
            List<Long> jvms = JitSymbols.jvms(pidsOf(t));
            if (!jvms.isEmpty()) {
                return new Window(null, asyncProfiler.get().record(jvms, frequencyHz, window, control));
            }
        }
        return new Window(recorder.capture(t, frequencyHz, window, control), null);
    }

    private static Set<Long> pidsOf(PerfRecorder.Target t) {
        return switch (t) {
            case PerfRecorder.Target.Processes p -> p.pids();
            case PerfRecorder.Target.Cgroup c -> c.cgroup().pids();
        };
    }

    private void storeWindow(Window capture) {
        try {
            PerfRecorder.Recording r = capture.finish(recorder);
            String id = store(r, Optional.empty(), "continuous");
            windowsStored.incrementAndGet();
            LOG.debug("Profiling {}: stored window {} ({} ms of perf record, {} ms of jcmd, {} ms of perf script)", appName,
                    id, r.perfRecordTook().toMillis(), r.perfMapTook().toMillis(), r.perfScriptTook().toMillis());
            r.warnings().forEach(w -> LOG.debug("Profiling {}: {}", appName, w));
        } catch (ProfilingException e) {
            if (e.kind() == ProfilingException.Kind.NO_SAMPLES) {
                LOG.debug("Profiling {}: an idle window, not stored", appName); // not a failure
            } else {
                failed("turning a window into a trace", e.getMessage());
            }
        } catch (InterruptedException e) {
            capture.discard();
            Thread.currentThread().interrupt();
        }
    }

    private String store(PerfRecorder.Recording r, Optional<String> function, String mode) throws ProfilingException {
        return store(r, function, mode, function.orElse(appName));
    }

    /**
     * @param function the function whose marks go with the trace (empty: every function's)
     * @param label    the trace's function label
     */
    private String store(PerfRecorder.Recording r, Optional<String> function, String mode, String label)
            throws ProfilingException {
        List<InvocationMarks.Mark> during = forTrace(marks.between(r.startNanos(), r.endNanos(), function), r.pids());
        if (r.wallClock()) {
            // A JFR's sample times are wall-clock: the marks move onto that clock, by the offset between
            // the two clocks read together when the window started.
            long wallMinusMono = r.wallMinusMonoNanos();
            during = during.stream().map(m -> new InvocationMarks.Mark(m.id(), m.function(), m.pid(),
                    m.startNanos() + wallMinusMono, m.endNanos() + wallMinusMono, m.status())).toList();
        }
        Map<String, String> labels = ProfileLabels.of(appName, Optional.of(label), mode, r);
        try {
            return sink.store(r.scriptFile(), labels, during);
        } catch (TraceSink.NoSamples e) {
            throw new ProfilingException(ProfilingException.Kind.NO_SAMPLES, "no samples in the "
                    + PerfRecorder.seconds(r.window()) + " s window: the handler did not run on a CPU while it was"
                    + " sampled; profile it while it works (flint bench --profile loads it meanwhile)");
        } catch (Exception e) {
            throw new ProfilingException(ProfilingException.Kind.FAILED, "the trace could not be stored: " + e, e);
        } finally {
            WorkFiles.delete(r.scriptFile()); // unless the sink moved it
        }
    }

    /**
     * The marks as the trace's {@code .invocations} file needs them: {@code flint trace --invocations}
     * keeps only the samples of a mark's pid, so a mark keeps its pid only when the handler ran as that
     * one process; when it ran as several (a wrapper script and the program it started, workers, or a
     * cgroup of processes) any of them may have served the invocation, and the pid becomes -1 (any).
     */
    static List<InvocationMarks.Mark> forTrace(List<InvocationMarks.Mark> marks, Set<Long> sampled) {
        long only = sampled.size() == 1 ? sampled.iterator().next() : Long.MIN_VALUE;
        return marks.stream().map(m -> m.pid() == only || m.pid() == -1 ? m
                : new InvocationMarks.Mark(m.id(), m.function(), -1, m.startNanos(), m.endNanos(), m.status())).toList();
    }

    /** Logs a failure once at warning (and again only when it changes), so that a broken perf cannot flood the log. */
    private synchronized void failed(String what, String message) {
        if (message.equals(lastFailure)) {
            LOG.debug("Profiling {}: {} failed again: {}", appName, what, message);
        } else {
            lastFailure = message;
            LOG.warn("Profiling {}: {} failed: {}", appName, what, message);
        }
    }

    /**
     * Profiles the handler now, for one function: what {@link #handlerTarget} gives (its cgroup, or
     * the handler and its descendants). See {@link #profileNow(Set, String, Duration, int)}.
     */
    public String profileNow(String function, Duration seconds, int frequencyHz) throws ProfilingException, InterruptedException {
        Optional<PerfRecorder.Target> t = target.get();
        if (t.isEmpty()) {
            checkRequest(seconds, frequencyHz);
            throw new ProfilingException(ProfilingException.Kind.NOT_RUNNING, "the handler of " + appName
                    + " is not running now (starting or restarting?); try again in a few seconds");
        }
        return profileNow(t.get(), function, seconds, frequencyHz);
    }

    /**
     * Profiles {@code pids} (and their descendants now) for {@code seconds}, stores the trace with
     * the marks of {@code function}'s invocations, labels {@code function}, {@code mode=on-demand},
     * and returns the trace id. Blocks for about {@code seconds} plus 0.3 s: call from a virtual
     * thread. Errors: {@link ProfilingException.Kind#UNAVAILABLE} (503, perf's reason),
     * {@code NOT_RUNNING} (503), {@code INVALID} (400: seconds 1..300, frequency 1..100000),
     * {@code BUSY} (409: another on-demand profile is in progress), {@code FAILED} (500).
     */
    public String profileNow(Set<Long> pids, String function, Duration seconds, int frequencyHz)
            throws ProfilingException, InterruptedException {
        return profileNow(PerfRecorder.Target.processTrees(pids), function, seconds, frequencyHz);
    }

    private String profileNow(PerfRecorder.Target t, String function, Duration seconds, int frequencyHz)
            throws ProfilingException, InterruptedException {
        checkRequest(seconds, frequencyHz);
        if (closed) {
            throw new ProfilingException(ProfilingException.Kind.CANCELLED, "Flint is stopping");
        }
        OnDemand mine = new OnDemand(System.nanoTime() + seconds.toNanos() + Duration.ofSeconds(1).toNanos());
        OnDemand other = onDemand.compareAndExchange(null, mine);
        if (other != null) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(other.endsAtNanos() - System.nanoTime()) + 1);
            throw new ProfilingException(ProfilingException.Kind.BUSY, "another profile of " + appName
                    + " is being recorded (one perf at a time); try again in " + left + " s", left, null);
        }
        try {
            PerfRecorder.Control window = continuousWindow.get();
            if (window != null) {
                window.endEarly();
            }
            perfLock.lockInterruptibly();
            Window capture;
            try {
                capture = capture(t, frequencyHz, seconds, new PerfRecorder.Control());
            } finally {
                perfLock.unlock();
            }
            PerfRecorder.Recording r = capture.finish(recorder);
            String id = store(r, Optional.of(function), "on-demand");
            LOG.info("Profiled {} for {} s at {} Hz: trace {} ({} ms of perf record, {} ms of jcmd, {} ms of perf script)",
                    function, PerfRecorder.seconds(seconds), frequencyHz, id, r.perfRecordTook().toMillis(),
                    r.perfMapTook().toMillis(), r.perfScriptTook().toMillis());
            r.warnings().forEach(w -> LOG.info("Profiling {}: {}", function, w));
            return id;
        } finally {
            onDemand.set(null);
        }
    }

    /**
     * Profiles Flint's own JVM now with JFR ({@link HostJfr}), for {@code seconds}, and stores the
     * trace (function label {@value #HOST_FUNCTION}) with the marks of every invocation in its time.
     * Needs no perf, and runs beside a perf window.
     */
    public String profileHostNow(Duration seconds, int frequencyHz) throws ProfilingException, InterruptedException {
        checkDuration(seconds);
        checkFrequency(frequencyHz);
        PerfRecorder.Recording r = hostJfr.record(frequencyHz, seconds);
        String id = store(r, Optional.empty(), "on-demand", HOST_FUNCTION);
        LOG.info("Profiled Flint's own JVM for {} s at {} Hz with JFR: trace {}", PerfRecorder.seconds(seconds),
                r.frequencyHz(), id);
        r.warnings().forEach(w -> LOG.info("Profiling Flint: {}", w));
        return id;
    }

    private static void checkDuration(Duration seconds) throws ProfilingException {
        if (seconds.compareTo(Duration.ofSeconds(1)) < 0 || seconds.compareTo(MAX_ON_DEMAND) > 0) {
            throw new ProfilingException(ProfilingException.Kind.INVALID, "seconds must be 1.." + MAX_ON_DEMAND.toSeconds()
                    + ", was " + PerfRecorder.seconds(seconds));
        }
    }

    private void checkRequest(Duration seconds, int frequencyHz) throws ProfilingException {
        if (!availability.available() && asyncProfiler.isEmpty()) {
            throw new ProfilingException(ProfilingException.Kind.UNAVAILABLE, availability.reason().orElse("perf is unavailable"));
        }
        checkDuration(seconds);
        checkFrequency(frequencyHz);
    }

    private static void checkFrequency(int frequencyHz) throws ProfilingException {
        if (frequencyHz < 1 || frequencyHz > ProfilingSettings.MAX_FREQUENCY_HZ) {
            throw new ProfilingException(ProfilingException.Kind.INVALID, "frequency must be 1.."
                    + ProfilingSettings.MAX_FREQUENCY_HZ + " Hz, was " + frequencyHz);
        }
    }

    private void pause(Duration d) {
        try {
            stopSignal.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops: the window in progress ends at once and is dropped, an on-demand profile in progress is
     * cancelled, the store of the last complete window finishes; returns when all is done (bounded
     * by perf script's timeout). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopSignal.countDown();
        recorder.close();
        asyncProfiler.ifPresent(AsyncProfilerRecorder::close);
        hostJfr.close();
        Thread t = loop;
        if (t != null) {
            try {
                if (!t.join(PerfRecorder.SCRIPT_TIMEOUT.plusSeconds(15))) {
                    LOG.warn("Profiling {}: the window loop did not stop in time", appName);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        postProcessing.shutdown();
        try {
            if (!postProcessing.awaitTermination(PerfRecorder.SCRIPT_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS)) {
                postProcessing.shutdownNow();
            }
        } catch (InterruptedException e) {
            postProcessing.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
