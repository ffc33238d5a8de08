package dev.flint.host.app;

/** How an HTTP-triggered function's request reaches the handler. */
public enum HttpMode {
    /** {@code POST /{FunctionName}} with the JSON {@code {Data, Metadata}} envelope (the default). */
    ENVELOPE,
    /** {@code enableForwardingHttpRequest}: the original request, to the original path. */
    FORWARD,
    /** {@code enableProxyingHttpRequest}: as forwarding, plus {@code x-ms-invocation-id}. */
    PROXY,
    /** The legacy {@code httpWorker} section: the original request, to {@code /{FunctionName}}. */
    LEGACY_FORWARD
}
