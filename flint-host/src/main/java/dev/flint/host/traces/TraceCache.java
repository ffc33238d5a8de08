package dev.flint.host.traces;

import dev.flint.trace.format.TraceFormatException;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parsed traces by id, so that a query reads the sample store and never the file again. Least
 * recently used first out, within a budget of approximate bytes ({@link #estimateBytes}). A trace is
 * read once however many ask for it at the same time: the first caller reads it, the others wait for
 * its result (one future per id). A failed read is not kept, so the next caller tries again.
 *
 * <p>The trace read last always stays, even when it alone is larger than the budget: evicting it would
 * make every query on a large trace read it again.
 *
 * <p>Thread-safe; {@link #get} blocks while a trace is read: call it from worker or virtual threads.
 * Traces deleted from the store are dropped.
 */
public final class TraceCache {

    /** A quarter of the heap, at least 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);

    private final TraceStore store;
    private final long maxBytes;
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    // Guarded by this. Access order: the first entry is the least recently used.
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private static final class Slot {
        final CompletableFuture<Trace> trace = new CompletableFuture<>();
        long bytes; // 0 until loaded
    }

    public TraceCache(TraceStore store, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.store = store;
        this.maxBytes = maxBytes;
        store.onDelete(this::invalidate);
    }

    /**
     * The parsed trace, read now if it is not cached.
     *
     * @return empty when the store has no such trace
     * @throws TraceFormatException when the stored file no longer parses (it did when it was stored)
     */
    public Optional<Trace> get(String id) throws IOException, TraceFormatException {
        if (store.get(id).isEmpty()) {
            return Optional.empty();
        }
        Slot slot;
        boolean mine = false;
        synchronized (this) {
            slot = slots.get(id);
            if (slot == null) {
                slot = new Slot();
                slots.put(id, slot);
                mine = true;
            }
        }
        if (mine) {
            load(id, slot);
        } else {
            hits.incrementAndGet();
        }
        try {
            return Optional.of(slot.trace.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while trace " + id + " was read");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof TraceFormatException format) {
                throw format;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("reading trace " + id + " failed", cause);
        }
    }

    private void load(String id, Slot slot) {
        try {
            loads.incrementAndGet();
            Trace trace = TraceStore.read(store.file(id), id);
            long size = estimateBytes(trace);
            synchronized (this) {
                if (slots.get(id) == slot) { // not invalidated meanwhile
                    slot.bytes = size;
                    bytes += size;
                    evict(id);
                }
            }
            slot.trace.complete(trace);
        } catch (IOException | TraceFormatException | RuntimeException | Error e) {
            synchronized (this) {
                slots.remove(id, slot);
            }
            slot.trace.completeExceptionally(e);
        }
    }

    /** Drops least recently used traces until the budget holds, keeping {@code keep} and traces being read. */
    private void evict(String keep) {
        Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Slot> e = it.next();
            if (e.getKey().equals(keep) || e.getValue().bytes == 0) {
                continue;
            }
            bytes -= e.getValue().bytes;
            it.remove();
        }
    }

    /** Forgets a trace; a read in progress completes for its waiters but is not kept. */
    public synchronized void invalidate(String id) {
        Slot slot = slots.remove(id);
        if (slot != null) {
            bytes -= slot.bytes;
        }
    }

    /** Traces read through the trace reader so far. */
    public long loads() {
        return loads.get();
    }

    /** Requests served from a trace already cached or being read. */
    public long hits() {
        return hits.get();
    }

    /** The approximate bytes of the cached traces. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int size() {
        return slots.size();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * About what a parsed trace takes on the heap: per sample row its columns (time, weight: 8 bytes;
     * pid, tid, cpu, event, count, stack: 4; flags: 1), per stack 12 bytes, per frame two references,
     * a kind and a name string.
     */
    public static long estimateBytes(Trace trace) {
        long rows = trace.samples().size();
        long stacks = trace.stacks().size();
        FrameTable frames = trace.frames();
        long frameBytes = 0;
        for (int f = 0; f < frames.size(); f++) {
            frameBytes += 17 + 40 + frames.name(f).length(); // refs and kind, a String with its (Latin-1) array
        }
        return 256 + rows * 41 + stacks * 12 + frameBytes;
    }
}
