package dev.flint.host.profile;

import dev.flint.host.invoke.Invocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's profiling: the invocation marks every invocation feeds, and the profile windows, made
 * ready on a virtual thread (finding out whether perf may sample takes up to a second, which the
 * host's start must not wait for). Says once, at start, whether perf can be used and why not;
 * continuous windows run only when profiling is on; an on-demand profile waits until it is ready.
 */
public final class HostProfiling implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Profiling");

    private final InvocationMarks marks = new InvocationMarks();
    private final ProfilingSettings settings;
    private final LongSupplier handlerPid;
    private final CompletableFuture<ProfileWindows> windows = new CompletableFuture<>();
    private volatile boolean closed;

    private HostProfiling(ProfilingSettings settings, LongSupplier handlerPid) {
        this.settings = settings;
        this.handlerPid = handlerPid;
    }

    /**
     * @param handlerPid    the handler's pid now, {@code <= 0} when there is none
     * @param cgroup        the handler's cgroup, sampled instead of its pid when perf may sample system-wide
     * @param asyncProfiler the agent Java handlers were started with, when host.json chose async-profiler
     */
    public static HostProfiling start(String appName, ProfilingSettings settings, Path workDirectory, TraceSink sink,
                                      LongSupplier handlerPid, Optional<HandlerCgroup> cgroup,
                                      Optional<AsyncProfilerAgent> asyncProfiler) {
        HostProfiling profiling = new HostProfiling(settings, handlerPid);
        Thread.ofVirtual().name("flint-profiling-" + appName).start(() -> {
            try {
                PerfAvailability perf = PerfAvailability.shared();
                boolean jvmsByAgent = asyncProfiler.isPresent() && settings.jvmMode() == ProfilingSettings.JvmMode.ASYNC_PROFILER;
                if (jvmsByAgent) {
                    LOG.info("Java handlers of {} are profiled with async-profiler {} ({})", appName,
                            asyncProfiler.get().version(), asyncProfiler.get().library());
                }
                if (!perf.available() && jvmsByAgent) {
                    LOG.info("perf is not available ({}); only Java handlers can be profiled, with async-profiler",
                            perf.reason().orElse("?"));
                } else if (!perf.available() && settings.enabled()) {
                    LOG.warn("Profiling is on, but {}; Flint serves without it, and profile requests answer 503",
                            perf.reason().orElse("perf cannot sample"));
                } else if (!perf.available()) {
                    LOG.info("Profiling is not available ({}); profile requests answer 503", perf.reason().orElse("?"));
                } else {
                    LOG.info("{}", perf.logLine());
                }
                Optional<HandlerCgroup> sampledCgroup = cgroup.filter(c -> perf.systemWide() && settings.byCgroup());
                if (cgroup.isPresent() && perf.available()) {
                    LOG.info(sampledCgroup.isPresent() ? "The handler of {} runs in cgroup {}; perf samples that cgroup"
                            : "The handler of {} runs in cgroup {}, but perf samples it by pid: " + (settings.byCgroup()
                            ? perf.systemWideReason().orElse("") : "host.json profiling.sampling is \"pid\""),
                            appName, cgroup.get().perfName());
                }
                ProfileWindows made = new ProfileWindows(appName, settings, perf, workDirectory, profiling.marks, sink,
                        ProfileWindows.handlerTarget(handlerPid, sampledCgroup), asyncProfiler);
                synchronized (profiling) {
                    if (profiling.closed) {
                        made.close();
                        return;
                    }
                    if (settings.enabled() && (perf.available() || jvmsByAgent)) {
                        made.start();
                        // ProfileWindows.start says that windows run, and how often.
                    }
                    profiling.windows.complete(made);
                }
            } catch (RuntimeException e) {
                LOG.warn("Profiling could not be set up: {}", e.getMessage());
                profiling.windows.completeExceptionally(e);
            }
        });
        return profiling;
    }

    /** Records each invocation's end as a mark, with the handler's pid. */
    public Invocation.Listener listener() {
        return marks.listener(handlerPid);
    }

    public ProfilingSettings settings() {
        return settings;
    }

    /**
     * Profiles the handler now, for {@code seconds}, and stores the trace; blocks (call it on a virtual thread).
     *
     * @return the stored trace's id
     */
    public String profileNow(String function, Duration seconds, int frequencyHz) throws ProfilingException,
            InterruptedException {
        return ready().profileNow(function, seconds, frequencyHz);
    }

    /** Profiles Flint's own JVM now with JFR, for {@code seconds}; blocks (call it on a virtual thread). */
    public String profileHostNow(Duration seconds, int frequencyHz) throws ProfilingException, InterruptedException {
        return ready().profileHostNow(seconds, frequencyHz);
    }

    /** The windows, once set up; waits for them. */
    private ProfileWindows ready() throws ProfilingException, InterruptedException {
        try {
            return windows.get();
        } catch (ExecutionException e) {
            throw new ProfilingException(ProfilingException.Kind.UNAVAILABLE, "profiling could not be set up: "
                    + e.getCause().getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        windows.thenAccept(ProfileWindows::close);
    }
}
