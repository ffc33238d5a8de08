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
 * @param httpLimits          {@code extensions.http.maxConcurrentRequests} and {@code maxOutstandingRequests}
 * @param profiling           Flint's {@code profiling} section: frequency, window, retention
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
        Optional<java.util.List<String>> functionsAllowList,
        HttpLimits httpLimits,
        dev.flint.host.profile.ProfilingSettings profiling) {

    public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    public HostConfig {
        logLevels = Map.copyOf(logLevels);
    }

    /** {@code extensionBundle}: reported, not downloaded; Flint implements bindings natively. */
    public record ExtensionBundle(String id, String version) {}

    /**
     * Azure's HTTP throttle ({@code HttpThrottleMiddleware}): at most {@code maxConcurrent} invocations
     * run, at most {@code maxOutstanding} run or wait; past that the caller gets 429. {@code -1} is
     * unbounded, the default. Flint applies both to each function on its own (see FunctionThrottle).
     */
    public record HttpLimits(int maxConcurrent, int maxOutstanding) {
        public static final HttpLimits UNBOUNDED = new HttpLimits(-1, -1);

        public boolean bounded() {
            return maxConcurrent > 0 || maxOutstanding > 0;
        }
    }

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
