package dev.flint.trace.query;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A {@link SampleFilter} bound to one trace: the event resolved to an id, the time range and the
 * invocations turned into row ranges by binary search over the time-sorted store, the pid and tid
 * sets sorted. Queries scan only those row ranges and test each row against int columns: no text,
 * no per-sample object. Immutable.
 */
public final class Selection {

    private static final long[] NO_LONGS = new long[0];

    private final Trace trace;
    private final SampleStore store;
    private final SampleFilter filter;
    private final EventChoice event;
    private final int eventId;
    private final boolean includeIdle;
    private final int[] pids;
    private final int[] tids;
    /** Row ranges to scan, as pairs {@code [from, to)}, in time order, disjoint. */
    private final int[] ranges;
    /** Invocations per process, merged into disjoint spans: only needed when some name a pid. */
    private final boolean checkPidInvocations;
    private final long[] anyStarts;
    private final long[] anyEnds;
    private final int[] pidKeys;
    private final int[] pidOffsets;
    private final long[] pidStarts;
    private final long[] pidEnds;

    Selection(Trace trace, SampleFilter filter) {
        this.trace = trace;
        this.store = trace.samples();
        this.filter = filter;
        this.event = resolveEvent(trace, filter);
        this.eventId = event.id();
        this.includeIdle = filter.includesIdle();
        this.pids = filter.pidSet();
        this.tids = filter.tidSet();

        boolean untimed = SampleFilter.untimed(trace);
        if (untimed && filter.hasTimeRange()) {
            throw new IllegalArgumentException(SampleFilter.untimedMessage(trace, "a time range"));
        }
        if (untimed && !filter.invocations().isEmpty()) {
            throw new IllegalArgumentException(SampleFilter.untimedMessage(trace, "samples per invocation"));
        }
        int from = filter.startNanos() == SampleFilter.UNBOUNDED_START ? 0 : store.firstAtOrAfter(filter.startNanos());
        int to = filter.endNanos() == SampleFilter.UNBOUNDED_END ? store.size() : store.firstAtOrAfter(filter.endNanos());

        List<Invocation> invocations = filter.invocations();
        if (invocations.isEmpty()) {
            ranges = new int[] {from, to};
            checkPidInvocations = false;
            anyStarts = anyEnds = pidStarts = pidEnds = NO_LONGS;
            pidKeys = pidOffsets = new int[0];
            return;
        }
        // Rows to scan: the union of every invocation's span, whatever its pid, within [from, to).
        long[][] union = merge(invocations);
        int[] r = new int[union[0].length * 2];
        int n = 0;
        for (int i = 0; i < union[0].length; i++) {
            int a = Math.max(from, store.firstAtOrAfter(union[0][i]));
            int b = Math.min(to, store.firstAtOrAfter(union[1][i]));
            if (a < b) {
                r[n++] = a;
                r[n++] = b;
            }
        }
        ranges = Arrays.copyOf(r, n);

        List<Invocation> anyPid = invocations.stream().filter(v -> v.pid() == SampleStore.UNKNOWN).toList();
        List<Invocation> withPid = invocations.stream().filter(v -> v.pid() != SampleStore.UNKNOWN)
                .sorted(Comparator.comparingInt(Invocation::pid)).toList();
        checkPidInvocations = !withPid.isEmpty();
        long[][] any = merge(anyPid);
        anyStarts = any[0];
        anyEnds = any[1];
        List<Integer> keys = new ArrayList<>();
        List<long[][]> spans = new ArrayList<>();
        for (int i = 0; i < withPid.size(); ) {
            int pid = withPid.get(i).pid();
            int j = i;
            while (j < withPid.size() && withPid.get(j).pid() == pid) {
                j++;
            }
            keys.add(pid);
            spans.add(merge(withPid.subList(i, j)));
            i = j;
        }
        pidKeys = new int[keys.size()];
        pidOffsets = new int[keys.size() + 1];
        int total = 0;
        for (int k = 0; k < keys.size(); k++) {
            pidKeys[k] = keys.get(k);
            pidOffsets[k] = total;
            total += spans.get(k)[0].length;
        }
        pidOffsets[keys.size()] = total;
        pidStarts = new long[total];
        pidEnds = new long[total];
        for (int k = 0; k < keys.size(); k++) {
            System.arraycopy(spans.get(k)[0], 0, pidStarts, pidOffsets[k], spans.get(k)[0].length);
            System.arraycopy(spans.get(k)[1], 0, pidEnds, pidOffsets[k], spans.get(k)[1].length);
        }
    }

    public Trace trace() {
        return trace;
    }

    public SampleFilter filter() {
        return filter;
    }

    /** The event counted, and whether it was the default. */
    public EventChoice event() {
        return event;
    }

    /** Whether {@code row} is selected. */
    public boolean matches(int row) {
        return inRanges(row) && accepts(row);
    }

    /** Calls {@code action} with every selected row, in time order. */
    public void forEachRow(IntConsumer action) {
        for (int i = 0; i < ranges.length; i += 2) {
            for (int row = ranges[i], end = ranges[i + 1]; row < end; row++) {
                if (accepts(row)) {
                    action.accept(row);
                }
            }
        }
    }

    /** Samples selected: the sum of their counts. */
    public long sampleCount() {
        long n = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            for (int row = ranges[i], end = ranges[i + 1]; row < end; row++) {
                if (accepts(row)) {
                    n += store.count(row);
                }
            }
        }
        return n;
    }

    // The scan, for queries of this package: for each range i, rows rangeFrom(i) until rangeTo(i), each
    // tested with accepts(row). Written out in each query rather than through an IntConsumer, so that the
    // loop body is inlined whichever queries have run before.

    int rangeCount() {
        return ranges.length / 2;
    }

    int rangeFrom(int i) {
        return ranges[2 * i];
    }

    int rangeTo(int i) {
        return ranges[2 * i + 1];
    }

    /** Whether a row inside one of the scan ranges is selected. */
    boolean accepts(int row) {
        if (!includeIdle && store.idle(row)) {
            return false;
        }
        if (eventId >= 0 && store.event(row) != eventId) {
            return false;
        }
        if (pids != null && !contains(pids, store.pid(row))) {
            return false;
        }
        if (tids != null && !contains(tids, store.tid(row))) {
            return false;
        }
        // Inside the scan ranges every row is inside some invocation's span; only an invocation of one
        // process needs the pid checked.
        return !checkPidInvocations || inInvocation(store.time(row), store.pid(row));
    }

    private boolean inRanges(int row) {
        int low = 0;
        int high = ranges.length / 2;
        while (low < high) { // the first range starting after row
            int mid = (low + high) >>> 1;
            if (ranges[2 * mid] <= row) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low > 0 && row < ranges[2 * (low - 1) + 1];
    }

    private boolean inInvocation(long time, int pid) {
        if (inSpans(anyStarts, anyEnds, 0, anyStarts.length, time)) {
            return true;
        }
        int k = Arrays.binarySearch(pidKeys, pid);
        return k >= 0 && inSpans(pidStarts, pidEnds, pidOffsets[k], pidOffsets[k + 1], time);
    }

    /** Whether {@code time} is in one of the disjoint sorted spans {@code [from, to)} of the arrays. */
    private static boolean inSpans(long[] starts, long[] ends, int from, int to, long time) {
        int low = from;
        int high = to;
        while (low < high) { // the first span starting after time
            int mid = (low + high) >>> 1;
            if (starts[mid] <= time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low > from && time < ends[low - 1];
    }

    private static boolean contains(int[] sorted, int value) {
        if (sorted.length == 1) {
            return sorted[0] == value;
        }
        return Arrays.binarySearch(sorted, value) >= 0;
    }

    /** The spans of these invocations merged into disjoint sorted spans: {starts, ends}. */
    private static long[][] merge(List<Invocation> invocations) {
        List<Invocation> sorted = invocations.stream().filter(v -> v.endNanos() > v.startNanos())
                .sorted(Comparator.comparingLong(Invocation::startNanos)).toList();
        long[] starts = new long[sorted.size()];
        long[] ends = new long[sorted.size()];
        int n = 0;
        for (Invocation v : sorted) {
            if (n > 0 && v.startNanos() <= ends[n - 1]) {
                ends[n - 1] = Math.max(ends[n - 1], v.endNanos());
            } else {
                starts[n] = v.startNanos();
                ends[n] = v.endNanos();
                n++;
            }
        }
        return new long[][] {Arrays.copyOf(starts, n), Arrays.copyOf(ends, n)};
    }

    private static EventChoice resolveEvent(Trace trace, SampleFilter filter) {
        List<String> events = trace.events();
        return switch (filter.eventMode()) {
            case ALL -> new EventChoice(EventChoice.ALL_EVENTS, null, false, events);
            // A trace without event names (folded stacks) has nothing to choose between.
            case FIRST -> events.isEmpty() ? new EventChoice(EventChoice.ALL_EVENTS, null, true, events)
                    : new EventChoice(0, events.get(0), true, events);
            case ID -> {
                if (filter.eventId() >= events.size()) {
                    throw new IllegalArgumentException("no event #" + filter.eventId() + " in " + trace.source()
                            + "; its events are " + events);
                }
                yield new EventChoice(filter.eventId(), events.get(filter.eventId()), false, events);
            }
            case NAME -> {
                int id = events.indexOf(filter.eventName());
                if (id < 0) {
                    throw new IllegalArgumentException("no event \"" + filter.eventName() + "\" in " + trace.source()
                            + "; its events are " + events);
                }
                yield new EventChoice(id, filter.eventName(), false, events);
            }
        };
    }
}
