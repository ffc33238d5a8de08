package dev.flint.cli.trace;

import dev.flint.cli.UserError;
import dev.flint.host.traces.InvocationMark;
import dev.flint.trace.query.Invocation;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file of invocations for {@code --invocations}: the trace store's {@code .invocations} format
 * ({@link InvocationMark}), one {@code id start-ns end-ns [pid [function status]]} a line, times on
 * the trace's clock (perf {@code -k mono}, which is {@code System.nanoTime()}'s). A bad line is an
 * error naming it.
 */
final class InvocationsFile {

    private InvocationsFile() {}

    static List<Invocation> read(Path file) {
        try {
            return InvocationMark.read(file, file.toString()).stream().map(InvocationMark::toInvocation).toList();
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
