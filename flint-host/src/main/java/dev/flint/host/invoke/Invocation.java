package dev.flint.host.invoke;

import dev.flint.host.app.FunctionDefinition;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One call of a function: its id (sent to the handler as {@code X-Azure-Functions-InvocationId}) and
 * its start on the monotonic clock.
 */
public record Invocation(String id, FunctionDefinition function, long startNanos) {

    public static Invocation start(FunctionDefinition function) {
        return new Invocation(randomId(), function, System.nanoTime());
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
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
