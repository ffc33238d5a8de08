package dev.flint.host.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsed traces: read once per id even when asked at once, least recently used out past the budget. */
class TraceCacheTest {

    @TempDir
    Path dir;

    private static TraceStore.Entry put(TraceStore store, String fixture, String name) throws Exception {
        return store.put(new ByteArrayInputStream(Fixtures.bytes(fixture)), 10L << 20, Map.of("name", name));
    }

    @Test
    void readsATraceOnceEvenWhenManyAskAtOnce() throws Exception {
        TraceStore store = TraceStore.open(dir, TraceStore.Retention.NONE);
        TraceStore.Entry entry = put(store, Fixtures.JAVA_GZ, "java");
        TraceCache cache = new TraceCache(store, 64L << 20);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Trace>> asks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            asks.add(() -> {
                go.await();
                return cache.get(entry.id()).orElseThrow();
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Trace>> results = new ArrayList<>();
            for (Callable<Trace> ask : asks) {
                results.add(pool.submit(ask));
            }
            go.countDown();
            Trace first = results.get(0).get();
            for (Future<Trace> r : results) {
                assertThat(r.get()).isSameAs(first);
            }
            assertThat(first.samples().totalCount()).isEqualTo(entry.samples());
        }
        assertThat(cache.loads()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(19);
        assertThat(cache.bytes()).isEqualTo(TraceCache.estimateBytes(cache.get(entry.id()).orElseThrow()));
    }

    @Test
    void evictsTheLeastRecentlyUsedPastTheBudgetButKeepsTheLastRead() throws Exception {
        TraceStore store = TraceStore.open(dir, TraceStore.Retention.NONE);
        TraceStore.Entry a = put(store, Fixtures.PYTHON, "a");
        TraceStore.Entry b = put(store, Fixtures.PYTHON, "b");
        TraceStore.Entry c = put(store, Fixtures.PYTHON, "c");
        long one = TraceCache.estimateBytes(Fixtures.trace(Fixtures.PYTHON));
        TraceCache cache = new TraceCache(store, 2 * one + one / 2);

        cache.get(a.id());
        cache.get(b.id());
        cache.get(a.id()); // a is now more recent than b
        cache.get(c.id()); // over budget: b goes
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.loads()).isEqualTo(3);
        cache.get(a.id());
        cache.get(c.id());
        assertThat(cache.loads()).isEqualTo(3);
        cache.get(b.id());
        assertThat(cache.loads()).isEqualTo(4);

        TraceCache small = new TraceCache(store, 1);
        assertThat(small.get(a.id())).isPresent();
        assertThat(small.size()).isEqualTo(1); // larger than the budget, and still kept
        small.get(a.id());
        assertThat(small.loads()).isEqualTo(1);
    }

    @Test
    void forgetsDeletedTracesAndAnswersEmptyForUnknownIds() throws Exception {
        TraceStore store = TraceStore.open(dir, TraceStore.Retention.NONE);
        TraceStore.Entry a = put(store, Fixtures.FOLDED, "a");
        TraceCache cache = new TraceCache(store, 64L << 20);
        assertThat(cache.get(a.id())).isPresent();
        store.delete(a.id());
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.get(a.id())).isEmpty();
        assertThat(cache.get("20261201T000000Z-00000000")).isEmpty();
        assertThat(cache.get("../etc/passwd")).isEmpty();
    }
}
