package dev.flint.host.profile;

import dev.flint.host.invoke.Invocation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The last invocations that ended, with their start and end on {@link System#nanoTime()}'s clock,
 * which is {@code CLOCK_MONOTONIC} and so the clock of {@code perf record -k mono} (profiling.md
 * section 8; checked again in {@code PerfRecorderTest}): a trace can then be cut per invocation.
 *
 * <p>A bounded ring ({@value #DEFAULT_CAPACITY} marks by default, about 40 bytes each: two longs of
 * UUID, two of time, the pid, the function and the status, in primitive arrays; at 45,000 invocations
 * a second that is 23 s of history, two 10 s windows). The memory is taken in chunks of
 * {@value #CHUNK} marks as marks arrive, so a quiet host holds little. Writers take no lock: a mark
 * gets its place with one atomic increment, claims the slot with a compare-and-set of the slot's
 * sequence number and publishes it by setting that number (a seqlock), so readers skip a slot that
 * is being rewritten instead of reading half of it. Two writers meet at one slot only when one was
 * held up while a whole ring of marks went by; the later waits for the earlier's few stores. An id that is not a
 * UUID (Flint makes UUIDs; a caller may pass its own) is kept as a string beside the slot.
 */
public final class InvocationMarks {

    public static final int DEFAULT_CAPACITY = 1 << 20;
    static final int CHUNK = 1 << 14;

    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Invocation.Outcome[] OUTCOMES = Invocation.Outcome.values();

    /**
     * One ended invocation.
     *
     * @param pid the handler process that ran it, or -1 when not known
     */
    public record Mark(String id, String function, long pid, long startNanos, long endNanos, Invocation.Outcome status) {
        public Mark {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(status, "status");
        }

        /** Whether it ran at some moment of {@code [fromNanos, toNanos]}. */
        public boolean overlaps(long fromNanos, long toNanos) {
            return startNanos <= toNanos && endNanos >= fromNanos;
        }

        /** The mark as the trace store keeps it beside a profile (its {@code .invocations} file). */
        public dev.flint.host.traces.InvocationMark toStored() {
            return new dev.flint.host.traces.InvocationMark(id, startNanos, endNanos, (int) pid, function, status.wireName());
        }
    }

    private static final class Chunk {
        final long[] sequence = new long[CHUNK]; // seq + 1 when published, -(seq + 1) while being written, 0 never
        final long[] idHigh = new long[CHUNK];
        final long[] idLow = new long[CHUNK];
        final long[] start = new long[CHUNK];
        final long[] end = new long[CHUNK];
        final long[] pid = new long[CHUNK];
        final int[] function = new int[CHUNK];
        final byte[] outcome = new byte[CHUNK];
        final AtomicReferenceArray<String> otherIds = new AtomicReferenceArray<>(CHUNK);
    }

    private final int capacity;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReferenceArray<Chunk> chunks;
    private final ConcurrentHashMap<String, Integer> functionIds = new ConcurrentHashMap<>();
    private volatile String[] functionNames = new String[0];

    public InvocationMarks() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity how many marks are kept, rounded up to a multiple of {@value #CHUNK} */
    public InvocationMarks(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        int chunkCount = (capacity + CHUNK - 1) / CHUNK;
        this.capacity = chunkCount * CHUNK;
        this.chunks = new AtomicReferenceArray<>(chunkCount);
    }

    public int capacity() {
        return capacity;
    }

    /** Marks recorded since this ring was made (including those overwritten since). */
    public long recorded() {
        return next.get();
    }

    /**
     * The listener that records each invocation as it ends, with the pid of the handler process
     * serving at that moment ({@code handlerPid}, -1 when none): wire it with
     * {@code Invocation.start(function, marks.listener(pidSupplier))}. Runs on the event loop: no
     * blocking, no allocation but the first mark of a new function and a chunk every
     * {@value #CHUNK} marks.
     */
    public Invocation.Listener listener(LongSupplier handlerPid) {
        return (invocation, outcome, endNanos) -> record(invocation.id(), invocation.function().name(),
                handlerPid.getAsLong(), invocation.startNanos(), endNanos, outcome);
    }

    /** Records one ended invocation. Safe from any thread. */
    public void record(String id, String function, long pid, long startNanos, long endNanos, Invocation.Outcome status) {
        long seq = next.getAndIncrement();
        int slot = (int) (seq % capacity);
        Chunk c = chunk(slot / CHUNK);
        int i = slot % CHUNK;
        // Claim the slot: one writer at a time, or a writer that was preempted mid-write could spoil
        // the mark of the writer that lapped it (a reader would then accept the mix).
        for (int spins = 0; ; spins++) {
            long current = (long) SEQUENCES.getVolatile(c.sequence, i);
            if (current > seq + 1) {
                return; // a newer mark has this slot already: ours is older than the ring keeps
            }
            if (current >= 0 && SEQUENCES.compareAndSet(c.sequence, i, current, -(seq + 1))) {
                break;
            }
            if (spins < 100) {
                Thread.onSpinWait(); // another writer is finishing this slot: a few stores
            } else {
                Thread.yield();
            }
        }
        VarHandle.storeStoreFence(); // the claim is seen before any of the new fields
        long[] uuid = uuid(id);
        if (uuid == null) {
            c.otherIds.set(i, id);
        } else {
            c.otherIds.set(i, null);
            c.idHigh[i] = uuid[0];
            c.idLow[i] = uuid[1];
        }
        c.start[i] = startNanos;
        c.end[i] = endNanos;
        c.pid[i] = pid;
        c.function[i] = functionId(function);
        c.outcome[i] = (byte) status.ordinal();
        SEQUENCES.setRelease(c.sequence, i, seq + 1);
    }

    /** Records a mark. */
    public void record(Mark m) {
        record(m.id(), m.function(), m.pid(), m.startNanos(), m.endNanos(), m.status());
    }

    /**
     * The marks kept that overlap {@code [fromNanos, toNanos]} (an invocation that started before
     * a window and ended in it belongs to it), of {@code function} only when given, ordered by start.
     */
    public List<Mark> between(long fromNanos, long toNanos, Optional<String> function) {
        long end = next.get();
        long begin = Math.max(0, end - capacity);
        int wanted = function.map(f -> functionIds.getOrDefault(f, -2)).orElse(-1);
        if (wanted == -2) {
            return List.of();
        }
        List<Mark> out = new ArrayList<>();
        String[] names = functionNames;
        for (long seq = begin; seq < end; seq++) {
            int slot = (int) (seq % capacity);
            Chunk c = chunks.get(slot / CHUNK);
            if (c == null) {
                continue;
            }
            int i = slot % CHUNK;
            long before = (long) SEQUENCES.getAcquire(c.sequence, i);
            if (before != seq + 1) {
                continue; // not written yet, being rewritten, or already rewritten by a later mark
            }
            long s = c.start[i];
            long e = c.end[i];
            long pid = c.pid[i];
            int f = c.function[i];
            byte o = c.outcome[i];
            long hi = c.idHigh[i];
            long lo = c.idLow[i];
            String other = c.otherIds.get(i);
            VarHandle.acquireFence();
            if ((long) SEQUENCES.getVolatile(c.sequence, i) != before) {
                continue; // torn: overwritten while read
            }
            if (s > toNanos || e < fromNanos || (wanted >= 0 && f != wanted)) {
                continue;
            }
            if (f >= names.length) {
                names = functionNames;
            }
            String id = other != null ? other : new UUID(hi, lo).toString();
            out.add(new Mark(id, names[f], pid, s, e, OUTCOMES[o]));
        }
        out.sort(Comparator.comparingLong(Mark::startNanos));
        return out;
    }

    private Chunk chunk(int index) {
        Chunk c = chunks.get(index);
        if (c == null) {
            Chunk made = new Chunk();
            c = chunks.compareAndExchange(index, null, made);
            if (c == null) {
                c = made;
            }
        }
        return c;
    }

    private int functionId(String function) {
        Integer id = functionIds.get(function);
        if (id != null) {
            return id;
        }
        synchronized (functionIds) {
            id = functionIds.get(function);
            if (id == null) {
                String[] names = java.util.Arrays.copyOf(functionNames, functionNames.length + 1);
                id = names.length - 1;
                names[id] = function;
                functionNames = names; // published before the id can be seen
                functionIds.put(function, id);
            }
            return id;
        }
    }

    /** A canonical lower-case UUID string as two longs, or null for any other id. */
    static long[] uuid(String id) {
        if (id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-' || id.charAt(23) != '-') {
            return null;
        }
        long hi = 0;
        long lo = 0;
        int digits = 0;
        for (int k = 0; k < 36; k++) {
            char ch = id.charAt(k);
            if (ch == '-') {
                continue;
            }
            int v;
            if (ch >= '0' && ch <= '9') {
                v = ch - '0';
            } else if (ch >= 'a' && ch <= 'f') {
                v = ch - 'a' + 10;
            } else {
                return null; // upper case or not hex: keep the text as it was
            }
            if (digits < 16) {
                hi = (hi << 4) | v;
            } else {
                lo = (lo << 4) | v;
            }
            digits++;
        }
        return new long[] {hi, lo};
    }
}
