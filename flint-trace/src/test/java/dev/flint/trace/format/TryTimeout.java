package dev.flint.trace.format;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.function.Executable;

/**
 * Bounds the tries (cases) of one property: each runs on its own daemon thread and fails, without
 * being waited for, once it has run longer than the per-try bound, so that a parser that hangs
 * fails the property instead of the build. (QuickTheories has no timeout of its own, and JUnit's
 * {@code @Timeout} bounds the whole test method, not one case.)
 *
 * <p>Once a try has failed, QuickTheories shrinks it: it reruns smaller cases, which may each hang
 * up to the bound. After {@code shrinking} has passed since the first failure, tries are no longer
 * run and count as passed, so that shrinking stops with the smallest failing case found by then.
 * The property fails all the same: the first failure is never taken back. One instance per
 * property run; not for concurrent use.
 */
final class TryTimeout {

    private final long tryMillis;
    private final long shrinkingNanos;
    private long firstFailure;
    private boolean failed;
    private boolean stopped;

    private TryTimeout(Duration perTry, Duration shrinking) {
        this.tryMillis = perTry.toMillis();
        this.shrinkingNanos = shrinking.toNanos();
    }

    /** A bound of {@code perTry} for each try, and of {@code shrinking} for shrinking after a failure. */
    static TryTimeout of(Duration perTry, Duration shrinking) {
        return new TryTimeout(perTry, shrinking);
    }

    /** Runs {@code body} as one try: what it throws comes out unchecked, an overrun as an AssertionError. */
    void run(Executable body) {
        if (stopped || (failed && System.nanoTime() - firstFailure > shrinkingNanos)) {
            return;
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.execute();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "property try");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(tryMillis);
        } catch (InterruptedException e) {
            // the test method itself timed out: stop running tries, and let JUnit report it
            stopped = true;
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw failure(new AssertionError("interrupted while a try ran", e));
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw failure(new AssertionError("the try took more than " + tryMillis + " ms"));
        }
        Throwable t = thrown.get();
        if (t instanceof Error e) {
            throw failure(e);
        }
        if (t instanceof RuntimeException e) {
            throw failure(e);
        }
        if (t != null) {
            throw failure(new AssertionError(t));
        }
    }

    private <T extends Throwable> T failure(T t) {
        if (!failed) {
            failed = true;
            firstFailure = System.nanoTime();
        }
        return t;
    }
}
