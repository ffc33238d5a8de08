package dev.flint.host.admission;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One event loop's watch over its callers' connections: the cap on open connections, the idle
 * timeout, and the slow-client timeouts. A connection past the cap is closed at once. The rest is
 * one periodic sweep per event loop (not a timer per request or connection), which closes:
 * <ul>
 *   <li>a connection with no request in flight for longer than the idle timeout: idle between
 *       requests, or still sending its headers (slowloris);</li>
 *   <li>a connection whose request body has made no progress for the slow-client timeout while
 *       Flint was reading it: answered 408 when no response has started;</li>
 *   <li>a connection whose caller has read none of the response for the slow-client timeout (the
 *       write queue stayed full), which would otherwise hold the handler's connection for ever;</li>
 *   <li>a connection Flint answered with {@code Connection: close} before the request's body ended
 *       (413), once the rest of the body has arrived, or after the slow-client timeout (at most 5 s).</li>
 * </ul>
 * A request waiting for its function (functionTimeout bounds that) or for a throttle slot is not slow.
 *
 * <p>Threading: confined to its event loop; only the connection count is shared between loops.
 */
public final class ConnectionGuard {

    private static final long MAX_LINGER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Vertx vertx;
    private final FrontDoorLimits limits;
    private final AtomicInteger openConnections;
    private final IdentityHashMap<HttpConnection, ClientConnection> connections = new IdentityHashMap<>();
    private final BiConsumer<HttpServerRequest, ClientConnection> onSlowBody;
    private long sweepTimer = -1;

    /**
     * @param openConnections the count shared by every event loop of the front door
     * @param onSlowBody      answers (408) and logs a request whose body stalled; the guard closes the connection after
     */
    public ConnectionGuard(Vertx vertx, FrontDoorLimits limits, AtomicInteger openConnections,
                           BiConsumer<HttpServerRequest, ClientConnection> onSlowBody) {
        this.vertx = vertx;
        this.limits = limits;
        this.openConnections = openConnections;
        this.onSlowBody = onSlowBody;
    }

    /** Starts the sweep; its period is a quarter of the shortest timeout, at most a second. */
    public void start() {
        long shortest = Math.min(limits.idleTimeout().toMillis(), limits.slowClientTimeout().toMillis());
        long period = Math.max(20, Math.min(1000, shortest / 4));
        sweepTimer = vertx.setPeriodic(period, id -> sweep(System.nanoTime()));
    }

    public void stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    /** A new connection: tracked, or closed at once when the cap is reached. */
    public void accept(HttpConnection connection) {
        if (openConnections.incrementAndGet() > limits.maxConnections()) {
            openConnections.decrementAndGet();
            RejectionLog.connectionRefused(String.valueOf(connection.remoteAddress()), limits.maxConnections());
            connection.close();
            return;
        }
        ClientConnection client = new ClientConnection(connection, System.nanoTime());
        connections.put(connection, client);
        connection.closeHandler(v -> {
            if (connections.remove(connection) != null) {
                openConnections.decrementAndGet();
            }
            client.closed();
        });
    }


    /**
     * The tracked state of a request's connection, with the request counted in flight until its
     * response ends; null when the connection was refused or has closed already.
     */
    public ClientConnection requestStarted(HttpServerRequest request) {
        ClientConnection client = connections.get(request.connection());
        if (client == null) {
            return null;
        }
        client.requestStarted(request);
        HttpConnection connection = request.connection();
        request.response().endHandler(v -> {
            long now = System.nanoTime();
            client.requestEnded(now);
            // Vert.x closes after a response only when the request asked for it (then it does so
            // itself); a response of Flint's that says "Connection: close" (413) must close it too,
            // or the connection would stay open reading a body nobody wants. The handler's
            // Connection header is never relayed (it is hop-by-hop), so this is only Flint's word.
            if (saysClose(request.response().headers().get("Connection"))
                    && !saysClose(request.headers().get("Connection"))) {
                if (request.isEnded()) {
                    connection.close();
                } else {
                    client.closeAfterBody(request, now + lingerNanos());
                }
            }
        });
        return client;
    }

    /** How long the rest of a refused body may take to arrive before the connection is closed anyway. */
    private long lingerNanos() {
        return Math.min(limits.slowClientTimeout().toNanos(), MAX_LINGER_NANOS);
    }

    private static boolean saysClose(String connectionHeader) {
        if (connectionHeader == null) {
            return false;
        }
        for (String token : connectionHeader.split(",")) {
            if (token.trim().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }

    /** Open connections on this event loop. */
    public int size() {
        return connections.size();
    }

    private void sweep(long now) {
        long idleNanos = limits.idleTimeout().toNanos();
        long slowNanos = limits.slowClientTimeout().toNanos();
        // Copy first: closing a connection runs its close handler, which edits the map.
        for (ClientConnection client : connections.values().toArray(new ClientConnection[0])) {
            switch (client.check(now, idleNanos, slowNanos)) {
                case IDLE, SAID_CLOSE -> client.connection().close();
                case SLOW_BODY -> {
                    onSlowBody.accept(client.currentRequest(), client);
                    client.connection().close();
                }
                case SLOW_READER -> {
                    RejectionLog.slowReader(client.currentRequest().method().name(), client.currentRequest().path(),
                            TimeUnit.NANOSECONDS.toSeconds(slowNanos));
                    client.connection().close();
                }
                case FINE -> { }
            }
        }
    }
}
