package dev.flint.host.traces;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.query.Invocation;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One invocation as the host stamped it, stored beside a trace: a span on the trace's clock
 * ({@code System.nanoTime()}, which is {@code perf record -k mono}'s), the handler process, the
 * function and how it ended. In a {@code <id>.invocations} file it is one line,
 * {@code id start-ns end-ns pid function status}, with pid {@code -1} and {@code -} for what is
 * not known; the reader also takes {@code flint trace --invocations} lines, {@code id start-ns end-ns [pid]}.
 *
 * <p>Whitespace in the id, function or status would break the line format, so it becomes {@code _};
 * an empty function or status is {@code -}.
 *
 * @param pid the handler process, or {@link SampleStore#UNKNOWN}
 */
public record InvocationMark(String id, long startNanos, long endNanos, int pid, String function, String status) {

    public static final String UNKNOWN = "-";

    /** The first line of a marks file: a comment, which every reader (and {@code flint trace --invocations}) skips. */
    public static final String HEADER = "# id start-ns end-ns pid function status"
            + " (times: CLOCK_MONOTONIC ns = System.nanoTime() = perf record -k mono)";

    private static final Pattern SPACE = Pattern.compile("[\\s\\p{Cntrl}]+");

    public InvocationMark {
        Objects.requireNonNull(id, "id");
        id = token(id);
        function = function == null ? UNKNOWN : token(function);
        status = status == null ? UNKNOWN : token(status);
        if (id.equals(UNKNOWN)) {
            throw new IllegalArgumentException("an invocation needs an id");
        }
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("invocation " + id + " ends (" + endNanos + " ns) before it starts ("
                    + startNanos + " ns)");
        }
        if (pid < SampleStore.UNKNOWN) {
            throw new IllegalArgumentException("invocation " + id + ": pid must be >= 0, or -1 when not known");
        }
    }

    /** The mark as the trace engine's invocation, for filters and invocation heat maps. */
    public Invocation toInvocation() {
        return new Invocation(id, startNanos, endNanos, pid);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** The mark's line, without the line end. */
    public String line() {
        return id + ' ' + startNanos + ' ' + endNanos + ' ' + pid + ' ' + function + ' ' + status;
    }

    /**
     * Writes the marks to a new file (replacing one that is there): {@link #HEADER}, then one mark a
     * line. The first four fields are what {@code flint trace --invocations} reads; pid -1 means any process.
     */
    public static void write(Collection<InvocationMark> marks, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (InvocationMark mark : marks) {
                out.write(mark.line());
                out.write('\n');
            }
        }
    }

    /**
     * The marks of a file; blank lines and {@code #} comments are skipped.
     *
     * @param shownName what messages call the file (never a server path)
     * @throws IOException when a line is not a mark, naming the file, the line number and the line
     */
    public static List<InvocationMark> read(Path file, String shownName) throws IOException {
        List<InvocationMark> marks = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                marks.add(parse(text, shownName + ":" + number));
            }
        }
        return marks;
    }

    /** One line; {@code where} names it in the message when it is not a mark. */
    static InvocationMark parse(String text, String where) throws IOException {
        String[] f = SPACE.split(text.strip());
        try {
            if (f.length < 3 || f.length > 6) {
                throw new IllegalArgumentException("expected: id start-ns end-ns [pid [function [status]]]");
            }
            int pid = f.length > 3 ? Integer.parseInt(f[3]) : SampleStore.UNKNOWN;
            return new InvocationMark(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), pid,
                    f.length > 4 ? f[4] : UNKNOWN, f.length > 5 ? f[5] : UNKNOWN);
        } catch (IllegalArgumentException e) {
            String why = e instanceof NumberFormatException ? "expected whole numbers of nanoseconds and a pid"
                    : e.getMessage();
            throw new IOException(where + ": " + why + ": \"" + TraceLabels.printable(text) + "\"");
        }
    }

    private static String token(String text) {
        String t = SPACE.matcher(text.strip()).replaceAll("_");
        return t.isEmpty() ? UNKNOWN : t;
    }
}
