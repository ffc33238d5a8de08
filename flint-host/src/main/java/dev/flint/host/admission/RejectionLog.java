package dev.flint.host.admission;

import dev.flint.host.invoke.FailureKind;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per refused request, naming the function, the rule and the value: {@code Rejected
 * POST /api/circle with 429 (function circle, maxOutstandingRequests 8): 8 invocations run or wait}.
 *
 * <p>A saturated function can refuse thousands of requests a second, and a line for each would cost
 * more than the refusal; so each (function, kind) logs at most {@value #LINES_PER_SECOND} lines a
 * second, and the next line logged says how many like it were left out. The query string is never logged: it may hold a key
 * ({@code ?code=}). A 404 is logged at debug, since scanners make many.
 */
public final class RejectionLog {

    private static final Logger LOG = LoggerFactory.getLogger("Host.FrontDoor");
    private static final long WINDOW_NANOS = 1_000_000_000L;
    private static final int LINES_PER_SECOND = 5;
    private static final ConcurrentHashMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private RejectionLog() {}

    public static void rejected(String method, String path, String function, FailureKind kind, String rule, String reason) {
        boolean quiet = kind == FailureKind.NO_ROUTE;
        if (quiet ? !LOG.isDebugEnabled() : !LOG.isWarnEnabled()) {
            return;
        }
        Window window = WINDOWS.computeIfAbsent((function == null ? "" : function) + '\u0000' + kind.code(), k -> new Window());
        int leftOut = window.admit(System.nanoTime());
        if (leftOut < 0) {
            return;
        }
        String line = "Rejected " + method + " " + shorten(path) + " with " + kind.status() + " ("
                + (function == null ? "" : "function " + function + ", ") + rule + "): " + reason
                + (leftOut > 0 ? " [" + leftOut + " more like it in the last second were not logged]" : "");
        if (quiet) {
            LOG.debug(line);
        } else {
            LOG.warn(line);
        }
    }

    /** A connection closed at once because {@code max} are open already. */
    public static void connectionRefused(String remote, int max) {
        Window window = WINDOWS.computeIfAbsent("\u0000connections", k -> new Window());
        int leftOut = window.admit(System.nanoTime());
        if (leftOut >= 0) {
            LOG.warn("Refused a connection from {} (max connections {}): {} connections are open{}", remote, max, max,
                    leftOut > 0 ? " [" + leftOut + " more refused in the last second were not logged]" : "");
        }
    }

    /** A connection closed because its caller read none of the response for {@code seconds}. */
    public static void slowReader(String method, String path, long seconds) {
        Window window = WINDOWS.computeIfAbsent("\u0000slow-reader", k -> new Window());
        int leftOut = window.admit(System.nanoTime());
        if (leftOut >= 0) {
            LOG.warn("Closed the connection of {} {} (slow-client timeout {} s): the caller read none of the response"
                    + " for {} s{}", method, shorten(path), seconds, seconds,
                    leftOut > 0 ? " [" + leftOut + " more in the last second were not logged]" : "");
        }
    }

    /** A path is the caller's text: bounded, so that an 8 KB URL does not become an 8 KB log line. */
    private static String shorten(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "...";
    }

    /** Counts refusals in the current second; the first few of each second are logged. */
    private static final class Window {
        private long start = Long.MIN_VALUE;
        private int logged;
        private int suppressed;

        /** The number left out since the last line when this one is to be logged, else -1. */
        synchronized int admit(long now) {
            if (start == Long.MIN_VALUE || now - start >= WINDOW_NANOS) {
                start = now;
                logged = 0;
            }
            if (logged >= LINES_PER_SECOND) {
                suppressed++;
                return -1;
            }
            logged++;
            int leftOut = suppressed;
            suppressed = 0;
            return leftOut;
        }
    }
}
