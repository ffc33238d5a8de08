package dev.flint.host.invoke;

import dev.flint.host.app.FunctionDefinition;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One call of a function: its id (sent to the handler as {@code X-Azure-Functions-InvocationId}), its
 * start on the monotonic clock, and what must happen when it ends. It ends exactly once, at one of
 * the three terminal lines of {@link InvocationLog} (succeeded, failed, cancelled), which run
 * {@link #end()}: that is where a throttle slot is given back.
 */
public final class Invocation {

    private static final Runnable NOTHING = () -> { };

    private final String id;
    private final FunctionDefinition function;
    private final long startNanos;
    private final Runnable onEnd;
    private boolean ended;

    public Invocation(String id, FunctionDefinition function, long startNanos) {
        this(id, function, startNanos, NOTHING);
    }

    private Invocation(String id, FunctionDefinition function, long startNanos, Runnable onEnd) {
        this.id = id;
        this.function = function;
        this.startNanos = startNanos;
        this.onEnd = onEnd;
    }

    public static Invocation start(FunctionDefinition function) {
        return new Invocation(randomId(), function, System.nanoTime(), NOTHING);
    }

    /** An invocation that runs {@code onEnd} when it ends, whichever way it ends. */
    public static Invocation start(FunctionDefinition function, Runnable onEnd) {
        return new Invocation(randomId(), function, System.nanoTime(), onEnd);
    }

    public String id() {
        return id;
    }

    public FunctionDefinition function() {
        return function;
    }

    public long startNanos() {
        return startNanos;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Ends the invocation and runs its end action, the first time only; false when it had ended
     * already, so that an invocation that fails on two paths at once (a timeout and the reset it
     * causes) is logged once. Invocations are confined to their event loop: no synchronisation.
     */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        onEnd.run();
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
