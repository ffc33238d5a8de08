package dev.flint.host;

import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.auth.KeyStoreException;
import dev.flint.host.http.CorsPolicy;
import dev.flint.host.http.FrontDoor;
import dev.flint.host.process.HandlerCommand;
import dev.flint.host.process.HandlerSupervisor;
import dev.flint.host.process.ProcessPlacement;
import dev.flint.host.profile.AsyncProfilerAgent;
import dev.flint.host.profile.CgroupV2;
import dev.flint.host.profile.HandlerCgroup;
import dev.flint.host.route.FunctionRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running function app: its handler process, its keys and its HTTP front door. Everything is
 * validated before anything starts; {@link #close()} stops the front door, then the handler.
 */
public final class FlintHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Startup");

    private final FunctionApp app;
    private final HostOptions options;
    private final Vertx vertx;
    private final HandlerSupervisor supervisor;
    private final FrontDoor frontDoor;
    private final KeyStore keys;
    private final String keysUnavailable;
    private final CorsPolicy cors;
    private final dev.flint.host.traces.TraceEndpoints traces;
    private final dev.flint.host.profile.HostProfiling profiling;
    private final Path dataDirectory;

    private FlintHost(FunctionApp app, HostOptions options, Vertx vertx, HandlerSupervisor supervisor,
                      FrontDoor frontDoor, KeyStore keys, String keysUnavailable, CorsPolicy cors,
                      dev.flint.host.traces.TraceEndpoints traces, dev.flint.host.profile.HostProfiling profiling,
                      Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.app = app;
        this.options = options;
        this.vertx = vertx;
        this.supervisor = supervisor;
        this.frontDoor = frontDoor;
        this.keys = keys;
        this.keysUnavailable = keysUnavailable;
        this.cors = cors;
        this.traces = traces;
        this.profiling = profiling;
    }

    /** Profiles go into the trace store, each with its invocation marks. */
    private static dev.flint.host.profile.TraceSink profileSink(dev.flint.host.traces.TraceStore store) {
        return (file, labels, marks) -> {
            try {
                return store.put(file, labels,
                        marks.stream().map(dev.flint.host.profile.InvocationMarks.Mark::toStored).toList()).id();
            } catch (dev.flint.host.traces.TraceRejectedException e) {
                if (e.reason() == dev.flint.host.traces.TraceRejectedException.Reason.NO_SAMPLES) {
                    throw new dev.flint.host.profile.TraceSink.NoSamples(e.getMessage());
                }
                throw e;
            }
        };
    }

    /** The host's profiling; empty when there is no trace store to keep profiles in. */
    public Optional<dev.flint.host.profile.HostProfiling> profiling() {
        return Optional.ofNullable(profiling);
    }

    /**
     * The app's trace store, {@code <data directory>/traces}: traces posted to {@code /admin/traces}
     * and those the profiler records. A store that cannot be opened is said once; the rest runs.
     */
    private static Optional<dev.flint.host.traces.TraceStore> openTraceStore(Path dataDirectory) {
        try {
            return Optional.of(dev.flint.host.traces.TraceStore.open(dataDirectory.resolve("traces"),
                    dev.flint.host.traces.TraceStore.Retention.DEFAULT));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("The trace store in {} cannot be opened, so /admin/traces answers 503: {}",
                    dataDirectory.resolve("traces"), e.getMessage());
            return Optional.empty();
        }
    }

    /** Retention by age and size, and leftovers of broken uploads, once a minute off the event loops. */
    private static void enforceRetentionEveryMinute(Vertx vertx, dev.flint.host.traces.TraceStore store) {
        vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> store.enforce(), false)
                .onFailure(e -> LOG.warn("Trace retention failed: {}", e.getMessage())));
    }

    /** The trace collector, store and query API; empty when the store could not be opened. */
    public Optional<dev.flint.host.traces.TraceEndpoints> traces() {
        return Optional.ofNullable(traces);
    }

    /**
     * Starts the app: resolves the handler command, every route and the CORS origins (failing with
     * the file and field at fault), opens the key store, starts the handler, and opens the front
     * door. Returns once the port is bound; the handler may still be starting, and invocations wait
     * for it.
     */
    public static FlintHost start(FunctionApp app, HostOptions options) throws AppConfigException {
        FunctionRoutes routes = FunctionRoutes.of(app);
        CorsPolicy cors = corsPolicy(app, options);
        Map<String, String> env = new HashMap<>(options.environment());
        env.putAll(app.settings().values());
        Path dataDirectory = options.dataDirectory().orElseGet(() -> KeyStore.dataDirectory(app.root(), env));
        HandlerSupervisor supervisor = null;
        Optional<HandlerCgroup> handlerCgroup = Optional.empty();
        Optional<AsyncProfilerAgent> asyncProfiler = asyncProfilerAgent(app, dataDirectory);
        if (app.functions().stream().anyMatch(fn -> !fn.disabled())) {
            // As Azure: an app without functions never starts its handler. A function whose trigger
            // Flint does not run yet still needs it, for POST /admin/functions/{name}.
            // Frame pointers, so that perf sees a JVM handler's Java callers; other programs ignore it.
            Map<String, String> handlerEnvironment = new HashMap<>(options.environment());
            String javaOptions = dev.flint.host.profile.JitSymbols.javaToolOptions(handlerEnvironment.get("JAVA_TOOL_OPTIONS"));
            if (asyncProfiler.isPresent()) {
                javaOptions += " " + asyncProfiler.get().agentOption(); // loaded at start, idle until a window
            }
            handlerEnvironment.put("JAVA_TOOL_OPTIONS", javaOptions);
            HandlerCommand command = HandlerCommand.resolve(app, handlerEnvironment);
            Duration startupTimeout = options.startupTimeout().orElse(app.host().startupTimeout());
            handlerCgroup = handlerCgroup(app);
            supervisor = new HandlerSupervisor(app.name(), command, app.host().handlerPort(), startupTimeout,
                    options.gracePeriod(), handlerCgroup.<ProcessPlacement>map(c -> c).orElse(ProcessPlacement.NONE));
        }
        KeyStore keys = null;
        String keysUnavailable = "";
        try {
            keys = KeyStore.open(dataDirectory, env, app.functions().stream().map(FunctionDefinition::name).toList());
        } catch (KeyStoreException e) {
            if (options.keysEnforced()) {
                throw new HostStartException("Flint cannot check function keys: " + e.getMessage()
                        + " (choose a writable folder with --data-dir, or supply keys with FLINT_MASTER_KEY)", e);
            }
            keysUnavailable = e.getMessage();
            LOG.warn("Function keys are not available, so the key endpoints of the admin API answer 409: {}", e.getMessage());
        }
        Optional<dev.flint.host.traces.TraceStore> traceStore = openTraceStore(dataDirectory);
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(options.eventLoops()));
        try {
            // The port first: if it is taken, no handler is started for nothing. Requests that
            // arrive before the handler is ready wait for it.
            Optional<dev.flint.host.traces.TraceEndpoints> traces = traceStore.map(store ->
                    new dev.flint.host.traces.TraceEndpoints(vertx, store,
                            new dev.flint.host.traces.TraceCache(store, dev.flint.host.traces.TraceCache.DEFAULT_MAX_BYTES),
                            dev.flint.host.traces.TraceEndpoints.DEFAULT_MAX_UPLOAD_BYTES));
            traceStore.ifPresent(store -> enforceRetentionEveryMinute(vertx, store));
            HandlerSupervisor handler = supervisor;
            Optional<HandlerCgroup> sampledCgroup = handlerCgroup;
            dev.flint.host.profile.ProfilingSettings settings = app.host().profiling().withEnabled(
                    options.profile() || app.host().profiling().enabled());
            dev.flint.host.profile.HostProfiling profiling = traceStore.map(store -> dev.flint.host.profile.HostProfiling.start(
                    app.name(), settings, dataDirectory.resolve("profiling-tmp"), profileSink(store),
                    () -> handler == null ? -1 : handler.status().pid(), sampledCgroup, asyncProfiler)).orElse(null);
            FrontDoor frontDoor = FrontDoor.start(vertx, app, routes, supervisor, options, Optional.ofNullable(keys),
                    keysUnavailable, cors, profiling == null ? dev.flint.host.invoke.Invocation.Listener.NONE
                            : profiling.listener(), traces, Optional.ofNullable(profiling));
            if (supervisor != null) {
                supervisor.start();
            }
            if (!options.keysEnforced() && !options.loopbackOnly()) {
                LOG.warn("Function keys are NOT checked (--disable-auth), yet Flint listens on {}, which other "
                        + "machines can reach: anyone who can connect can call every function and the admin API",
                        options.address());
            }
            try {
                RunningHostFile.write(dataDirectory, options.address(), frontDoor.port());
            } catch (java.io.IOException e) {
                LOG.debug("No {} in {}: {}; flint profile and flint bench need --url", RunningHostFile.NAME, dataDirectory,
                        e.getMessage());
            }
            return new FlintHost(app, options, vertx, supervisor, frontDoor, keys, keysUnavailable, cors,
                    traces.orElse(null), profiling, dataDirectory);
        } catch (RuntimeException e) {
            if (supervisor != null) {
                supervisor.close();
            }
            handlerCgroup.ifPresent(HandlerCgroup::close); // already released by the supervisor; a no-op then
            if (keys != null) {
                keys.close();
            }
            vertx.close();
            throw e;
        }
    }

    /** async-profiler's agent, extracted into the data directory, when host.json's {@code profiling.jvm} chooses it. */
    private static Optional<AsyncProfilerAgent> asyncProfilerAgent(FunctionApp app, Path dataDirectory) {
        if (app.host().profiling().jvmMode() != dev.flint.host.profile.ProfilingSettings.JvmMode.ASYNC_PROFILER) {
            return Optional.empty();
        }
        AsyncProfilerAgent.Agent installed = AsyncProfilerAgent.install(dataDirectory.resolve("profiler"));
        installed.reason().ifPresent(why -> LOG.warn("host.json chooses async-profiler for Java handlers, but {};"
                + " they are profiled with perf and a perf map instead", why));
        return installed.agent();
    }

    /**
     * The handler's own cgroup v2 folder, where the machine lets Flint make one: perf then samples the
     * cgroup, which catches every process the handler ever starts. Empty (sampling by pid) otherwise.
     */
    private static Optional<HandlerCgroup> handlerCgroup(FunctionApp app) {
        CgroupV2.Detection detection = CgroupV2.shared();
        if (detection.cgroups().isEmpty()) {
            LOG.debug("Handlers run in Flint's cgroup: {}", detection.reason().orElse(""));
            return Optional.empty();
        }
        try {
            return Optional.of(detection.cgroups().get().create(app.name()));
        } catch (java.io.IOException e) {
            LOG.warn("The handler of {} runs in Flint's cgroup, so perf samples it by pid: cannot make its own ({})",
                    app.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code --cors} replaces local.settings.json's {@code Host.CORS}; a bad origin is named with where it came from. */
    private static CorsPolicy corsPolicy(FunctionApp app, HostOptions options) throws AppConfigException {
        List<String> origins = options.cors().orElse(app.settings().cors());
        boolean credentials = options.corsCredentials().orElse(app.settings().corsCredentials());
        try {
            return origins.isEmpty() ? CorsPolicy.off() : CorsPolicy.parse(origins, credentials);
        } catch (IllegalArgumentException e) {
            if (options.cors().isPresent()) {
                throw new HostStartException("Flint cannot use --cors: " + e.getMessage(), e);
            }
            List<String> problems = e instanceof CorsPolicy.InvalidOriginsException invalid ? invalid.problems()
                    : List.of(e.getMessage());
            throw new AppConfigException(problems.stream().map(problem -> new ConfigProblem(
                    app.root().resolve("local.settings.json"), "$.Host.CORS", problem)).toList());
        }
    }

    public FunctionApp app() {
        return app;
    }

    public int port() {
        return frontDoor.port();
    }

    /** Connections open to the front door now. */
    public int openConnections() {
        return frontDoor.openConnections();
    }

    public String address() {
        return options.address();
    }

    public HostOptions options() {
        return options;
    }

    /** The handler's supervisor; empty when the app has no function to run. */
    public Optional<HandlerSupervisor> handler() {
        return Optional.ofNullable(supervisor);
    }

    /** The app's keys; empty when they could not be opened (and keys are not enforced). */
    public Optional<KeyStore> keys() {
        return Optional.ofNullable(keys);
    }

    /** Why there are no keys, when {@link #keys()} is empty. */
    public String keysUnavailable() {
        return keysUnavailable;
    }

    public CorsPolicy cors() {
        return cors;
    }

    /** Stops accepting requests, stops the handler (SIGTERM, grace, SIGKILL), then the event loops. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.preventStarts();
        }
        LOG.info("Stopping Flint");
        RunningHostFile.remove(dataDirectory);
        if (profiling != null) {
            profiling.close();
        }
        try {
            // Closing the servers first means no new invocation starts while the handler stops.
            io.vertx.core.Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
                    .toCompletionStage().toCompletableFuture().join();
        } finally {
            if (supervisor != null) {
                supervisor.close();
            }
            if (keys != null) {
                keys.close();
            }
            if (traces != null) {
                traces.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
