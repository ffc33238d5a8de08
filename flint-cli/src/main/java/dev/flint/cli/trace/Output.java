package dev.flint.cli.trace;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command writes: a file given with {@code -o}, else standard output (which is flushed, never closed). */
final class Output {

    private Output() {}

    static OutputStream open(Path file) throws IOException {
        if (file == null || file.toString().equals("-")) {
            return new FilterOutputStream(new BufferedOutputStream(System.out, 1 << 16)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }
}
