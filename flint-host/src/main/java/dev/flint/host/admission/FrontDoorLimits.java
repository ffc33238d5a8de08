package dev.flint.host.admission;

import java.time.Duration;

/**
 * The front door's bounds on what a caller may send and hold. Defaults follow Kestrel, the server
 * under {@code func start}, where it has one; each can be changed on the command line.
 *
 * @param maxBodyBytes        the largest request body (Azure: 100 MB, {@code FUNCTIONS_REQUEST_BODY_SIZE_LIMIT}); 413 past it
 * @param maxHeaderBytes      all request headers together (Kestrel: 32 KB); 431 past it
 * @param maxRequestLineBytes the request line, method and URL (Kestrel: 8 KB); 414 past it
 * @param idleTimeout         how long a connection may stay open with no request in flight: idle
 *                            between requests, or still sending its headers (slowloris)
 * @param slowClientTimeout   how long a request may go without progress while its body arrives
 *                            (408), or while its caller reads none of the response
 * @param maxConnections      open connections to the front door; a connection past it is closed at once
 */
public record FrontDoorLimits(
        long maxBodyBytes,
        int maxHeaderBytes,
        int maxRequestLineBytes,
        Duration idleTimeout,
        Duration slowClientTimeout,
        int maxConnections) {

    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;
    public static final FrontDoorLimits DEFAULTS = new FrontDoorLimits(DEFAULT_MAX_BODY_BYTES, 32 * 1024, 8 * 1024,
            Duration.ofSeconds(60), Duration.ofSeconds(30), 10_000);

    public FrontDoorLimits {
        if (maxBodyBytes < 0 || maxHeaderBytes < 1 || maxRequestLineBytes < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || slowClientTimeout.isNegative() || slowClientTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public FrontDoorLimits withMaxBodyBytes(long bytes) {
        return new FrontDoorLimits(bytes, maxHeaderBytes, maxRequestLineBytes, idleTimeout, slowClientTimeout, maxConnections);
    }

    public FrontDoorLimits withMaxHeaderBytes(int bytes) {
        return new FrontDoorLimits(maxBodyBytes, bytes, maxRequestLineBytes, idleTimeout, slowClientTimeout, maxConnections);
    }

    public FrontDoorLimits withIdleTimeout(Duration timeout) {
        return new FrontDoorLimits(maxBodyBytes, maxHeaderBytes, maxRequestLineBytes, timeout, slowClientTimeout, maxConnections);
    }

    public FrontDoorLimits withSlowClientTimeout(Duration timeout) {
        return new FrontDoorLimits(maxBodyBytes, maxHeaderBytes, maxRequestLineBytes, idleTimeout, timeout, maxConnections);
    }

    public FrontDoorLimits withMaxConnections(int connections) {
        return new FrontDoorLimits(maxBodyBytes, maxHeaderBytes, maxRequestLineBytes, idleTimeout, slowClientTimeout, connections);
    }
}
