package dev.flint.cli.trace;

import dev.flint.trace.format.TraceFormatException;
import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** Reads a trace for a command, turning every way it can fail into a one-line error for the user. */
final class TraceFiles {

    private TraceFiles() {}

    static Trace read(CommandLine.Model.CommandSpec spec, Path file) {
        try {
            return TraceReader.read(file);
        } catch (NoSuchFileException e) {
            throw new dev.flint.cli.UserError(file + ": no such file");
        } catch (TraceFormatException e) {
            throw new dev.flint.cli.UserError(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
