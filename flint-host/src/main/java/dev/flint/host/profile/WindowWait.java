package dev.flint.host.profile;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The wait of a recorder that samples in-process (async-profiler through attach, the host's JFR)
 * while its window runs: it ends when the window is over, when the window's {@link PerfRecorder.Control}
 * ends it early (an on-demand profile), or at once when the recorder is closed.
 */
final class WindowWait {

    private final Set<CountDownLatch> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    boolean closed() {
        return closed;
    }

    /** Waits out {@code window}, or less (see the class); {@code control} may be null. */
    void await(Duration window, PerfRecorder.Control control) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        waiting.add(ended);
        try {
            if (closed) {
                return;
            }
            if (control != null) {
                control.attach(ended::countDown);
            }
            ended.await(window.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            waiting.remove(ended);
        }
    }

    /** Ends every wait in progress at once; later ones end at once too. */
    void close() {
        closed = true;
        waiting.forEach(CountDownLatch::countDown);
    }
}
