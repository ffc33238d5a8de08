package dev.flint.trace.query;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A heat map for short invocations: one column per invocation, in start order; one row per bucket of
 * time since that invocation started; each cell the samples that fell in it. A wall-clock map of 1 s
 * columns is useless for a 120 ms function; here every invocation starts at the bottom, so cold
 * starts and init phases line up (profiling.md, (b) 1).
 *
 * <p>Rows are laid out as in {@link HeatMap}: row 0 is the top, the latest bucket. The default
 * bucket makes the longest invocation fill {@link #DEFAULT_ROWS} rows; {@link Options#withBucketMillis}
 * fixes it instead, and the map then has as many rows as the longest invocation needs.
 *
 * <p>A sample belongs to an invocation when it passes the filter, falls in the invocation's span
 * {@code [start, end)} and, if the invocation names a process, comes from it. Samples outside every
 * invocation are not drawn; {@link #outside} counts them. Invocations that overlap in one process
 * (concurrent requests) each count the samples of their common time, so the columns may add up to
 * more than {@link #samples}.
 *
 * @param invocations   the columns, sorted by start (stable)
 * @param bucketNanos   the height of a row
 * @param rows          rows: enough for the longest invocation
 * @param rowOffsetsMs  per row, the time since the invocation's start where it begins, in ms, descending
 * @param values        {@code values[col][row]}
 * @param totals        per column, the invocation's own total (the sum of its column)
 * @param durationNanos per column, the invocation's duration
 * @param maxValue      the largest cell
 * @param samples       selected samples inside at least one invocation (the sum of their counts)
 * @param outside       selected samples inside none
 * @param unit          {@code samples}, or the weight's unit
 * @param event         the event counted
 */
public record InvocationHeatMap(List<Invocation> invocations, long bucketNanos, int rows, double[] rowOffsetsMs,
                                long[][] values, long[] totals, long[] durationNanos, long maxValue, long samples,
                                long outside, String unit, EventChoice event) {

    /** The longest invocation fills this many rows unless the bucket is fixed. */
    public static final int DEFAULT_ROWS = 50;

    private static final int MAX_ROWS = 100_000;
    /** 160 MB of cells. */
    private static final long MAX_CELLS = 20_000_000;

    /**
     * @param bucketNanos the height of a row, or 0 for "the longest invocation fills {@code rows}"
     * @param rows        rows for the longest invocation, when the bucket is not fixed
     * @param measure     samples or weight
     */
    public record Options(long bucketNanos, int rows, Measure measure) {

        public static final Options DEFAULT = new Options(0, DEFAULT_ROWS, Measure.SAMPLES);

        public Options {
            if (bucketNanos < 0) {
                throw new IllegalArgumentException("bucket must be > 0 ns, or 0 for automatic: " + bucketNanos);
            }
            if (rows < 1 || rows > MAX_ROWS) {
                throw new IllegalArgumentException("rows must be between 1 and " + MAX_ROWS + ": " + rows);
            }
        }

        /** Rows of this many milliseconds (fractions allowed: 0.5 is 500 µs). */
        public Options withBucketMillis(double millis) {
            long nanos = Math.round(millis * 1_000_000);
            if (!(nanos > 0)) {
                throw new IllegalArgumentException("bucket must be at least 1 ns: " + millis + " ms");
            }
            return new Options(nanos, rows, measure);
        }

        public Options withBucketNanos(long nanos) {
            if (nanos <= 0) {
                throw new IllegalArgumentException("bucket must be at least 1 ns: " + nanos);
            }
            return new Options(nanos, rows, measure);
        }

        /** Automatic buckets, so that the longest invocation fills {@code rows} rows. */
        public Options withRows(int rows) {
            return new Options(0, rows, measure);
        }

        public Options withMeasure(Measure measure) {
            return new Options(bucketNanos, rows, measure);
        }
    }

    public static InvocationHeatMap of(Trace trace, SampleFilter filter, Collection<Invocation> invocations) {
        return of(trace, filter, invocations, Options.DEFAULT);
    }

    /**
     * The invocation heat map. Each invocation's rows are found by binary search, so the cost is the
     * samples inside invocations, not the trace's.
     *
     * @throws IllegalArgumentException if the trace has no timestamps, or the bucket makes too many rows
     */
    public static InvocationHeatMap of(Trace trace, SampleFilter filter, Collection<Invocation> invocations,
                                       Options options) {
        if (SampleFilter.untimed(trace)) {
            throw new IllegalArgumentException(SampleFilter.untimedMessage(trace, "an invocation heat map"));
        }
        List<Invocation> columns = new ArrayList<>(invocations);
        columns.sort(Comparator.comparingLong(Invocation::startNanos)); // stable: ties keep the caller's order
        long longest = 0;
        for (Invocation v : columns) {
            longest = Math.max(longest, v.durationNanos());
        }
        long bucket = options.bucketNanos();
        if (bucket == 0) {
            bucket = longest == 0 ? 1_000_000 : Math.max(1, Math.ceilDiv(longest, options.rows()));
        }
        long needed = Math.max(1, Math.ceilDiv(longest, bucket));
        if (needed > MAX_ROWS) {
            throw new IllegalArgumentException("a bucket of " + bucket + " ns makes " + needed
                    + " rows for the longest invocation (" + longest + " ns); at most " + MAX_ROWS);
        }
        int rows = (int) needed;
        if ((long) rows * columns.size() > MAX_CELLS) {
            throw new IllegalArgumentException(columns.size() + " invocations of " + rows + " rows would make "
                    + (long) rows * columns.size() + " cells (at most " + MAX_CELLS + "); use fewer invocations"
                    + " or a larger bucket");
        }

        Selection selection = filter.select(trace);
        SampleStore store = trace.samples();
        Measure measure = options.measure();
        long[][] values = new long[columns.size()][rows];
        long[] totals = new long[columns.size()];
        long[] durations = new long[columns.size()];
        long[] counted = new long[(store.size() + 63) >>> 6]; // rows inside some invocation
        for (int c = 0; c < columns.size(); c++) {
            Invocation v = columns.get(c);
            durations[c] = v.durationNanos();
            long[] column = values[c];
            long sum = 0;
            for (int row = store.firstAtOrAfter(v.startNanos()), end = store.firstAtOrAfter(v.endNanos());
                 row < end; row++) {
                if ((v.pid() != SampleStore.UNKNOWN && store.pid(row) != v.pid()) || !selection.matches(row)) {
                    continue;
                }
                long bucketIndex = (store.time(row) - v.startNanos()) / bucket;
                long value = measure.of(store, row);
                column[rows - 1 - (int) bucketIndex] += value;
                sum += value;
                counted[row >>> 6] |= 1L << row;
            }
            totals[c] = sum;
        }
        long max = 0;
        for (long[] column : values) {
            for (long x : column) {
                max = Math.max(max, x);
            }
        }
        long inside = 0;
        long all = 0;
        for (int i = 0; i < selection.rangeCount(); i++) {
            for (int row = selection.rangeFrom(i); row < selection.rangeTo(i); row++) {
                if (selection.accepts(row)) {
                    all += store.count(row);
                    if ((counted[row >>> 6] & (1L << row)) != 0) {
                        inside += store.count(row);
                    }
                }
            }
        }
        double[] offsets = new double[rows];
        for (int r = 0; r < rows; r++) {
            offsets[r] = (rows - 1 - r) * (double) bucket / 1_000_000;
        }
        return new InvocationHeatMap(List.copyOf(columns), bucket, rows, offsets, values, totals, durations, max,
                inside, all - inside, measure.unit(selection.event()), selection.event());
    }
}
