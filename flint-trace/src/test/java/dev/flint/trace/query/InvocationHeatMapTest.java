package dev.flint.trace.query;

import static dev.flint.trace.query.TestTraces.MS;
import static dev.flint.trace.query.TestTraces.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationHeatMapTest {

    private static final String STACK = "handler;serve";

    /** Two invocations of 100 ms and 50 ms, given out of order, and samples in and around them. */
    private final Trace trace = new TestTraces().thread(7, 7)
            .at(1 * S - 5 * MS, STACK)                    // before both: outside
            .at(1 * S, STACK)                             // a, 0 ms
            .at(1 * S + 1 * MS, STACK)                    // a, 1 ms
            .at(1 * S + 99 * MS, STACK)                   // a, 99 ms
            .at(1 * S + 100 * MS, STACK)                  // a's end is exclusive: outside
            .at(3 * S + 10 * MS, STACK)                   // b, 10 ms
            .at(3 * S + 49 * MS, STACK)                   // b, 49 ms
            .build();
    private final List<Invocation> invocations = List.of(
            Invocation.of("b", 3 * S, 3 * S + 50 * MS),
            Invocation.of("a", 1 * S, 1 * S + 100 * MS));

    @Test
    void columnsAreInvocationsInStartOrderAndRowsTimeSinceTheirStart() {
        InvocationHeatMap map = InvocationHeatMap.of(trace, SampleFilter.all(), invocations);

        assertThat(map.invocations()).extracting(Invocation::id).containsExactly("a", "b");
        assertThat(map.bucketNanos()).isEqualTo(2 * MS); // the longest (100 ms) fills 50 rows
        assertThat(map.rows()).isEqualTo(50);
        long[] a = map.values()[0];
        assertThat(a[49]).isEqualTo(2); // 0 and 1 ms: the bottom row
        assertThat(a[0]).isEqualTo(1); // 99 ms: the top row
        long[] b = map.values()[1];
        assertThat(b[49 - 5]).isEqualTo(1); // 10 ms
        assertThat(b[49 - 24]).isEqualTo(1); // 49 ms
        assertThat(map.totals()).containsExactly(3, 2);
        assertThat(map.durationNanos()).containsExactly(100 * MS, 50 * MS);
        assertThat(map.maxValue()).isEqualTo(2);
        assertThat(map.samples()).isEqualTo(5);
        assertThat(map.outside()).isEqualTo(2);
        assertThat(map.rowOffsetsMs()[0]).isEqualTo(98);
        assertThat(map.rowOffsetsMs()[49]).isEqualTo(0);
    }

    @Test
    void aFixedBucketSetsTheRowsTheLongestInvocationNeeds() {
        InvocationHeatMap map = InvocationHeatMap.of(trace, SampleFilter.all(), invocations,
                InvocationHeatMap.Options.DEFAULT.withBucketMillis(30));

        assertThat(map.bucketNanos()).isEqualTo(30 * MS);
        assertThat(map.rows()).isEqualTo(4); // ceil(100 / 30)
        assertThat(map.values()[0]).containsExactly(1, 0, 0, 2);
        assertThat(map.values()[1]).containsExactly(0, 0, 1, 1);
        assertThat(map.rowOffsetsMs()).containsExactly(90, 60, 30, 0);
    }

    @Test
    void anInvocationOfOneProcessTakesOnlyItsSamples() {
        Trace two = new TestTraces().thread(1, 1).at(10 * MS, STACK).thread(2, 2).at(11 * MS, STACK).build();

        InvocationHeatMap map = InvocationHeatMap.of(two, SampleFilter.all(),
                List.of(new Invocation("x", 0, 20 * MS, 2)));

        assertThat(map.totals()).containsExactly(1);
        assertThat(map.outside()).isEqualTo(1);
    }

    @Test
    void overlappingInvocationsEachCountTheirSamples() {
        InvocationHeatMap map = InvocationHeatMap.of(trace, SampleFilter.all(), List.of(
                Invocation.of("a", 1 * S, 1 * S + 100 * MS), Invocation.of("a2", 1 * S + 50 * MS, 1 * S + 150 * MS)));

        assertThat(map.totals()).containsExactly(3, 2);
        assertThat(map.samples()).isEqualTo(4); // distinct samples inside some invocation
        assertThat(map.outside()).isEqualTo(3);
    }

    @Test
    void theFilterStillApplies() {
        InvocationHeatMap map = InvocationHeatMap.of(trace, SampleFilter.all().withPids(8), invocations);

        assertThat(map.totals()).containsExactly(0, 0);
        assertThat(map.samples()).isZero();
        assertThat(map.outside()).isZero();
    }

    @Test
    void weightAndEmptyInvocations() {
        InvocationHeatMap weighted = InvocationHeatMap.of(trace, SampleFilter.all(), invocations,
                InvocationHeatMap.Options.DEFAULT.withMeasure(Measure.WEIGHT));
        assertThat(weighted.totals()).containsExactly(15 * MS, 10 * MS);
        assertThat(weighted.unit()).isEqualTo("ns");

        InvocationHeatMap none = InvocationHeatMap.of(trace, SampleFilter.all(), List.of());
        assertThat(none.values()).isEmpty();
        assertThat(none.outside()).isEqualTo(7);
    }

    @Test
    void refusesUntimedTracesAndAbsurdBuckets() {
        Trace folded = new TestTraces("f.folded").untimed(1, STACK).build();
        assertThatThrownBy(() -> InvocationHeatMap.of(folded, SampleFilter.all(), invocations))
                .hasMessageContaining("no timestamps");
        assertThatThrownBy(() -> InvocationHeatMap.of(trace, SampleFilter.all(), invocations,
                InvocationHeatMap.Options.DEFAULT.withBucketNanos(1)))
                .hasMessageContaining("rows");
        assertThatThrownBy(() -> new Invocation("z", 5, 4, -1)).hasMessageContaining("before it starts");
    }
}
