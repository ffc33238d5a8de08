package dev.flint.trace.format;

import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a text input, read in large chunks into one reused buffer: a line is a range
 * [{@link #start}, {@link #end}) of {@link #buf}, without its {@code \n} or {@code \r\n}. Nothing
 * is copied per line and the whole input is never held: memory is the buffer, which grows only
 * for a line longer than it (up to {@link #MAX_LINE_BYTES}). A UTF-8 byte order mark is skipped.
 * The last line may lack its newline.
 *
 * <p>The range stays valid until the next {@link #next()}; whatever must outlive the line (a
 * frame name seen for the first time) is copied out by the caller.
 */
final class TextLines {

    /** A longer line is not text a profiler wrote (binary data, a file without newlines). */
    static final int MAX_LINE_BYTES = 4 << 20;

    private final InputStream in;
    private final String source;
    byte[] buf;
    private int pos;
    private int limit;
    private int scanned;
    private boolean eof;
    private boolean started;

    /** The current line. */
    int start;
    int end;
    /** 1-based number of the current line. */
    long number;

    TextLines(InputStream in, String source, int bufferSize) {
        this.in = in;
        this.source = source;
        this.buf = new byte[Math.max(16, bufferSize)];
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException, TraceFormatException {
        while (true) {
            int nl = TextBytes.indexOf(buf, scanned, limit, (byte) '\n');
            if (nl >= 0) {
                setLine(pos, nl);
                pos = nl + 1;
                scanned = pos;
                return true;
            }
            scanned = limit;
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    /** The current line as text, for messages. */
    String text() {
        return TextBytes.utf8(buf, start, end);
    }

    private void setLine(int from, int to) {
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        start = from;
        end = to;
        number++;
    }

    private void fill() throws IOException, TraceFormatException {
        if (pos > 0) {
            int kept = limit - pos;
            System.arraycopy(buf, pos, buf, 0, kept);
            scanned -= pos;
            limit = kept;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
                throw new TraceFormatException(source, number + 1, TextBytes.utf8(buf, 0, 200),
                        "line " + (number + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
                                + " MiB: not a text profile (binary data?)");
            }
            byte[] bigger = new byte[Math.min(MAX_LINE_BYTES, buf.length * 2)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        if (!started && (limit >= 3 || eof)) {
            started = true;
            if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
                pos = 3;
                scanned = 3;
            }
        }
    }
}
