package dev.flint.host;

import dev.flint.host.admission.FrontDoorLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param gracePeriod      how long a stopping handler has between SIGTERM and SIGKILL (Azure: 5 s)
 * @param environment      the host's environment, seen by the handler and by {@code %VAR%} expansion
 * @param dataDirectory    where Flint keeps the app's state (keys); {@code <app>/.flint} when empty
 * @param auth             whether function keys are checked (see {@link #keysEnforced()})
 * @param developerMode    whether a 500 carries its reason in the body; on loopback by default
 * @param cors             allowed CORS origins, replacing local.settings.json {@code Host.CORS} when present
 * @param corsCredentials  replaces local.settings.json {@code Host.CORSCredentials} when present
 * @param limits           body, header, connection and timeout bounds of the front door
 * @param profile          {@code --profile}: record the handler with perf in windows, whatever host.json says
 */
public record HostOptions(
        String address,
        int port,
        Optional<Duration> startupTimeout,
        int eventLoops,
        Duration gracePeriod,
        Map<String, String> environment,
        Optional<Path> dataDirectory,
        AuthSwitch auth,
        Optional<Boolean> developerMode,
        Optional<List<String>> cors,
        Optional<Boolean> corsCredentials,
        FrontDoorLimits limits,
        boolean profile) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 7071;

    /** The command line's say on key checks; the address decides when it says nothing. */
    public enum AuthSwitch {
        /** Keys are checked unless Flint listens on loopback only (as {@code func start}, which never checks them). */
        DEFAULT,
        /** {@code --enable-auth}: keys are checked on loopback too. */
        ENABLED,
        /** {@code --disable-auth}: keys are not checked even on a public address; said loudly at start. */
        DISABLED
    }

    public HostOptions {
        environment = Map.copyOf(environment);
        cors = cors.map(List::copyOf);
    }

    /** Loopback, a free port, the process environment: what tests and embedders want. */
    public static HostOptions defaults() {
        return new HostOptions(DEFAULT_ADDRESS, 0, Optional.empty(), defaultEventLoops(), Duration.ofSeconds(5),
                System.getenv(), Optional.empty(), AuthSwitch.DEFAULT, Optional.empty(), Optional.empty(),
                Optional.empty(), FrontDoorLimits.DEFAULTS, false);
    }

    /**
     * One event loop per core: the handler shares the cores, and more loops than cores only adds
     * context switches on the request path.
     */
    public static int defaultEventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Whether only this machine can reach the front door: a loopback address such as 127.0.0.1 or ::1. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // an address we cannot resolve is not known to be private
        }
    }

    /** Keys are checked with {@code --enable-auth}, and always off loopback unless {@code --disable-auth}. */
    public boolean keysEnforced() {
        return switch (auth) {
            case ENABLED -> true;
            case DISABLED -> false;
            case DEFAULT -> !loopbackOnly();
        };
    }

    /** The reason of a failure goes into its 500's body: by default only when callers are local. */
    public boolean developerModeOn() {
        return developerMode.orElseGet(this::loopbackOnly);
    }

    public HostOptions withPort(int newPort) {
        return new HostOptions(address, newPort, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withAddress(String newAddress) {
        return new HostOptions(newAddress, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withStartupTimeout(Duration timeout) {
        return new HostOptions(address, port, Optional.of(timeout), eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withEventLoops(int loops) {
        return new HostOptions(address, port, startupTimeout, loops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withGracePeriod(Duration grace) {
        return new HostOptions(address, port, startupTimeout, eventLoops, grace, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withEnvironment(Map<String, String> env) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, env, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withDataDirectory(Path directory) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, Optional.of(directory),
                auth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withAuth(AuthSwitch newAuth) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                newAuth, developerMode, cors, corsCredentials, limits, profile);
    }

    public HostOptions withDeveloperMode(boolean on) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, Optional.of(on), cors, corsCredentials, limits, profile);
    }

    public HostOptions withCors(List<String> origins, Optional<Boolean> credentials) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, Optional.of(origins), credentials, limits, profile);
    }

    public HostOptions withLimits(FrontDoorLimits newLimits) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, newLimits, profile);
    }

    public HostOptions withProfile(boolean on) {
        return new HostOptions(address, port, startupTimeout, eventLoops, gracePeriod, environment, dataDirectory,
                auth, developerMode, cors, corsCredentials, limits, on);
    }

    /** Shorthand for {@code withLimits(limits().withMaxBodyBytes(bytes))}. */
    public HostOptions withMaxBodyBytes(long bytes) {
        return withLimits(limits.withMaxBodyBytes(bytes));
    }
}
