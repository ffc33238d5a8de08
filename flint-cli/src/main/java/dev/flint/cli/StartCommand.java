package dev.flint.cli;

import dev.flint.host.FlintHost;
import dev.flint.host.HostOptions;
import dev.flint.host.HostStartException;
import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.AppLoader;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flint start [APP]}: runs a function app until Ctrl-C or SIGTERM, like {@code func start}. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Runs the function app in APP (default: the current directory) until Ctrl-C.")
final class StartCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "The function app folder (with host.json).")
    Path appDirectory = Path.of(".");

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "Port of the front door (default: local.settings.json Host.LocalHttpPort, else 7071; 0 picks one).")
    Integer port;

    @Option(names = "--address", paramLabel = "ADDRESS",
            description = "Address to listen on (default: local.settings.json Host.LocalHttpAddress, else 127.0.0.1).")
    String address;

    @Option(names = {"-t", "--startup-timeout"}, paramLabel = "SECONDS",
            description = "Seconds the handler has to answer GET / after it starts (default: host.json "
                    + "flint.handlerStartupTimeout, else 30).")
    Integer startupTimeoutSeconds;

    @Option(names = "--event-loops", paramLabel = "N", description = "Event-loop threads of the front door (default: one per core).")
    Integer eventLoops;

    @Option(names = "--verbose", description = "Debug-level logs.")
    boolean verbose;

    @Option(names = "--profile", description = "Sample the handler with perf in windows (host.json `profiling`: frequency,"
            + " default 200 Hz; window, default 10 s; retention) and keep each window in the trace store.")
    boolean profile;

    @Option(names = "--enable-auth", description = "Check function keys even on loopback (func start's --enableAuth).")
    boolean enableAuth;

    @Option(names = "--disable-auth", description = "Do not check function keys even on a public address (said loudly"
            + " at start; never the default).")
    boolean disableAuth;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where Flint keeps the app's keys (default: FLINT_DATA_DIR, else APP/.flint).")
    Path dataDirectory;

    @Option(names = "--cors", paramLabel = "ORIGINS", split = ",",
            description = "Allowed CORS origins, comma-separated, or * (default: local.settings.json Host.CORS).")
    java.util.List<String> cors;

    @Option(names = "--cors-credentials", description = "Allow credentialed CORS requests (default: Host.CORSCredentials).")
    Boolean corsCredentials;

    @Option(names = "--developer-mode", negatable = true,
            description = "Put the reason of a failed invocation in its 500's body (default: on when listening on loopback).")
    Boolean developerMode;

    @Option(names = "--max-body-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Largest request body, e.g. 100MB (default: FUNCTIONS_REQUEST_BODY_SIZE_LIMIT bytes, else 100MB).")
    Long maxBodyBytes;

    @Option(names = "--max-header-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Largest total of request headers (default: 32KB); 431 past it.")
    Long maxHeaderBytes;

    @Option(names = "--max-connections", paramLabel = "N", description = "Most open connections (default: 10000).")
    Integer maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Close a connection with no request in flight after this long (default: 60).")
    Integer idleTimeoutSeconds;

    @Option(names = "--slow-client-timeout", paramLabel = "SECONDS",
            description = "Cut a request whose caller sends no body byte, or reads no response byte, for this long (default: 30).")
    Integer slowClientTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        FunctionApp app;
        try {
            app = AppLoader.load(appDirectory, System.getenv());
        } catch (AppConfigException e) {
            return refuse(e);
        }
        LogLevelsSetup.apply(app.host().logLevels(), verbose);
        HostOptions options = HostOptions.defaults()
                .withPort(port != null ? port : app.settings().localHttpPort().orElse(HostOptions.DEFAULT_PORT))
                .withAddress(address != null ? address : app.settings().localHttpAddress().orElse(HostOptions.DEFAULT_ADDRESS));
        if (startupTimeoutSeconds != null) {
            options = options.withStartupTimeout(Duration.ofSeconds(startupTimeoutSeconds));
        }
        if (eventLoops != null) {
            options = options.withEventLoops(eventLoops);
        }
        if (enableAuth && disableAuth) {
            System.err.println("flint start: --enable-auth and --disable-auth contradict each other; choose one");
            return 2;
        }
        options = options.withAuth(enableAuth ? HostOptions.AuthSwitch.ENABLED
                : disableAuth ? HostOptions.AuthSwitch.DISABLED : HostOptions.AuthSwitch.DEFAULT);
        if (dataDirectory != null) {
            options = options.withDataDirectory(dataDirectory.toAbsolutePath());
        }
        if (cors != null) {
            options = options.withCors(cors, java.util.Optional.ofNullable(corsCredentials));
        } else if (corsCredentials != null) {
            options = options.withCors(app.settings().cors(), java.util.Optional.of(corsCredentials));
        }
        if (developerMode != null) {
            options = options.withDeveloperMode(developerMode);
        }
        if (profile) {
            options = options.withProfile(true);
        }
        try {
            options = options.withLimits(limits(options.limits()));
        } catch (IllegalArgumentException e) {
            System.err.println("flint start: " + e.getMessage());
            return 2;
        }
        FlintHost host;
        try {
            host = FlintHost.start(app, options);
        } catch (AppConfigException e) {
            return refuse(e);
        } catch (HostStartException e) {
            System.err.println(e.getMessage());
            LogLevelsSetup.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            LogLevelsSetup.flush();
            stopped.countDown();
        }, "flint-shutdown"));
        Banner.print(System.out, host);
        stopped.await();
        return 0;
    }

    private dev.flint.host.admission.FrontDoorLimits limits(dev.flint.host.admission.FrontDoorLimits limits) {
        Long body = maxBodyBytes;
        String fromEnvironment = System.getenv("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT");
        if (body == null && fromEnvironment != null) {
            try {
                body = Long.parseLong(fromEnvironment.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("FUNCTIONS_REQUEST_BODY_SIZE_LIMIT must be a number of bytes, found \""
                        + fromEnvironment + "\"");
            }
        }
        if (body != null) {
            limits = limits.withMaxBodyBytes(body);
        }
        if (maxHeaderBytes != null) {
            if (maxHeaderBytes < 1 || maxHeaderBytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--max-header-size must be between 1 byte and 2GB, found " + maxHeaderBytes);
            }
            limits = limits.withMaxHeaderBytes(maxHeaderBytes.intValue());
        }
        if (maxConnections != null) {
            limits = limits.withMaxConnections(positive("--max-connections", maxConnections));
        }
        if (idleTimeoutSeconds != null) {
            limits = limits.withIdleTimeout(Duration.ofSeconds(positive("--idle-timeout", idleTimeoutSeconds)));
        }
        if (slowClientTimeoutSeconds != null) {
            limits = limits.withSlowClientTimeout(Duration.ofSeconds(positive("--slow-client-timeout", slowClientTimeoutSeconds)));
        }
        return limits;
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, found " + value);
        }
        return value;
    }

    private int refuse(AppConfigException e) {
        System.err.println("Flint cannot start the app in " + appDirectory.toAbsolutePath().normalize() + ":");
        for (ConfigProblem problem : e.problems()) {
            System.err.println("  " + problem);
        }
        return 2;
    }
}
