package dev.flint.host;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to run an app, from the command line and local.settings.json; host.json settings live in the
 * app model.
 *
 * @param address          the front door's address; loopback by default
 * @param port             the front door's port; 0 picks a free one
 * @param startupTimeout   overrides host.json's handler start-up timeout when present
 * @param eventLoops       event-loop threads serving the front door
 * @param maxBodyBytes     the largest request body read into an envelope (Azure: 100 MB)
 * @param gracePeriod      how long a stopping handler has between SIGTERM and SIGKILL (Azure: 5 s)
 * @param environment      the host's environment, seen by the handler and by {@code %VAR%} expansion
 */
public record HostOptions(
        String address,
        int port,
        Optional<Duration> startupTimeout,
        int eventLoops,
        long maxBodyBytes,
        Duration gracePeriod,
        Map<String, String> environment) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 7071;
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;

    public HostOptions {
        environment = Map.copyOf(environment);
    }

    /** Loopback, a free port, the process environment: what tests and embedders want. */
    public static HostOptions defaults() {
        return new HostOptions(DEFAULT_ADDRESS, 0, Optional.empty(), defaultEventLoops(), DEFAULT_MAX_BODY_BYTES,
                Duration.ofSeconds(5), System.getenv());
    }

    /**
     * One event loop per core: the handler shares the cores, and more loops than cores only adds
     * context switches on the request path.
     */
    public static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public HostOptions withPort(int newPort) {
        return new HostOptions(address, newPort, startupTimeout, eventLoops, maxBodyBytes, gracePeriod, environment);
    }

    public HostOptions withAddress(String newAddress) {
        return new HostOptions(newAddress, port, startupTimeout, eventLoops, maxBodyBytes, gracePeriod, environment);
    }

    public HostOptions withStartupTimeout(Duration timeout) {
        return new HostOptions(address, port, Optional.of(timeout), eventLoops, maxBodyBytes, gracePeriod, environment);
    }

    public HostOptions withMaxBodyBytes(long bytes) {
        return new HostOptions(address, port, startupTimeout, eventLoops, bytes, gracePeriod, environment);
    }

    public HostOptions withEventLoops(int loops) {
        return new HostOptions(address, port, startupTimeout, loops, maxBodyBytes, gracePeriod, environment);
    }

    public HostOptions withEnvironment(Map<String, String> env) {
        return new HostOptions(address, port, startupTimeout, eventLoops, maxBodyBytes, gracePeriod, env);
    }

    public HostOptions withGracePeriod(Duration grace) {
        return new HostOptions(address, port, startupTimeout, eventLoops, maxBodyBytes, grace, environment);
    }
}
