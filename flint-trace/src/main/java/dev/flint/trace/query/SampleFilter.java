package dev.flint.trace.query;

import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Which samples a query reads: a time range, processes, threads, one event (or all), idle or not,
 * and a set of invocations. Immutable; each {@code with...} returns a new filter. A filter says
 * what to select; {@link #select(Trace)} binds it to a trace (names resolved, ranges turned into
 * row numbers by binary search) and is what queries run.
 *
 * <p>Defaults, the same for every query:
 * <ul>
 *   <li>time: the whole trace, untimed samples included;</li>
 *   <li>processes, threads: all;</li>
 *   <li>event: the trace's <b>first</b> event, as {@code stackcollapse-perf.pl} does, because samples
 *       of different events (cycles, instructions) do not add up; every result carries an
 *       {@link EventChoice} that says which event it counted and which it left out.
 *       {@link #withAllEvents()} adds them up anyway, as FlameScope does;</li>
 *   <li>idle: excluded (samples the parser marked as a CPU idling), as FlameScope and
 *       {@code grep -v cpu_idle} do;</li>
 *   <li>invocations: none, i.e. no restriction.</li>
 * </ul>
 *
 * <p>Ranges are half-open, {@code [start, end)}, so that adjacent ranges never count a sample twice.
 * (FlameScope's {@code start}/{@code end} are inclusive at both ends; the difference is one sample
 * exactly on the end.)
 */
public final class SampleFilter {

    /** No lower bound on time: untimed samples are selected too. */
    public static final long UNBOUNDED_START = Long.MIN_VALUE;
    /** No upper bound on time. */
    public static final long UNBOUNDED_END = Long.MAX_VALUE;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    enum EventMode { FIRST, ALL, ID, NAME }

    private static final SampleFilter ALL = new SampleFilter(UNBOUNDED_START, UNBOUNDED_END, EventMode.FIRST, -1,
            null, null, null, false, List.of());

    private final long startNanos;
    private final long endNanos;
    private final EventMode eventMode;
    private final int eventId;
    private final String eventName;
    private final int[] pids;
    private final int[] tids;
    private final boolean includeIdle;
    private final List<Invocation> invocations;

    private SampleFilter(long startNanos, long endNanos, EventMode eventMode, int eventId, String eventName,
                         int[] pids, int[] tids, boolean includeIdle, List<Invocation> invocations) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.eventMode = eventMode;
        this.eventId = eventId;
        this.eventName = eventName;
        this.pids = pids;
        this.tids = tids;
        this.includeIdle = includeIdle;
        this.invocations = invocations;
    }

    /** Every sample of the trace's first event, idle excluded (the defaults above). */
    public static SampleFilter all() {
        return ALL;
    }

    /** Samples with {@code startNanos <= time < endNanos}, on the trace's own clock. */
    public static SampleFilter nanos(long startNanos, long endNanos) {
        return ALL.withRangeNanos(startNanos, endNanos);
    }

    /**
     * Samples from {@code startSeconds} to {@code endSeconds} (half-open) after the start of the
     * trace's first second, {@code floor(first sample)}, as FlameScope's {@code start} and
     * {@code end}. Second 0 is column 0 of a {@link HeatMap.Axis#TRACE} heat map, and of the default
     * one whenever its first counted sample is in the trace's first second; {@link HeatMap#selection}
     * turns the cells of any heat map into a range.
     *
     * @throws IllegalArgumentException if the trace has no timestamps, or start is after end
     */
    public static SampleFilter seconds(Trace trace, double startSeconds, double endSeconds) {
        return ALL.withSeconds(trace, startSeconds, endSeconds);
    }

    /** This filter with the time range {@code [startNanos, endNanos)}. */
    public SampleFilter withRangeNanos(long startNanos, long endNanos) {
        if (startNanos > endNanos) {
            throw new IllegalArgumentException(
                    "bad range: start " + startNanos + " ns is after end " + endNanos + " ns");
        }
        return new SampleFilter(startNanos, endNanos, eventMode, eventId, eventName, pids, tids, includeIdle,
                invocations);
    }

    /** This filter with a range in seconds relative to the trace's first second; see {@link #seconds}. */
    public SampleFilter withSeconds(Trace trace, double startSeconds, double endSeconds) {
        if (!(startSeconds <= endSeconds)) { // also refuses NaN
            throw new IllegalArgumentException(
                    "bad range: start " + startSeconds + " s is after end " + endSeconds + " s (or not a number)");
        }
        if (!trace.timed()) { // an empty trace has no start either
            throw new IllegalArgumentException(untimedMessage(trace, "a range in seconds"));
        }
        long origin = Math.floorDiv(trace.startNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        return withRangeNanos(origin + Math.round(startSeconds * NANOS_PER_SECOND),
                origin + Math.round(endSeconds * NANOS_PER_SECOND));
    }

    /** This filter without a time range. */
    public SampleFilter withWholeTime() {
        return withRangeNanos(UNBOUNDED_START, UNBOUNDED_END);
    }

    /** Only samples of these processes; no argument means every process. */
    public SampleFilter withPids(int... pids) {
        return new SampleFilter(startNanos, endNanos, eventMode, eventId, eventName, sortedSet(pids), tids,
                includeIdle, invocations);
    }

    /** Only samples of these threads; no argument means every thread. */
    public SampleFilter withTids(int... tids) {
        return new SampleFilter(startNanos, endNanos, eventMode, eventId, eventName, pids, sortedSet(tids),
                includeIdle, invocations);
    }

    /** Only samples of the event with this name ({@code cpu-clock}); the trace must have it. */
    public SampleFilter withEvent(String name) {
        Objects.requireNonNull(name, "name");
        return new SampleFilter(startNanos, endNanos, EventMode.NAME, -1, name, pids, tids, includeIdle,
                invocations);
    }

    /** Only samples of the event with this index into {@link Trace#events()}. */
    public SampleFilter withEvent(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("event id must be >= 0: " + id);
        }
        return new SampleFilter(startNanos, endNanos, EventMode.ID, id, null, pids, tids, includeIdle,
                invocations);
    }

    /** Samples of every event, added up (FlameScope's behaviour). */
    public SampleFilter withAllEvents() {
        return new SampleFilter(startNanos, endNanos, EventMode.ALL, -1, null, pids, tids, includeIdle,
                invocations);
    }

    /** Samples of the trace's first event (the default). */
    public SampleFilter withFirstEvent() {
        return new SampleFilter(startNanos, endNanos, EventMode.FIRST, -1, null, pids, tids, includeIdle,
                invocations);
    }

    /** Whether samples of an idle CPU are selected (default: no). */
    public SampleFilter withIdle(boolean include) {
        return new SampleFilter(startNanos, endNanos, eventMode, eventId, eventName, pids, tids, include,
                invocations);
    }

    /**
     * Only samples inside at least one of these invocations (in its span and, when it names one, its
     * process). An empty collection removes the restriction.
     */
    public SampleFilter withInvocations(Collection<Invocation> invocations) {
        return new SampleFilter(startNanos, endNanos, eventMode, eventId, eventName, pids, tids, includeIdle,
                List.copyOf(invocations));
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public boolean hasTimeRange() {
        return startNanos != UNBOUNDED_START || endNanos != UNBOUNDED_END;
    }

    /** The selected processes, sorted, or an empty array for all. */
    public int[] pids() {
        return pids == null ? new int[0] : pids.clone();
    }

    /** The selected threads, sorted, or an empty array for all. */
    public int[] tids() {
        return tids == null ? new int[0] : tids.clone();
    }

    public boolean includesIdle() {
        return includeIdle;
    }

    public List<Invocation> invocations() {
        return invocations;
    }

    /** Binds this filter to a trace: resolves the event, finds the rows of the time range. */
    public Selection select(Trace trace) {
        return new Selection(trace, this);
    }

    /** Whether one row of {@code trace} is selected. For many rows, {@link #select} once and ask it. */
    public boolean matches(Trace trace, int row) {
        return select(trace).matches(row);
    }

    /** Calls {@code action} with every selected row of {@code trace}, in time order. */
    public void forEachRow(Trace trace, IntConsumer action) {
        select(trace).forEachRow(action);
    }

    EventMode eventMode() {
        return eventMode;
    }

    int eventId() {
        return eventId;
    }

    String eventName() {
        return eventName;
    }

    int[] pidSet() {
        return pids;
    }

    int[] tidSet() {
        return tids;
    }

    /** Whether a trace has samples but no timestamps (folded stacks). An empty trace is not untimed. */
    static boolean untimed(Trace trace) {
        return trace.samples().size() > 0 && !trace.timed();
    }

    static String untimedMessage(Trace trace, String what) {
        return "the trace " + trace.source() + " (" + trace.format() + ") has no timestamps, so " + what
                + " cannot be computed; record with timestamps (perf script prints them by default;"
                + " folded stacks have none)";
    }

    private static int[] sortedSet(int[] values) {
        if (values == null || values.length == 0) {
            return null;
        }
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleFilter f && startNanos == f.startNanos && endNanos == f.endNanos
                && eventMode == f.eventMode && eventId == f.eventId && Objects.equals(eventName, f.eventName)
                && Arrays.equals(pids, f.pids) && Arrays.equals(tids, f.tids) && includeIdle == f.includeIdle
                && invocations.equals(f.invocations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startNanos, endNanos, eventMode, eventId, eventName, Arrays.hashCode(pids),
                Arrays.hashCode(tids), includeIdle, invocations);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (hasTimeRange()) {
            parts.add("time [" + (startNanos == UNBOUNDED_START ? "-inf" : startNanos + " ns") + ", "
                    + (endNanos == UNBOUNDED_END ? "+inf" : endNanos + " ns") + ")");
        }
        parts.add(switch (eventMode) {
            case FIRST -> "first event";
            case ALL -> "all events";
            case ID -> "event #" + eventId;
            case NAME -> "event " + eventName;
        });
        if (pids != null) {
            parts.add("pids " + Arrays.toString(pids));
        }
        if (tids != null) {
            parts.add("tids " + Arrays.toString(tids));
        }
        parts.add(includeIdle ? "idle included" : "idle excluded");
        if (!invocations.isEmpty()) {
            parts.add(invocations.size() + " invocations");
        }
        return "SampleFilter[" + String.join(", ", parts) + "]";
    }
}
