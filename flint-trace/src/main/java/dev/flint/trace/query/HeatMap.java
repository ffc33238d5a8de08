package dev.flint.trace.query;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;

/**
 * FlameScope's sub-second-offset heat map: one column per second of the trace's clock, one row per
 * slice of that second, each cell the samples that fell in it.
 *
 * <p>The arithmetic is FlameScope's ({@code app/controllers/heatmap.py}), on integer nanoseconds
 * instead of float seconds:
 * <ul>
 *   <li>{@code start} = the first sample counted, {@code end} = the last (the store is sorted by
 *       time, so the last is also the latest);</li>
 *   <li>{@code columns = ceil(end) - floor(start)} in seconds (at least 1);</li>
 *   <li>a sample at {@code ts}: {@code col = floor(ts) - floor(start)},
 *       {@code row = rows - floor(rows * frac(ts)) - 1}, where {@code frac} is the fractional part
 *       of the <b>absolute</b> timestamp, so rows line up with clock seconds, not with the first
 *       sample. Row 0 is the top: the latest offset in the second;</li>
 *   <li>a sample exactly on an integer {@code end} would get {@code col == columns}, one past the last
 *       column (FlameScope's out-of-range bug): it is counted in the last column instead, in its bottom row.</li>
 * </ul>
 * Integer arithmetic puts a sample exactly on a bucket boundary in the bucket that starts there,
 * where float seconds may not.
 *
 * <p>Flint's additions: filters (process, thread, event, idle, range, invocations) through
 * {@link SampleFilter}; a weight-summing variant ({@link Measure#WEIGHT}); and {@link Axis#TRACE},
 * which spans the whole trace whatever the filter, so that heat maps of several threads line up.
 *
 * @param rows          rows per column (FlameScope's default 50: 20 ms each)
 * @param columns       columns, one per second (0 only for a trace without samples)
 * @param startSecond   the absolute second (on the trace's clock) of column 0
 * @param rowOffsetsMs  per row, the offset in the second where it starts, in ms: descending, row 0 first
 * @param values        {@code values[col][row]}: samples (or weight) in the cell
 * @param maxValue      the largest cell, for the colour scale
 * @param samples       samples counted (the sum of their counts), whatever the measure
 * @param total         the sum of every cell
 * @param unit          {@code samples}, or the weight's unit
 * @param event         the event counted; see {@link SampleFilter}
 */
public record HeatMap(int rows, int columns, long startSecond, double[] rowOffsetsMs, long[][] values, long maxValue,
                      long samples, long total, String unit, EventChoice event) {

    /** FlameScope's {@code DEFAULT_ROWS}: one row is 20 ms. */
    public static final int DEFAULT_ROWS = 50;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Rows past this are a mistake (a 1 µs row), not a heat map. */
    private static final int MAX_ROWS = 1_000_000;
    /** 160 MB of cells: a day of 50-row seconds is 4.3 M; a bogus timestamp years away is refused. */
    private static final long MAX_CELLS = 20_000_000;

    /** Where the columns start and end. */
    public enum Axis {
        /** From the first to the last sample the map counts, as FlameScope does (the default). */
        SELECTION,
        /** From the first to the last timed sample of the trace, whatever the filter selects. */
        TRACE
    }

    /**
     * @param rows    rows per second; FlameScope's UI offers 10, 25, 49, 50, 99 and 100
     * @param measure samples (FlameScope) or weight
     * @param axis    the span of the columns
     */
    public record Options(int rows, Measure measure, Axis axis) {

        public static final Options DEFAULT = new Options(DEFAULT_ROWS, Measure.SAMPLES, Axis.SELECTION);

        public Options {
            if (rows < 1 || rows > MAX_ROWS) {
                throw new IllegalArgumentException("rows must be between 1 and " + MAX_ROWS + ": " + rows);
            }
        }

        public Options withRows(int rows) {
            return new Options(rows, measure, axis);
        }

        public Options withMeasure(Measure measure) {
            return new Options(rows, measure, axis);
        }

        public Options withAxis(Axis axis) {
            return new Options(rows, measure, axis);
        }
    }

    /** The heat map of the samples {@code filter} selects, 50 rows, counting samples. */
    public static HeatMap of(Trace trace, SampleFilter filter) {
        return of(trace, filter, Options.DEFAULT);
    }

    /**
     * The heat map of the samples {@code filter} selects. One pass over the selected rows.
     *
     * @throws IllegalArgumentException if the trace has no timestamps
     */
    public static HeatMap of(Trace trace, SampleFilter filter, Options options) {
        if (SampleFilter.untimed(trace)) {
            throw new IllegalArgumentException(SampleFilter.untimedMessage(trace, "a heat map"));
        }
        Selection selection = filter.select(trace);
        if (trace.samples().size() == 0) {
            return new HeatMap(options.rows(), 0, 0, offsets(options.rows()), new long[0][], 0, 0, 0,
                    options.measure().unit(selection.event()), selection.event());
        }
        SampleStore store = trace.samples();
        int rows = options.rows();
        Measure measure = options.measure();
        // Untimed rows (a trace that mixes both) sort first and have no place on the map.
        int firstTimed = store.firstAtOrAfter(SampleStore.NO_TIME + 1);

        long first = trace.startNanos();
        long last = trace.endNanos();
        if (options.axis() == Axis.SELECTION) {
            int a = firstSelected(selection, firstTimed);
            if (a >= 0) { // an empty selection keeps the trace's span: an empty grid, not no grid
                first = store.time(a);
                last = store.time(lastSelected(selection, firstTimed));
            }
        }
        long startSecond = Math.floorDiv(first, NANOS_PER_SECOND);
        long span = Math.max(1, Math.ceilDiv(last, NANOS_PER_SECOND) - startSecond);
        if (span * rows > MAX_CELLS) {
            throw new IllegalArgumentException("the samples span " + span + " s: a heat map of " + rows
                    + " rows per second would have " + span * rows + " cells (at most " + MAX_CELLS
                    + "); select a time range");
        }
        int columns = (int) span;

        long[][] values = new long[columns][rows];
        long samples = 0;
        long total = 0;
        for (int i = 0; i < selection.rangeCount(); i++) {
            for (int row = Math.max(firstTimed, selection.rangeFrom(i)), end = selection.rangeTo(i); row < end; row++) {
                if (!selection.accepts(row)) {
                    continue;
                }
                long ts = store.time(row);
                long second = Math.floorDiv(ts, NANOS_PER_SECOND);
                // The axis spans every sample counted, so 0 <= col <= columns; col == columns only for a
                // sample exactly on an integer end.
                int col = (int) Math.min(second - startSecond, columns - 1);
                long nanosInSecond = ts - second * NANOS_PER_SECOND;
                int r = rows - (int) (rows * nanosInSecond / NANOS_PER_SECOND) - 1;
                long v = measure.of(store, row);
                values[col][r] += v;
                total += v;
                samples += store.count(row);
            }
        }
        long max = 0;
        for (long[] column : values) {
            for (long v : column) {
                max = Math.max(max, v);
            }
        }
        return new HeatMap(rows, columns, startSecond, offsets(rows), values, max, samples, total,
                measure.unit(selection.event()), selection.event());
    }

    /** The first instant of a cell, in ns on the trace's clock. */
    public long cellStartNanos(int col, int row) {
        checkCell(col, row);
        long k = rows - 1 - row; // slices from the start of the second
        return (startSecond + col) * NANOS_PER_SECOND + Math.ceilDiv(k * NANOS_PER_SECOND, rows);
    }

    /** The end of a cell (exclusive): the first nanosecond that falls in the next slice. */
    public long cellEndNanos(int col, int row) {
        checkCell(col, row);
        long k = rows - row;
        return (startSecond + col) * NANOS_PER_SECOND + Math.ceilDiv(k * NANOS_PER_SECOND, rows);
    }

    /**
     * FlameScope's two-click selection: {@code base} restricted to the time from the earlier of two
     * cells to the end of the later one, in either order. The same cell twice is one slice (20 ms).
     */
    public SampleFilter selection(SampleFilter base, int col1, int row1, int col2, int row2) {
        long a = cellStartNanos(col1, row1);
        long b = cellStartNanos(col2, row2);
        return a <= b ? base.withRangeNanos(a, cellEndNanos(col2, row2))
                : base.withRangeNanos(b, cellEndNanos(col1, row1));
    }

    private void checkCell(int col, int row) {
        if (col < 0 || col >= columns || row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException(
                    "no cell (" + col + ", " + row + ") in a " + columns + " x " + rows + " heat map");
        }
    }

    private static double[] offsets(int rows) {
        double[] offsets = new double[rows];
        for (int r = 0; r < rows; r++) {
            offsets[r] = (rows - 1 - r) * 1000.0 / rows;
        }
        return offsets;
    }

    private static int firstSelected(Selection selection, int firstTimed) {
        for (int i = 0; i < selection.rangeCount(); i++) {
            for (int row = Math.max(firstTimed, selection.rangeFrom(i)); row < selection.rangeTo(i); row++) {
                if (selection.accepts(row)) {
                    return row;
                }
            }
        }
        return -1;
    }

    private static int lastSelected(Selection selection, int firstTimed) {
        for (int i = selection.rangeCount() - 1; i >= 0; i--) {
            for (int row = selection.rangeTo(i) - 1; row >= Math.max(firstTimed, selection.rangeFrom(i)); row--) {
                if (selection.accepts(row)) {
                    return row;
                }
            }
        }
        return -1;
    }
}
