package dev.flint.trace.format;

import static dev.flint.trace.format.TraceRows.folded;
import static dev.flint.trace.format.TraceRows.kinds;
import static dev.flint.trace.format.TraceRows.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FoldedParserTest {

    @Test
    void oneRowPerLine() throws Exception {
        Trace t = folded("burn;main;work;leaf 12\nburn;main;idle 3\n");
        assertThat(t.format()).isEqualTo(FoldedParser.FORMAT);
        assertThat(t.events()).containsExactly(FoldedParser.EVENT);
        SampleStore s = t.samples();
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.totalCount()).isEqualTo(15);
        assertThat(names(t, 0)).containsExactly("burn", "main", "work", "leaf");
        assertThat(s.count(0)).isEqualTo(12);
        assertThat(s.weight(0)).isEqualTo(12);
        assertThat(s.time(0)).isEqualTo(SampleStore.NO_TIME);
        assertThat(s.pid(0)).isEqualTo(SampleStore.UNKNOWN);
        assertThat(s.tid(0)).isEqualTo(SampleStore.UNKNOWN);
        assertThat(s.cpu(0)).isEqualTo(SampleStore.UNKNOWN);
        assertThat(s.idle(0)).isFalse();
        assertThat(t.timed()).isFalse();
        assertThat(kinds(t, 0)).containsOnly(FrameKind.USER);
    }

    @Test
    void duplicateLinesAreSeparateRowsOfOneStack() throws Exception {
        Trace t = folded("Burn.main;Burn.sortWork;Burn.hash 152\nBurn.main;Burn.sortWork;Burn.hash 146\n");
        assertThat(t.samples().size()).isEqualTo(2);
        assertThat(t.samples().stack(0)).isEqualTo(t.samples().stack(1));
        assertThat(t.samples().totalCount()).isEqualTo(298);
    }

    @Test
    void blankLinesCommentsAndCrlf() throws Exception {
        Trace t = folded("\r\n# made by hand\r\na;b 1\r\n\r\n   \r\na;c 2");
        assertThat(t.samples().size()).isEqualTo(2);
        assertThat(names(t, 1)).containsExactly("a", "c");
    }

    @Test
    void namesMayContainSpacesAndTheCountIsTheLastToken() throws Exception {
        Trace t = folded("my thread;void Foo.bar(int, long);operator() const\t 7\n");
        assertThat(names(t, 0)).containsExactly("my thread", "void Foo.bar(int, long)", "operator() const");
        assertThat(t.samples().count(0)).isEqualTo(7);
    }

    @Test
    void annotationSuffixesGiveKindsAndAreRemoved() throws Exception {
        Trace t = folded("java;Main.main_[0];Foo.bar_[1];Foo.baz_[j];Foo.qux_[i];write_[k];waker_[w];odd_[x] 1\n");
        assertThat(names(t, 0)).containsExactly("java", "Main.main", "Foo.bar", "Foo.baz", "Foo.qux", "write", "waker",
                "odd_[x]");
        assertThat(kinds(t, 0)).containsExactly(FrameKind.USER, FrameKind.INTERPRETED, FrameKind.JIT, FrameKind.JIT,
                FrameKind.INLINED, FrameKind.KERNEL, FrameKind.USER, FrameKind.USER);
    }

    @Test
    void sameNameWithDifferentSuffixesAreDifferentFrames() throws Exception {
        Trace t = folded("a;f_[j] 1\na;f_[i] 1\na;f 1\n");
        assertThat(Set.of(t.samples().stack(0), t.samples().stack(1), t.samples().stack(2))).hasSize(3);
    }

    @Test
    void emptyFramesAddNoLevel() throws Exception {
        assertThat(names(folded("a;;b; 4\n"), 0)).containsExactly("a", "b");
    }

    @Test
    void hugeCountsKeepTheirWeight() throws Exception {
        // stackcollapse-perf.pl sums periods: 464 samples at 200 Hz became 2320000000 (ns)
        Trace t = folded("burn;main 2320000000\n");
        assertThat(t.samples().weight(0)).isEqualTo(2_320_000_000L);
        assertThat(t.samples().count(0)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aLeafEndingInANumberAfterTheFirstLine() throws Exception {
        Trace t = folded("a;b 1\npool;worker 5 10\n");
        assertThat(names(t, 1)).containsExactly("pool", "worker 5");
        assertThat(t.samples().count(1)).isEqualTo(10);
    }

    @Test
    void differentialFilesAreRejected() {
        assertThatThrownBy(() -> folded("a;b 12 15\na;c 3 1\n")).isInstanceOfSatisfying(TraceFormatException.class, e -> {
            assertThat(e.lineNumber()).isEqualTo(1);
            assertThat(e.getMessage()).contains("differential folded file");
        });
    }

    @Test
    void decimalCountsAreRejected() {
        assertThatThrownBy(() -> folded("a;b 1\na;c 2.5\n")).isInstanceOfSatisfying(TraceFormatException.class, e -> {
            assertThat(e.lineNumber()).isEqualTo(2);
            assertThat(e.line()).isEqualTo("a;c 2.5");
            assertThat(e.getMessage()).contains("decimal count");
        });
    }

    @Test
    void linesWithoutCountsAreRejected() {
        assertThatThrownBy(() -> folded("a;b 1\njust some words\n")).isInstanceOfSatisfying(TraceFormatException.class,
                e -> {
                    assertThat(e.lineNumber()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("not a folded stack line");
                });
        assertThatThrownBy(() -> folded("12\n")).isInstanceOf(TraceFormatException.class);
        assertThatThrownBy(() -> folded(";;; 12\n")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("without frames");
        assertThatThrownBy(() -> folded("a 99999999999999999999\n")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void asyncProfilerFixture() throws Exception {
        Trace t;
        try (InputStream in = getClass().getResourceAsStream("/traces/java-loop-async-profiler.collapsed")) {
            t = FoldedParser.parse(in, "java-loop-async-profiler.collapsed");
        }
        assertThat(t.samples().size()).isEqualTo(719);
        assertThat(t.samples().totalCount()).isEqualTo(1042);
        Set<String> frames = new HashSet<>();
        boolean kernel = false;
        for (int row = 0; row < t.samples().size(); row++) {
            frames.addAll(names(t, row));
            kernel |= kinds(t, row).contains(FrameKind.KERNEL);
        }
        assertThat(frames).contains("Loop.main", "Loop.sortWork", "Loop.mapWork", "java/util/HashMap.resize");
        assertThat(frames).noneMatch(name -> name.endsWith("_[k]"));
        assertThat(kernel).isTrue();
        byte[] text;
        try (InputStream in = getClass().getResourceAsStream("/traces/java-loop-async-profiler.collapsed")) {
            text = in.readAllBytes();
        }
        Set<String> distinct = new HashSet<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            distinct.add(line.substring(0, line.lastIndexOf(' ')));
        }
        assertThat(TraceRows.distinctSampleStacks(t)).isEqualTo(distinct.size());
    }

    @Test
    void detectsFoldedLines() {
        for (String line : new String[] {"a;b;c 12", "single 3", "a;b 2.5"}) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(FoldedParser.isFoldedLine(b, 0, b.length)).as(line).isTrue();
        }
        for (String line : new String[] {"12", "a;b", "a;b x12", "burn 1 1.0: 1 cpu-clock:"}) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertThat(FoldedParser.isFoldedLine(b, 0, b.length)).as(line).isFalse();
        }
    }
}
