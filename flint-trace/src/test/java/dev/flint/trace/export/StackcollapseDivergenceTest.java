package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.Trace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The perf inputs that stackcollapse-perf.pl misreads, in {@code collapse/variants-divergent.perf}:
 * the script's output ({@code variants-divergent.folded}, printed by the real script) and Flint's
 * differ exactly as documented in {@link FoldedWriter} and {@link CollapseNames}, and in nothing
 * else.
 */
class StackcollapseDivergenceTest {

    private static final String INPUT = "collapse/variants-divergent.perf";

    /** What the script printed, line by line, and why Flint's output differs. */
    private static final String SCRIPT = String.join("\n",
            // the first sample, plus the CRLF sample's frames and the next sample's "main": the
            // script never sees the "\r" blank line, so it merges them (Flint: three lines below)
            "burn;main;outer;leaf 10000000",
            // a module with " (": the script's symbol keeps the offset (and " (/memfd:doublemapper")
            "java;JavaMain;[unknown] ;Interpreter+0x1c  5000000",
            // "33 cycles:uppp" has no colon after the event: the script sees no event, counts 1
            // and does not filter it; Flint filters it out (another event than cpu-clock:pppH)
            "java;call_stub;Interpreter 1",
            // a tracepoint with a payload: same, the script sees no event; Flint filters it out
            "perf;do_nanosleep;schedule;__schedule 1",
            "");

    private static final String FLINT = String.join("\n",
            // perf -G: the IP on a right-aligned event line; the script drops the sample
            "burn;leaf 5000000",
            // the sample after the CRLF one, on its own
            "burn;main 5000000",
            "burn;main;outer;leaf 5000000",
            // the CRLF sample, on its own
            "burn;outer;leaf 5000000",
            // the last sample, without a blank line after it: the script never writes it
            "burn;worker 5000000",
            // the offset is not in the trace; the rest of the script's reading is reproduced
            "java;JavaMain;[unknown] ;Interpreter  5000000",
            "");

    @Test
    void theScriptsOutputIsTheCommittedOne() throws Exception {
        assertThat(StackcollapseCases.expected("variants-divergent.folded")).isEqualTo(SCRIPT);
    }

    @Test
    void theRealParserDiffersOnlyAsDocumented() throws Exception {
        Trace trace = StackcollapseParserTest.read(StackcollapseCases.resource(INPUT));
        assertThat(FoldedWriter.toString(trace, FoldedWriter.Options.DEFAULT)).isEqualTo(FLINT);
    }
}
