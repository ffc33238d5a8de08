package dev.flint.trace.query;

import static dev.flint.trace.query.TestTraces.MS;
import static dev.flint.trace.query.TestTraces.S;
import static dev.flint.trace.query.TestTraces.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.Trace;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FlameScope's heat map arithmetic (profiling.md 1.4), cell by cell. */
class HeatMapTest {

    private static final String STACK = "java;main;work";

    @Test
    void columnsSpanFromTheFloorOfTheFirstToTheCeilingOfTheLastSample() {
        Trace trace = new TestTraces().at(sec("10.5"), STACK).at(sec("12.3"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        assertThat(map.startSecond()).isEqualTo(10);
        assertThat(map.columns()).isEqualTo(3); // ceil(12.3) - floor(10.5)
        assertThat(map.rows()).isEqualTo(50);
        assertThat(map.values()).hasDimensions(3, 50);
    }

    @Test
    void rowZeroIsTheLatestOffsetOfTheSecond() {
        Trace trace = new TestTraces()
                .at(sec("10.000"), STACK)        // frac 0     -> row 50 - 0 - 1 = 49 (bottom)
                .at(sec("10.019999999"), STACK)  // frac < .02 -> still row 49
                .at(sec("10.020"), STACK)        // frac .02   -> floor(1.0) = 1 -> row 48
                .at(sec("10.5"), STACK)          // floor(25)  -> row 24
                .at(sec("10.980"), STACK)        // floor(49)  -> row 0 (top)
                .at(sec("10.999999999"), STACK)  // row 0
                .at(sec("11.000"), STACK)        // the next second: column 1, row 49
                .at(sec("11.4"), STACK)
                .build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        assertThat(map.columns()).isEqualTo(2);
        long[] first = map.values()[0];
        assertThat(first[49]).isEqualTo(2);
        assertThat(first[48]).isEqualTo(1);
        assertThat(first[24]).isEqualTo(1);
        assertThat(first[0]).isEqualTo(2);
        assertThat(map.values()[1][49]).isEqualTo(1);
        assertThat(map.values()[1][50 - 20 - 1]).isEqualTo(1); // 11.4: floor(50 * 0.4) = 20
        assertThat(map.maxValue()).isEqualTo(2);
        assertThat(map.samples()).isEqualTo(8);
        assertThat(map.total()).isEqualTo(8);
    }

    @Test
    void fracIsOfTheAbsoluteTimestampNotOfTheOffsetFromTheFirstSample() {
        Trace trace = new TestTraces().at(sec("7.730"), STACK).at(sec("7.740"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        // Relative to the first sample both would be in the bottom row (0 and 10 ms in); absolute, they are
        // 730 ms in (floor(50 * .73) = 36) and 740 ms in (floor(50 * .74) = 37).
        assertThat(map.values()[0][50 - 36 - 1]).isEqualTo(1);
        assertThat(map.values()[0][50 - 37 - 1]).isEqualTo(1);
        assertThat(map.values()[0][49]).isZero();
    }

    @Test
    void aSampleExactlyOnAnIntegerEndIsClampedIntoTheLastColumn() {
        Trace trace = new TestTraces().at(sec("10.5"), STACK).at(sec("12.0"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        // ceil(12.0) - floor(10.5) = 2 columns, and 12.0 gives col 2: one past the last.
        assertThat(map.columns()).isEqualTo(2);
        assertThat(map.values()[1][49]).isEqualTo(1);
        assertThat(map.samples()).isEqualTo(2);
    }

    @Test
    void oneSampleOnAnIntegerSecondStillGivesOneColumn() {
        Trace trace = new TestTraces().at(sec("5"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        assertThat(map.columns()).isEqualTo(1);
        assertThat(map.values()[0][49]).isEqualTo(1);
    }

    @Test
    void tenRowsAreOneHundredMillisecondsEach() {
        Trace trace = new TestTraces().at(sec("3.05"), STACK).at(sec("3.15"), STACK).at(sec("3.95"), STACK)
                .at(sec("3.999"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all(), HeatMap.Options.DEFAULT.withRows(10));

        assertThat(map.rowOffsetsMs()).containsExactly(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);
        assertThat(map.values()[0]).containsExactly(2, 0, 0, 0, 0, 0, 0, 0, 1, 1);
    }

    @Test
    void aHundredRowsAreTenMillisecondsEach() {
        Trace trace = new TestTraces().at(sec("3.005"), STACK).at(sec("3.010"), STACK).at(sec("3.995"), STACK)
                .build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all(), HeatMap.Options.DEFAULT.withRows(100));

        assertThat(map.rowOffsetsMs()[0]).isEqualTo(990);
        assertThat(map.rowOffsetsMs()[99]).isEqualTo(0);
        assertThat(map.values()[0][99]).isEqualTo(1); // 5 ms
        assertThat(map.values()[0][98]).isEqualTo(1); // 10 ms starts the second row from the bottom
        assertThat(map.values()[0][0]).isEqualTo(1);
    }

    @Test
    void defaultRowOffsetsAreTwentyMillisecondsDescending() {
        Trace trace = new TestTraces().at(sec("1.5"), STACK).build();

        double[] offsets = HeatMap.of(trace, SampleFilter.all()).rowOffsetsMs();

        assertThat(offsets).hasSize(50);
        assertThat(offsets[0]).isEqualTo(980);
        assertThat(offsets[1]).isEqualTo(960);
        assertThat(offsets[49]).isEqualTo(0);
    }

    @Test
    void filtersByProcessThreadEventAndIdle() {
        Trace trace = new TestTraces()
                .thread(1, 10).at(sec("1.10"), STACK)
                .thread(1, 11).at(sec("1.30"), STACK)
                .thread(2, 20).at(sec("1.50"), STACK)
                .thread(1, 10).idle(sec("1.70"), "swapper;cpu_idle")
                .event("cycles").at(sec("1.90"), STACK)
                .build();

        assertThat(HeatMap.of(trace, SampleFilter.all()).samples()).isEqualTo(3); // first event, idle out
        assertThat(HeatMap.of(trace, SampleFilter.all().withIdle(true)).samples()).isEqualTo(4);
        assertThat(HeatMap.of(trace, SampleFilter.all().withAllEvents()).samples()).isEqualTo(4);
        assertThat(HeatMap.of(trace, SampleFilter.all().withPids(1)).samples()).isEqualTo(2);
        assertThat(HeatMap.of(trace, SampleFilter.all().withTids(11, 20)).samples()).isEqualTo(2);
        HeatMap cycles = HeatMap.of(trace, SampleFilter.all().withEvent("cycles"));
        assertThat(cycles.samples()).isEqualTo(1);
        assertThat(cycles.values()[0][50 - 45 - 1]).isEqualTo(1);
        assertThat(cycles.event().name()).isEqualTo("cycles");
    }

    @Test
    void theResultSaysWhichEventItCountedWhenTheTraceHasSeveral() {
        Trace trace = new TestTraces().at(sec("1.1"), STACK).event("cycles").at(sec("1.2"), STACK).build();

        EventChoice event = HeatMap.of(trace, SampleFilter.all()).event();

        assertThat(event.name()).isEqualTo("cpu-clock");
        assertThat(event.defaulted()).isTrue();
        assertThat(event.othersLeftOut()).isTrue();
        assertThat(event.describe()).isEqualTo("cpu-clock (the first of 2 events; others: cycles)");
    }

    @Test
    void theSelectionAxisStartsAtTheFirstSelectedSampleTheTraceAxisAtTheTracesFirst() {
        Trace trace = new TestTraces()
                .thread(1, 1).at(sec("10.2"), STACK)
                .thread(2, 2).at(sec("12.5"), STACK)
                .thread(1, 1).at(sec("14.1"), STACK)
                .build();
        SampleFilter pid2 = SampleFilter.all().withPids(2);

        HeatMap selection = HeatMap.of(trace, pid2);
        HeatMap whole = HeatMap.of(trace, pid2, HeatMap.Options.DEFAULT.withAxis(HeatMap.Axis.TRACE));

        assertThat(selection.startSecond()).isEqualTo(12);
        assertThat(selection.columns()).isEqualTo(1);
        assertThat(whole.startSecond()).isEqualTo(10);
        assertThat(whole.columns()).isEqualTo(5);
        assertThat(whole.values()[2][50 - 25 - 1]).isEqualTo(1);
    }

    @Test
    void idleSamplesDoNotMoveTheStartByDefault() {
        Trace trace = new TestTraces().idle(sec("3.9"), "swapper;cpu_idle").at(sec("4.2"), STACK).build();

        assertThat(HeatMap.of(trace, SampleFilter.all()).startSecond()).isEqualTo(4);
        assertThat(HeatMap.of(trace, SampleFilter.all().withIdle(true)).startSecond()).isEqualTo(3);
    }

    @Test
    void weightSumsPeriodsAndNamesTheUnit() {
        Trace trace = new TestTraces().sample(sec("1.1"), 1, 5 * MS, STACK, false)
                .sample(sec("1.101"), 2, 7 * MS, STACK, false).build();

        HeatMap counts = HeatMap.of(trace, SampleFilter.all());
        HeatMap weights = HeatMap.of(trace, SampleFilter.all(), HeatMap.Options.DEFAULT.withMeasure(Measure.WEIGHT));

        assertThat(counts.values()[0][44]).isEqualTo(3);
        assertThat(counts.unit()).isEqualTo("samples");
        assertThat(weights.values()[0][44]).isEqualTo(12 * MS);
        assertThat(weights.maxValue()).isEqualTo(12 * MS);
        assertThat(weights.samples()).isEqualTo(3);
        assertThat(weights.unit()).isEqualTo("ns");
    }

    @Test
    void anEmptySelectionGivesAnEmptyGridOverTheTrace() {
        Trace trace = new TestTraces().thread(1, 1).at(sec("1.5"), STACK).at(sec("2.5"), STACK).build();

        HeatMap map = HeatMap.of(trace, SampleFilter.all().withPids(9));

        assertThat(map.columns()).isEqualTo(2);
        assertThat(map.maxValue()).isZero();
        assertThat(map.samples()).isZero();
    }

    @Test
    void anUntimedTraceIsRefusedWithTheReason() {
        Trace folded = new TestTraces("app.folded").untimed(3, STACK).build();

        assertThatThrownBy(() -> HeatMap.of(folded, SampleFilter.all()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app.folded")
                .hasMessageContaining("no timestamps")
                .hasMessageContaining("heat map");
    }

    @Test
    void aTraceWithoutSamplesHasNoColumns() {
        HeatMap map = HeatMap.of(new TestTraces().build(), SampleFilter.all());

        assertThat(map.columns()).isZero();
        assertThat(map.values()).isEmpty();
        assertThat(map.rowOffsetsMs()).hasSize(50);
    }

    @Test
    void aSpanOfYearsIsRefusedRatherThanAllocated() {
        Trace trace = new TestTraces().at(sec("1.5"), STACK).at(10_000_000 * S, STACK).build();

        assertThatThrownBy(() -> HeatMap.of(trace, SampleFilter.all()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("select a time range");
        assertThat(HeatMap.of(trace, SampleFilter.nanos(0, 10 * S)).columns()).isEqualTo(1);
    }

    @Test
    void cellsMapBackToTheirTimeRange() {
        Trace trace = new TestTraces().at(sec("10.5"), STACK).at(sec("12.3"), STACK).build();
        HeatMap map = HeatMap.of(trace, SampleFilter.all());

        assertThat(map.cellStartNanos(0, 49)).isEqualTo(10 * S);
        assertThat(map.cellEndNanos(0, 49)).isEqualTo(10 * S + 20 * MS);
        assertThat(map.cellStartNanos(2, 0)).isEqualTo(12 * S + 980 * MS);
        assertThat(map.cellEndNanos(2, 0)).isEqualTo(13 * S);

        // The two-click selection, in either order; one cell twice is one 20 ms slice.
        SampleFilter range = map.selection(SampleFilter.all(), 2, 40, 0, 10);
        assertThat(range.startNanos()).isEqualTo(10 * S + 780 * MS);
        assertThat(range.endNanos()).isEqualTo(12 * S + 200 * MS);
        SampleFilter one = map.selection(SampleFilter.all(), 1, 0, 1, 0);
        assertThat(one.endNanos() - one.startNanos()).isEqualTo(20 * MS);
    }

    @Test
    void fortyNineRowsHaveUnevenCellsThatStillTileTheSecond() {
        Trace trace = new TestTraces().at(sec("1.5"), STACK).build();
        HeatMap map = HeatMap.of(trace, SampleFilter.all(), HeatMap.Options.DEFAULT.withRows(49));

        for (int row = 0; row < 48; row++) {
            assertThat(map.cellStartNanos(0, row)).isEqualTo(map.cellEndNanos(0, row + 1));
        }
        assertThat(map.cellStartNanos(0, 48)).isEqualTo(S);
        assertThat(map.cellEndNanos(0, 0)).isEqualTo(2 * S);
    }

    /** Every sample lands in the cell whose time range holds it, and the cells add up to the samples. */
    @Test
    void everySampleIsInsideItsCell() {
        Random random = new Random(20261201);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + random.nextInt(120);
            long base = random.nextInt(100_000) * S;
            TestTraces t = new TestTraces();
            long[] times = new long[1 + random.nextInt(60)];
            for (int i = 0; i < times.length; i++) {
                // Whole seconds and bucket edges are the interesting cases: a third of the samples sit on one.
                times[i] = base + switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(5) * S;
                    case 1 -> random.nextInt(5) * S + Math.ceilDiv(random.nextInt(rows) * S, rows);
                    default -> (long) (random.nextDouble() * 5 * S);
                };
            }
            Arrays.sort(times);
            for (long ts : times) {
                t.at(ts, STACK);
            }
            HeatMap map = HeatMap.of(t.build(), SampleFilter.all(), HeatMap.Options.DEFAULT.withRows(rows));

            long[][] expected = new long[map.columns()][rows];
            for (long ts : times) {
                int col = (int) Math.min(ts / S - map.startSecond(), map.columns() - 1);
                int row = -1;
                for (int r = 0; r < rows; r++) {
                    if (map.cellStartNanos(col, r) <= ts && ts < map.cellEndNanos(col, r)) {
                        row = r;
                    }
                }
                if (row < 0) { // only a sample exactly on an integer end, clamped, is outside every cell
                    assertThat(ts % S).as("trial %d, ts %d", trial, ts).isZero();
                    assertThat(ts / S - map.startSecond()).isEqualTo(map.columns());
                    row = rows - 1;
                }
                expected[col][row]++;
            }
            assertThat(map.values()).as("trial %d, %d rows, times %s", trial, rows, Arrays.toString(times))
                    .isDeepEqualTo(expected);
            assertThat(map.samples()).isEqualTo(times.length);
        }
    }

    /** Away from bucket edges, the integer arithmetic agrees with FlameScope's float formula. */
    @Test
    void agreesWithFlameScopesFloatFormula() {
        Random random = new Random(7);
        for (int trial = 0; trial < 1000; trial++) {
            long ts = (long) (random.nextDouble() * 4_000_000 * S);
            int rows = 1 + random.nextInt(100);
            double seconds = ts / 1e9;
            double frac = seconds - Math.floor(seconds);
            double scaled = rows * frac;
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-4) {
                continue; // on an edge, float seconds may round either way
            }
            HeatMap map = HeatMap.of(new TestTraces().at(ts, STACK).build(), SampleFilter.all(),
                    HeatMap.Options.DEFAULT.withRows(rows));

            int flameScopeRow = rows - (int) Math.floor(rows * frac) - 1;
            assertThat(map.values()[0][flameScopeRow]).as("ts %d, %d rows", ts, rows).isEqualTo(1);
        }
    }
}
