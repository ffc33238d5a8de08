package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which samples count, how much, and in which order, on traces built by hand. */
class FoldedWriterTest {

    private static final String BURN = "/tmp/exp/burn";
    private static final long T0 = 320_654_333_000L;

    /** A perf-like trace: each stack is a command, then frames root first in {@code BURN}. */
    private static final class Perf {
        final TraceBuilder b = new TraceBuilder("perf-script", "test");
        long time = T0;

        Perf sample(String comm, int pid, int tid, String event, long period, String... frames) {
            int stack = b.stack(StackTable.ROOT, b.frame(comm, "", FrameKind.PROCESS));
            for (String f : frames) {
                boolean inlined = f.startsWith("+");
                stack = b.stack(stack, b.frame(inlined ? f.substring(1) : f, BURN,
                        inlined ? FrameKind.INLINED : FrameKind.USER));
            }
            b.sample(time, pid, tid, SampleStore.UNKNOWN, b.event(event), 1, period, stack, false);
            time += 5_000_000;
            return this;
        }

        Trace trace() {
            return b.build();
        }
    }

    private static String fold(Trace trace, FoldedWriter.Options options) {
        return FoldedWriter.toString(trace, options);
    }

    @Test
    void stacksThatFoldToTheSameTextAddUp() {
        Trace trace = new Perf()
                .sample("burn", -1, 7, "cpu-clock", 5_000_000, "main", "work(int)")
                .sample("burn", -1, 7, "cpu-clock", 5_000_000, "main", "work(long)")
                .sample("burn", -1, 7, "cpu-clock", 5_000_000, "main", "(anonymous namespace)::helper", "work(int)")
                .trace();
        assertThat(trace.stacks().size()).isGreaterThan(4);
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo("burn;main;work 15000000\n");
    }

    @Test
    void countsArePeriodSumsOrWithCountsSamples() {
        Trace trace = new Perf()
                .sample("burn", -1, 7, "cpu-clock", 5_000_000, "main")
                .sample("burn", -1, 7, "cpu-clock", 5_000_000, "main")
                .sample("burn", -1, 7, "cpu-clock", 0, "main") // a period of 0 counts 1, as "not $period"
                .trace();
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo("burn;main 10000001\n");
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT.withCounts())).isEqualTo("burn;main 3\n");
    }

    @Test
    void theOrderIsThatOfTheStackTextNotOfTheLine() {
        // by line, "burn;x\t 1" would come before "burn;x 1" (tab < space); the script sorts the keys
        Trace trace = new Perf()
                .sample("burn", -1, 7, "cpu-clock", 1, "x\t")
                .sample("burn", -1, 7, "cpu-clock", 1, "x")
                .sample("burn", -1, 7, "cpu-clock", 1, "\u00e9")
                .sample("burn", -1, 7, "cpu-clock", 1, "z")
                .trace();
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo("burn;x 1\nburn;x\t 1\nburn;z 1\nburn;\u00e9 1\n");
    }

    @Test
    void codePointOrderIsUtf8ByteOrder() {
        List<String> names = new ArrayList<>(List.of("\uD83D\uDE00", "\uFFFD", "a"));
        names.sort(FoldedWriter::compareCodePoints);
        assertThat(names).containsExactly("a", "\uFFFD", "\uD83D\uDE00"); // String.compareTo would swap the last two
    }

    @Test
    void theFirstEventIsKeptAndTheFirstOtherOneNamedInTheWarning() {
        Trace trace = new Perf()
                .sample("burn", -1, 7, "cycles", 3, "main")
                .sample("burn", -1, 7, "instructions", 5, "main")
                .sample("burn", -1, 7, "cpu-clock", 7, "main")
                .sample("burn", -1, 7, "cycles", 11, "main", "work")
                .trace();
        StackcollapseCases.Warnings warnings = new StackcollapseCases.Warnings();
        assertThat(FoldedWriter.fold(trace, FoldedWriter.Options.DEFAULT, warnings))
                .containsExactly(Map.entry("burn;main", 3L), Map.entry("burn;main;work", 11L));
        assertThat(warnings.lines).containsExactly("Filtering for events of type: instructions");

        StackcollapseCases.Warnings none = new StackcollapseCases.Warnings();
        assertThat(FoldedWriter.fold(trace, FoldedWriter.Options.DEFAULT.withEventFilter("cpu-clock"), none))
                .containsExactly(Map.entry("burn;main", 7L));
        assertThat(none.lines).isEmpty();
    }

    @Test
    void samplesWithoutTimestampShowNoEventSoCountOneAndAreNeverFiltered() {
        TraceBuilder b = new TraceBuilder("perf-script", "test");
        int jvm = b.stack(StackTable.ROOT, b.frame("java", "", FrameKind.PROCESS));
        int main = b.stack(jvm, b.frame("Interpreter", "/tmp/perf-3244.map", FrameKind.JIT));
        b.sample(SampleStore.NO_TIME, -1, 3244, -1, b.event("cpu-clock"), 1, 5_000_000, main, false);
        b.sample(SampleStore.NO_TIME, -1, 3244, -1, b.event("instructions"), 1, 7, main, false);
        StackcollapseCases.Warnings warnings = new StackcollapseCases.Warnings();
        assertThat(FoldedWriter.fold(b.build(), FoldedWriter.Options.DEFAULT, warnings))
                .containsExactly(Map.entry("java;Interpreter", 2L));
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void pidAndTidModesSplitWhatTheDefaultMerges() {
        Trace trace = new Perf()
                .sample("burn", 100, 101, "cpu-clock", 1, "main")
                .sample("burn", 100, 102, "cpu-clock", 1, "main")
                .sample("burn", -1, 103, "cpu-clock", 1, "main")
                .trace();
        FoldedWriter.Options d = FoldedWriter.Options.DEFAULT;
        assertThat(fold(trace, d)).isEqualTo("burn;main 3\n");
        assertThat(fold(trace, d.withNames(d.names().withPid()))).isEqualTo("burn-100;main 2\nburn-?;main 1\n");
        assertThat(fold(trace, d.withNames(d.names().withTid())))
                .isEqualTo("burn-100/101;main 1\nburn-100/102;main 1\nburn-?/103;main 1\n");
    }

    @Test
    void inlineChainsAreOneLineOfTheScript() {
        Trace trace = new Perf()
                .sample("java", -1, 7, "cpu-clock", 1, "Ljava/util/HashMap;::put", "+Ljava/util/HashMap;::putVal",
                        "+Ljava/util/HashMap;::hash", "leaf")
                .sample("java", -1, 7, "cpu-clock", 1, "(skipped)", "+inlinedIntoSkipped", "leaf")
                .trace();
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo(
                "java;java/util/HashMap:::put;java/util/HashMap:::putVal_[i];java/util/HashMap:::hash_[i];leaf 1\n"
                        + "java;leaf 1\n");
    }

    @Test
    void aOneLetterCommandGetsTheScriptsTrailingUnderscore() {
        Trace trace = new Perf().sample("f", -1, 9566, "cpu-clock", 1, "main").trace();
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo("f_;main 1\n");
    }

    @Test
    void tracesWithoutProcessFramesFoldTheirFramesAlone() {
        TraceBuilder b = new TraceBuilder("folded", "test");
        int a = b.stack(StackTable.ROOT, b.frame("Loop.main", "", FrameKind.JIT));
        int c = b.stack(a, b.frame("Loop.work", "", FrameKind.INLINED));
        b.sample(SampleStore.NO_TIME, -1, -1, -1, b.event(""), 4, 4, c, false);
        FoldedWriter.Options raw = FoldedWriter.Options.DEFAULT.withNames(CollapseNames.Options.DEFAULT.withRawNames());
        assertThat(fold(b.build(), raw)).isEqualTo("Loop.main;Loop.work_[i] 4\n");
    }

    @Test
    void rawNamesKeepTheParsersNamesAndCommand() {
        Trace trace = new Perf().sample("FS Broker 5858", 5791, 5860, "cpu-clock", 1, "send(int)", "a;b").trace();
        FoldedWriter.Options raw = FoldedWriter.Options.DEFAULT.withNames(CollapseNames.Options.DEFAULT.withRawNames());
        assertThat(fold(trace, raw)).isEqualTo("FS_Broker_5858;send(int);a:b 1\n");
        assertThat(fold(trace, FoldedWriter.Options.DEFAULT)).isEqualTo("FS_Broker;send;a:b 1\n");
    }
}
