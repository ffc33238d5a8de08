package dev.flint.host.invoke;

import dev.flint.host.app.FunctionDefinition;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One call of a function: its id (sent to the handler as {@code X-Azure-Functions-InvocationId}), its
 * start on the monotonic clock, and who must hear when it ends. It ends exactly once, at one of
 * the three terminal lines of {@link InvocationLog} (succeeded, failed, cancelled), which tell the
 * {@link Listener}: that is where a throttle slot is given back and an invocation mark recorded.
 */
public final class Invocation {

    /** How an invocation ended. */
    public enum Outcome {
        SUCCEEDED, FAILED, CANCELLED;

        /** Lower case, as invocation marks write it. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Hears of the end of an invocation, on the thread that ended it (its event loop). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (invocation, outcome, endNanos) -> { };

        void ended(Invocation invocation, Outcome outcome, long endNanos);

        /** This listener, then {@code next}. */
        default Listener andThen(Listener next) {
            return (invocation, outcome, endNanos) -> {
                ended(invocation, outcome, endNanos);
                next.ended(invocation, outcome, endNanos);
            };
        }
    }

    private final String id;
    private final FunctionDefinition function;
    private final long startNanos;
    private final Listener listener;
    private boolean ended;

    public Invocation(String id, FunctionDefinition function, long startNanos) {
        this(id, function, startNanos, Listener.NONE);
    }

    private Invocation(String id, FunctionDefinition function, long startNanos, Listener listener) {
        this.id = id;
        this.function = function;
        this.startNanos = startNanos;
        this.listener = listener;
    }

    public static Invocation start(FunctionDefinition function) {
        return start(function, Listener.NONE);
    }

    /** An invocation whose end {@code listener} hears of, whichever way it ends. */
    public static Invocation start(FunctionDefinition function, Listener listener) {
        return new Invocation(randomId(), function, System.nanoTime(), listener);
    }

    public String id() {
        return id;
    }

    public FunctionDefinition function() {
        return function;
    }

    /** {@link System#nanoTime()} at the start: the clock of {@code perf record -k mono}. */
    public long startNanos() {
        return startNanos;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Ends the invocation and tells its listener, the first time only; false when it had ended
     * already, so that an invocation that fails on two paths at once (a timeout and the reset it
     * causes) is logged once. Invocations are confined to their event loop: no synchronisation.
     */
    boolean end(Outcome outcome) {
        if (ended) {
            return false;
        }
        ended = true;
        listener.ended(this, outcome, System.nanoTime());
        return true;
    }

    /**
     * A version-4 UUID from {@link ThreadLocalRandom}: invocation ids need to be unique, not
     * unguessable, and {@link UUID#randomUUID()} takes a shared SecureRandom on every request.
     */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
