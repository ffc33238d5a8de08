package dev.flint.host.app;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What host.json says, validated.
 *
 * @param functionTimeout     the bound on every invocation; empty means unlimited ({@code -1})
 * @param startupTimeout      how long the handler has to answer its first {@code GET /} (Flint's
 *                            {@code flint.handlerStartupTimeout}; Azure's fixed 30 s is the default)
 * @param logLevels           {@code logging.logLevel}: category to level name, as written
 * @param handlerPort         {@code customHandler.port}, when fixed
 * @param functionsAllowList  {@code functions}: when present, only these functions are loaded
 */
public record HostConfig(
        String version,
        HandlerDescription handler,
        boolean legacyHttpWorker,
        boolean enableForwardingHttpRequest,
        boolean enableProxyingHttpRequest,
        Optional<Integer> handlerPort,
        Optional<Duration> functionTimeout,
        Duration startupTimeout,
        String routePrefix,
        Map<String, String> logLevels,
        Optional<ExtensionBundle> extensionBundle,
        Optional<java.util.List<String>> functionsAllowList) {

    public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    public HostConfig {
        logLevels = Map.copyOf(logLevels);
    }

    /** {@code extensionBundle}: reported, not downloaded; Flint implements bindings natively. */
    public record ExtensionBundle(String id, String version) {}

    /** The mode a pure HTTP function runs in; other functions always use the envelope. */
    public HttpMode pureHttpMode() {
        if (enableProxyingHttpRequest) {
            return HttpMode.PROXY;
        }
        if (enableForwardingHttpRequest) {
            return HttpMode.FORWARD;
        }
        return legacyHttpWorker ? HttpMode.LEGACY_FORWARD : HttpMode.ENVELOPE;
    }
}
