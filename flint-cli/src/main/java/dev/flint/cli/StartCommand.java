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

    private int refuse(AppConfigException e) {
        System.err.println("Flint cannot start the app in " + appDirectory.toAbsolutePath().normalize() + ":");
        for (ConfigProblem problem : e.problems()) {
            System.err.println("  " + problem);
        }
        return 2;
    }
}
