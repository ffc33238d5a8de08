package dev.flint.trace.format;

import static dev.flint.trace.format.TextBytes.allDigits;
import static dev.flint.trace.format.TextBytes.skipBlanks;
import static dev.flint.trace.format.TextBytes.tokenStart;
import static dev.flint.trace.format.TextBytes.trimEnd;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads folded ("collapsed") stacks, as {@code stackcollapse-perf.pl} and async-profiler's
 * {@code collapsed} output write them: one line per stack, {@code frame;frame;...;leaf count},
 * root first, the count being the last blank-separated token (frame names may contain spaces but
 * not {@code ;}). Each line is one row: time {@link SampleStore#NO_TIME}, pid, tid and cpu
 * {@link SampleStore#UNKNOWN}, event {@value #EVENT}, count and weight the line's count. Duplicate
 * lines (async-profiler writes them when frames differ only in compile type) are separate rows, so
 * every sum adds them up. Blank lines and lines starting with {@code #} are skipped; empty frames
 * ({@code a;;b}) add no level.
 *
 * <p><b>Kinds</b> come from the annotation suffixes, which are removed from the name: {@code _[k]}
 * kernel, {@code _[j]} JIT, {@code _[i]} inlined, {@code _[0]} interpreted, {@code _[1]} JIT (C1),
 * and {@code _[w]} (a waker stack in chain graphs) user. Frames without a suffix are
 * {@link FrameKind#USER}, the first one included: stackcollapse-perf.pl starts a stack with the
 * process name, async-profiler with a thread or a Java frame, and the file does not say which.
 * Modules are unknown ("").
 *
 * <p><b>Decisions.</b> Counts are whole numbers: a decimal count is rejected, since a row counts
 * samples. A count above 2^31-1 (stackcollapse-perf.pl sums perf periods, in ns) keeps its exact
 * value as the weight and is capped as the count. A first line with two trailing numbers
 * ({@code stack 12 15}) is a differential file ({@code difffolded.pl}), which is two profiles, not
 * one: it is rejected, with a message saying so. On a later line, a number before the count is
 * taken as the end of the leaf's name ({@code worker 5}).
 */
public final class FoldedParser {

    public static final String FORMAT = "folded";
    /** Folded stacks name no event; their rows count samples. */
    public static final String EVENT = "samples";

    private final String source;
    private final int bufferSize;
    private final TraceBuilder builder;
    private final FrameBytesTable frameTable = new FrameBytesTable();
    private int eventId;
    private boolean firstLine = true;

    /** Reads a whole folded-stacks text. The caller decompresses (gzip) and closes {@code in}. */
    public static Trace parse(InputStream in, String source) throws IOException, TraceFormatException {
        return new FoldedParser(source, PerfScriptParser.DEFAULT_BUFFER_BYTES).read(in);
    }

    /** Whether [from, to) looks like a folded line, {@code stack count}: how {@link TraceReader} detects the format. */
    static boolean isFoldedLine(byte[] b, int from, int to) {
        int s = skipBlanks(b, from, to);
        int e = trimEnd(b, s, to);
        int countStart = tokenStart(b, s, e);
        return countStart > s && isNumber(b, countStart, e);
    }

    /** @param bufferSize bytes read at a time; small values let tests cross every buffer boundary */
    FoldedParser(String source, int bufferSize) {
        this.source = source;
        this.bufferSize = bufferSize;
        this.builder = new TraceBuilder(FORMAT, source);
    }

    Trace read(InputStream in) throws IOException, TraceFormatException {
        eventId = builder.event(EVENT);
        TextLines lines = new TextLines(in, source, bufferSize);
        while (lines.next()) {
            line(lines);
        }
        return builder.build();
    }

    private void line(TextLines lines) throws TraceFormatException {
        byte[] b = lines.buf;
        int s = skipBlanks(b, lines.start, lines.end);
        int e = trimEnd(b, s, lines.end);
        if (s == e || b[s] == '#') {
            return;
        }
        int countStart = tokenStart(b, s, e);
        if (countStart == s || !isNumber(b, countStart, e)) {
            throw error(lines, "not a folded stack line (expected frame;frame;...;leaf count)");
        }
        if (!allDigits(b, countStart, e)) {
            throw error(lines, "a decimal count: folded stacks count samples, in whole numbers");
        }
        long count = TextBytes.parseDecimal(b, countStart, e, Long.MAX_VALUE);
        if (count < 0) {
            throw error(lines, "a count too large (above 2^63-1)");
        }
        int stackEnd = trimEnd(b, s, countStart);
        if (firstLine) {
            firstLine = false;
            int before = tokenStart(b, s, stackEnd);
            if (isNumber(b, before, stackEnd)) {
                throw error(lines, "a differential folded file (two counts per line, as difffolded.pl writes):"
                        + " read the two profiles it compares instead. If a frame name really ends in a"
                        + " number, put another line first");
            }
        }
        int stack = StackTable.ROOT;
        int frameStart = s;
        for (int i = s; i <= stackEnd; i++) {
            if (i == stackEnd || b[i] == ';') {
                if (i > frameStart) {
                    stack = builder.stack(stack, frame(b, frameStart, i));
                }
                frameStart = i + 1;
            }
        }
        if (stack == StackTable.ROOT) {
            throw error(lines, "a count without frames");
        }
        int rowCount = (int) Math.min(count, Integer.MAX_VALUE);
        builder.sample(SampleStore.NO_TIME, SampleStore.UNKNOWN, SampleStore.UNKNOWN, SampleStore.UNKNOWN, eventId,
                rowCount, count, stack, false);
    }

    /** The frame [from, to), its annotation suffix read and removed. */
    private int frame(byte[] b, int from, int to) {
        FrameKind kind = FrameKind.USER;
        int nameEnd = to;
        if (to - from > 4 && b[to - 4] == '_' && b[to - 3] == '[' && b[to - 1] == ']') {
            FrameKind suffixed = switch (b[to - 2]) {
                case 'k' -> FrameKind.KERNEL;
                case 'j', '1' -> FrameKind.JIT;
                case 'i' -> FrameKind.INLINED;
                case '0' -> FrameKind.INTERPRETED;
                case 'w' -> FrameKind.USER;
                default -> null;
            };
            if (suffixed != null) {
                kind = suffixed;
                nameEnd = to - 4;
            }
        }
        int cls = kind.ordinal();
        long hash = FrameBytesTable.hash(b, from, nameEnd, nameEnd, nameEnd, cls);
        int id = frameTable.get(b, from, nameEnd, nameEnd, nameEnd, cls, hash);
        if (id == FrameBytesTable.MISSING) {
            id = builder.frame(TextBytes.utf8(b, from, nameEnd), "", kind);
            frameTable.put(b, from, nameEnd, nameEnd, nameEnd, cls, hash, id);
        }
        return id;
    }

    /** {@code digits} or {@code digits.digits} */
    private static boolean isNumber(byte[] b, int from, int to) {
        int dot = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '.') {
                if (dot >= 0) {
                    return false;
                }
                dot = i;
            }
        }
        if (dot < 0) {
            return allDigits(b, from, to);
        }
        return allDigits(b, from, dot) && allDigits(b, dot + 1, to);
    }

    private TraceFormatException error(TextLines lines, String problem) {
        return new TraceFormatException(source, lines.number, lines.text(), problem);
    }
}
