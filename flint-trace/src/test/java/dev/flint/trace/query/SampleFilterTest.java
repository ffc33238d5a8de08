package dev.flint.trace.query;

import static dev.flint.trace.query.TestTraces.MS;
import static dev.flint.trace.query.TestTraces.S;
import static dev.flint.trace.query.TestTraces.sec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleFilterTest {

    private static final String STACK = "java;main";

    private static List<Integer> rows(Trace trace, SampleFilter filter) {
        List<Integer> rows = new ArrayList<>();
        filter.forEachRow(trace, rows::add);
        return rows;
    }

    @Test
    void aTimeRangeIsHalfOpen() {
        Trace trace = new TestTraces().at(1 * S, STACK).at(2 * S, STACK).at(3 * S, STACK).build();

        assertThat(rows(trace, SampleFilter.nanos(1 * S, 3 * S))).containsExactly(0, 1);
        assertThat(rows(trace, SampleFilter.nanos(1 * S + 1, 3 * S + 1))).containsExactly(1, 2);
        assertThat(rows(trace, SampleFilter.nanos(2 * S, 2 * S))).isEmpty();
    }

    @Test
    void secondsAreRelativeToTheFirstSamplesWholeSecondAsInFlameScope() {
        Trace trace = new TestTraces().at(sec("100.7"), STACK).at(sec("102.4"), STACK).at(sec("102.6"), STACK)
                .build();

        SampleFilter range = SampleFilter.seconds(trace, 2, 2.5);

        assertThat(range.startNanos()).isEqualTo(102 * S);
        assertThat(range.endNanos()).isEqualTo(sec("102.5"));
        assertThat(rows(trace, range)).containsExactly(1);
    }

    @Test
    void aReversedRangeIsRefused() {
        Trace trace = new TestTraces().at(1 * S, STACK).build();

        assertThatThrownBy(() -> SampleFilter.seconds(trace, 18.26, 16.26))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after end");
        assertThatThrownBy(() -> SampleFilter.nanos(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTimeRangeOnAnUntimedTraceIsRefused() {
        Trace folded = new TestTraces("x.folded").untimed(2, STACK).build();

        assertThat(rows(folded, SampleFilter.all())).containsExactly(0, 1);
        assertThatThrownBy(() -> SampleFilter.seconds(folded, 0, 1)).hasMessageContaining("no timestamps");
        assertThatThrownBy(() -> SampleFilter.nanos(0, 1).select(folded)).hasMessageContaining("no timestamps");
    }

    @Test
    void theFirstEventIsTheDefaultAndTheSelectionSaysSo() {
        Trace trace = new TestTraces().at(1 * S, STACK).event("cycles").at(2 * S, STACK).at(3 * S, STACK).build();

        Selection first = SampleFilter.all().select(trace);
        assertThat(first.event()).isEqualTo(new EventChoice(0, "cpu-clock", true, List.of("cpu-clock", "cycles")));
        assertThat(first.sampleCount()).isEqualTo(1);
        assertThat(SampleFilter.all().withEvent("cycles").select(trace).sampleCount()).isEqualTo(2);
        assertThat(SampleFilter.all().withEvent(1).select(trace).sampleCount()).isEqualTo(2);
        Selection all = SampleFilter.all().withAllEvents().select(trace);
        assertThat(all.sampleCount()).isEqualTo(3);
        assertThat(all.event().allEvents()).isTrue();
        assertThat(all.event().describe()).isEqualTo("all events added up: cpu-clock, cycles");
    }

    @Test
    void anUnknownEventIsRefusedWithTheTracesEvents() {
        Trace trace = new TestTraces().at(1 * S, STACK).build();

        assertThatThrownBy(() -> SampleFilter.all().withEvent("cycles").select(trace))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[cpu-clock]");
        assertThatThrownBy(() -> SampleFilter.all().withEvent(3).select(trace))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idleIsExcludedUnlessAskedFor() {
        Trace trace = new TestTraces().at(1 * S, STACK).idle(2 * S, "swapper;cpu_idle").build();

        assertThat(rows(trace, SampleFilter.all())).containsExactly(0);
        assertThat(rows(trace, SampleFilter.all().withIdle(true))).containsExactly(0, 1);
    }

    @Test
    void pidAndTidSets() {
        Trace trace = new TestTraces().thread(1, 10).at(1 * S, STACK).thread(1, 11).at(2 * S, STACK)
                .thread(2, 20).at(3 * S, STACK).build();

        assertThat(rows(trace, SampleFilter.all().withPids(1))).containsExactly(0, 1);
        assertThat(rows(trace, SampleFilter.all().withPids(2, 1, 2))).containsExactly(0, 1, 2);
        assertThat(rows(trace, SampleFilter.all().withTids(20, 10))).containsExactly(0, 2);
        assertThat(rows(trace, SampleFilter.all().withPids(1).withTids(20))).isEmpty();
        assertThat(rows(trace, SampleFilter.all().withPids(1).withPids())).containsExactly(0, 1, 2);
        assertThat(SampleFilter.all().withPids(3, 1, 3).pids()).containsExactly(1, 3);
    }

    @Test
    void aSampleIsInsideInvocationsWhenInsideAnyOfThem() {
        Trace trace = new TestTraces()
                .thread(1, 1).at(10 * MS, STACK).at(20 * MS, STACK).at(30 * MS, STACK)
                .thread(2, 2).at(31 * MS, STACK).at(40 * MS, STACK).at(50 * MS, STACK)
                .build();
        SampleFilter filter = SampleFilter.all().withInvocations(List.of(
                Invocation.of("a", 5 * MS, 15 * MS),           // row 0
                new Invocation("b", 25 * MS, 45 * MS, 2),      // rows 3, 4 (row 2 is pid 1)
                new Invocation("c", 19 * MS, 21 * MS, 1),      // row 1
                Invocation.of("d", 12 * MS, 14 * MS)));        // nothing, overlaps a

        assertThat(rows(trace, filter)).containsExactly(0, 1, 3, 4);
        Selection selection = filter.select(trace);
        for (int row = 0; row < 6; row++) {
            assertThat(selection.matches(row)).as("row %d", row).isEqualTo(row != 2 && row != 5);
        }
    }

    /** forEachRow and matches agree with a predicate written out naively, on random traces and filters. */
    @Test
    void forEachRowAndMatchesAgreeWithTheDefinition() {
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            TestTraces t = new TestTraces();
            int n = random.nextInt(80);
            long[] times = random.longs(n, 0, 2 * S).sorted().toArray();
            for (long time : times) {
                t.thread(1 + random.nextInt(3), 10 + random.nextInt(3));
                if (random.nextInt(4) == 0) {
                    t.event("cycles");
                } else {
                    t.event("cpu-clock");
                }
                t.sample(time, 1 + random.nextInt(2), 1, STACK, random.nextInt(5) == 0);
            }
            Trace trace = t.build();
            SampleFilter filter = SampleFilter.all().withIdle(random.nextBoolean());
            if (random.nextBoolean()) {
                long a = random.nextLong(2 * S);
                long b = random.nextLong(2 * S);
                filter = filter.withRangeNanos(Math.min(a, b), Math.max(a, b));
            }
            if (random.nextBoolean()) {
                filter = filter.withPids(1 + random.nextInt(3));
            }
            if (random.nextBoolean()) {
                filter = filter.withTids(10 + random.nextInt(3), 10 + random.nextInt(3));
            }
            if (random.nextBoolean()) {
                filter = filter.withAllEvents();
            }
            List<Invocation> invocations = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                long start = random.nextLong(2 * S);
                invocations.add(new Invocation("i" + i, start, start + random.nextLong(S / 2),
                        random.nextBoolean() ? SampleStore.UNKNOWN : 1 + random.nextInt(3)));
            }
            filter = filter.withInvocations(invocations);

            SampleStore store = trace.samples();
            List<Integer> expected = new ArrayList<>();
            int event = filter.equals(filter.withAllEvents()) ? -1 : 0;
            for (int row = 0; row < store.size(); row++) {
                long time = store.time(row);
                boolean in = time >= filter.startNanos() && time < filter.endNanos()
                        && (filter.includesIdle() || !store.idle(row))
                        && (event < 0 || store.event(row) == event)
                        && (filter.pids().length == 0 || contains(filter.pids(), store.pid(row)))
                        && (filter.tids().length == 0 || contains(filter.tids(), store.tid(row)));
                if (in && !invocations.isEmpty()) {
                    int pid = store.pid(row);
                    in = invocations.stream().anyMatch(v -> v.contains(time, pid));
                }
                if (in) {
                    expected.add(row);
                }
            }
            Selection selection = filter.select(trace);
            assertThat(rows(trace, filter)).as("trial %d: %s", trial, filter).isEqualTo(expected);
            for (int row = 0; row < store.size(); row++) {
                assertThat(selection.matches(row)).as("trial %d row %d", trial, row).isEqualTo(expected.contains(row));
            }
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    @Test
    void filtersAreValues() {
        SampleFilter a = SampleFilter.all().withPids(2, 1).withIdle(true);
        SampleFilter b = SampleFilter.all().withIdle(true).withPids(1, 2);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("SampleFilter[first event, pids [1, 2], idle included]");
        assertThat(a.withAllEvents()).isNotEqualTo(a);
    }
}
