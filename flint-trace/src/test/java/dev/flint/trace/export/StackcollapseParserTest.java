package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.format.TraceFormatException;
import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FoldedWriter against the real stackcollapse-perf.pl, on traces read by the real parser
 * ({@link TraceReader#read(Path)}): for each input and option set, the output must be byte for
 * byte what the script printed (the expected files in {@code src/test/resources/collapse/}), and
 * the script's stderr warning must be reported.
 */
class StackcollapseParserTest {

    @TempDir
    static Path dir;

    static Stream<StackcollapseCases.Case> cases() {
        return StackcollapseCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void foldsAsTheScriptDoes(StackcollapseCases.Case c) throws Exception {
        check(read(StackcollapseCases.input(c.input(), dir)), c);
    }

    static void check(Trace trace, StackcollapseCases.Case c) throws Exception {
        StackcollapseCases.Warnings warnings = new StackcollapseCases.Warnings();
        StringWriter out = new StringWriter();
        FoldedWriter.write(trace, c.options(), out, warnings);
        assertThat(out.toString()).isEqualTo(StackcollapseCases.expected(c.expected()));
        assertThat(warnings.lines).isEqualTo(c.warning() == null ? List.of() : List.of(c.warning()));
    }

    /** The real parser's trace of {@code file}. */
    static Trace read(Path file) throws IOException, TraceFormatException {
        return TraceReader.read(file);
    }
}
