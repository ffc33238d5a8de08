package dev.flint.trace.export;

import dev.flint.trace.model.Trace;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stackcollapse-perf.pl oracle cases through the real perf parser,
 * {@code dev.flint.trace.format.TraceReader.read(Path)}: the same perf text must fold to the
 * script's output byte for byte. Called by reflection so that this module compiles while the
 * parser is being written (and skipped while it is absent).
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
        StackcollapseOracleTest.check(read(StackcollapseCases.input(c.input(), dir)), c);
    }

    /** The real parser's trace of {@code file}; the test is skipped while the parser is absent. */
    static Trace read(Path file) throws Exception {
        Class<?> reader;
        try {
            reader = Class.forName("dev.flint.trace.format.TraceReader");
        } catch (ClassNotFoundException e) {
            Assumptions.abort("waiting for the perf parser (dev.flint.trace.format.TraceReader)");
            throw e;
        }
        try {
            return (Trace) reader.getMethod("read", Path.class).invoke(null, file);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
