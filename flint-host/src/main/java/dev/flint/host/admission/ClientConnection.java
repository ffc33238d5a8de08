package dev.flint.host.admission;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the front door knows of one caller's connection: whether a request is in flight, and how its
 * body and response are moving. The invokers mark when Flint reads a body and when it holds one back
 * (the handler pushes back, or the request waits for the handler), so that only the caller's own
 * slowness counts against it.
 *
 * <p>Confined to the connection's event loop.
 */
public final class ClientConnection {

    enum Verdict { FINE, IDLE, SAID_CLOSE, SLOW_BODY, SLOW_READER }

    private static final long NOT_WATCHED = Long.MIN_VALUE;

    private final HttpConnection connection;
    private int inFlight;
    private long idleSince;
    private HttpServerRequest current;
    private long bodyBytesSeen;
    private long bodyStalledSince = NOT_WATCHED;
    private long writeBlockedSince = NOT_WATCHED;
    private Runnable onClose;
    private HttpServerRequest closing;
    private long closeBy = NOT_WATCHED;

    /** For requests no connection tracks (those the admin API makes): every mark is ignored. */
    public static ClientConnection detached() {
        return new ClientConnection(null, 0);
    }

    ClientConnection(HttpConnection connection, long now) {
        this.connection = connection;
        this.idleSince = now;
    }

    HttpConnection connection() {
        return connection;
    }

    HttpServerRequest currentRequest() {
        return current;
    }

    void requestStarted(HttpServerRequest request) {
        onClose = null; // an earlier request's body has ended: HTTP/1.1 reads requests one after the other
        inFlight++;
        current = request;
        bodyStalledSince = NOT_WATCHED;
        writeBlockedSince = NOT_WATCHED;
    }

    void requestEnded(long now) {
        if (--inFlight <= 0) {
            inFlight = 0;
            idleSince = now;
            current = null;
            bodyStalledSince = NOT_WATCHED;
        }
    }

    /** Flint reads the body from now on: a stall counts against the caller. */
    public void readingBody() {
        if (current != null && !current.isEnded()) {
            bodyBytesSeen = current.bytesRead();
            bodyStalledSince = System.nanoTime();
        }
    }

    /** Flint holds the body back (it waits for the handler): a stall is not the caller's. */
    public void holdingBody() {
        bodyStalledSince = NOT_WATCHED;
    }

    /**
     * Runs {@code action} if the connection closes before {@link #clearOnClose}: for whoever reads the
     * current request's body. Once the response has ended (a 408 for a stalled body, or a handler that
     * answered early), Vert.x tells neither the request nor the response that the connection went, so
     * a reader would otherwise wait for the rest of the body for ever.
     */
    public void onClose(Runnable action) {
        if (connection != null) {
            onClose = action;
        }
    }

    /** Forgets {@code action} (the body ended or was refused); another reader's action is kept. */
    public void clearOnClose(Runnable action) {
        if (onClose == action) {
            onClose = null;
        }
    }

    /**
     * Flint answered with {@code Connection: close} before the request's body ended (413): the
     * connection closes once the rest of the body has arrived (and been dropped), or at {@code
     * deadline}. Closing at once, while the caller still sends, would make its TCP stack answer
     * with a reset, and many clients then report "connection reset" instead of the 413.
     */
    void closeAfterBody(HttpServerRequest request, long deadline) {
        closing = request;
        closeBy = deadline;
    }

    /** The connection has closed. */
    void closed() {
        Runnable action = onClose;
        onClose = null;
        if (action != null) {
            action.run();
        }
    }

    Verdict check(long now, long idleNanos, long slowNanos) {
        if (closing != null && (closing.isEnded() || now - closeBy > 0)) {
            return Verdict.SAID_CLOSE;
        }
        if (inFlight == 0) {
            return now - idleSince > idleNanos ? Verdict.IDLE : Verdict.FINE;
        }
        if (current == null) {
            return Verdict.FINE;
        }
        if (bodyStalledSince != NOT_WATCHED) {
            if (current.isEnded()) {
                bodyStalledSince = NOT_WATCHED;
            } else {
                long read = current.bytesRead();
                if (read != bodyBytesSeen) {
                    bodyBytesSeen = read;
                    bodyStalledSince = now;
                } else if (now - bodyStalledSince > slowNanos) {
                    return Verdict.SLOW_BODY;
                }
            }
        }
        var response = current.response();
        if (!response.ended() && response.headWritten() && response.writeQueueFull()) {
            if (writeBlockedSince == NOT_WATCHED) {
                writeBlockedSince = now;
            } else if (now - writeBlockedSince > slowNanos) {
                return Verdict.SLOW_READER;
            }
        } else {
            writeBlockedSince = NOT_WATCHED;
        }
        return Verdict.FINE;
    }
}
