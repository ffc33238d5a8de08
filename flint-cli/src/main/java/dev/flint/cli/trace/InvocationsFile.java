package dev.flint.cli.trace;

import dev.flint.trace.query.Invocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of invocations, one a line: {@code id start-ns end-ns [pid [function status]]} (the
 * {@code .invocations} file the trace store keeps beside a profile), times on the trace's clock
 * (perf {@code -k mono}, which is {@code System.nanoTime()}'s); blank lines and {@code #} comments
 * are skipped. A bad line is an error naming it.
 */
final class InvocationsFile {

    private InvocationsFile() {}

    static List<Invocation> read(Path file) throws IOException {
        List<Invocation> invocations = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] fields = text.split("\\s+");
                try {
                    if (fields.length < 3) {
                        throw new IllegalArgumentException("expected: id start-ns end-ns [pid ...]");
                    }
                    long start = Long.parseLong(fields[1]);
                    long end = Long.parseLong(fields[2]);
                    if (end < start) {
                        throw new IllegalArgumentException("it ends before it starts");
                    }
                    // A stored .invocations file goes on with the function and status: ignored here.
                    int pid = fields.length >= 4 ? Integer.parseInt(fields[3]) : -1;
                    invocations.add(new Invocation(fields[0], start, end, pid));
                } catch (IllegalArgumentException e) {
                    String why = e instanceof NumberFormatException ? "expected whole numbers of nanoseconds (and a pid)"
                            : e.getMessage();
                    throw new dev.flint.cli.UserError(file + ":" + number + ": " + why + ": \"" + text + "\"");
                }
            }
        }
        return invocations;
    }
}
