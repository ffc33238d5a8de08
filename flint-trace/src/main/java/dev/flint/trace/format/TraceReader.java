package dev.flint.trace.format;

import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a trace in any format Flint knows, detected by content, never by file name:
 * <ul>
 *   <li>gzip (magic {@code 1f 8b}): decompressed as it is read, and detected again inside;</li>
 *   <li>JFR (magic {@code FLR\0}): {@link JfrReader}, which needs a file: a stream is spooled to a
 *       temporary file first;</li>
 *   <li>{@code perf script} text ({@link PerfScriptParser}): the first line that is neither blank
 *       nor a {@code #} comment is an event line;</li>
 *   <li>folded stacks ({@link FoldedParser}): that line is {@code stack count}.</li>
 * </ul>
 * Anything else is a {@link TraceFormatException} naming that first line and its number; an empty
 * input, or one with only comments, is one too. Detection reads at most {@value #SNIFF_BYTES} bytes
 * ahead, and the text formats are then parsed as a stream.
 */
public final class TraceReader {

    static final int SNIFF_BYTES = 1 << 20;
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_GZIP_DEPTH = 2;
    private static final String EXPECTED =
            "expected perf script text, folded stacks or a JFR recording, optionally gzipped";

    private TraceReader() {}

    public static Trace read(Path file) throws IOException, TraceFormatException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (isJfr(head)) {
            return JfrReader.read(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads {@code in} to its end; the caller closes it. {@code sourceName} names the input in messages. */
    public static Trace read(InputStream in, String sourceName) throws IOException, TraceFormatException {
        return read(in, sourceName, Long.MAX_VALUE);
    }

    /**
     * {@link #read(InputStream, String)}, reading at most {@code maxExpandedBytes} out of each gzip
     * layer: past it, {@link ExpandedTooLargeException}.
     */
    public static Trace read(InputStream in, String sourceName, long maxExpandedBytes) throws IOException, TraceFormatException {
        PushbackInputStream pushback = new PushbackInputStream(in, 4);
        return read(pushback, sourceName, peek(pushback, sourceName), 0, maxExpandedBytes);
    }

    private static Trace read(PushbackInputStream in, String source, byte[] head, int gzipDepth, long maxExpandedBytes)
            throws IOException, TraceFormatException {
        if (head.length == 0) {
            throw new TraceFormatException(source, 0, null, (gzipDepth > 0 ? "empty gzip content: " : "empty input: ")
                    + EXPECTED);
        }
        if (isGzip(head)) {
            if (gzipDepth == MAX_GZIP_DEPTH) {
                throw new TraceFormatException(source, 0, null, "gzip nested " + (MAX_GZIP_DEPTH + 1) + " deep");
            }
            GZIPInputStream gzip;
            try {
                gzip = new GZIPInputStream(in, GZIP_BUFFER_BYTES);
            } catch (ZipException | EOFException e) {
                throw corruptGzip(source, e);
            }
            try {
                PushbackInputStream inner = new PushbackInputStream(
                        new ExpansionLimit(new GzipErrors(gzip), maxExpandedBytes, source), 4);
                return read(inner, source, peek(inner, source), gzipDepth + 1, maxExpandedBytes);
            } catch (CorruptGzip e) {
                throw corruptGzip(source, (IOException) e.getCause());
            }
        }
        if (isJfr(head)) {
            return spooledJfr(in, source);
        }
        if (isUtf16(head)) {
            throw new TraceFormatException(source, 0, null, "UTF-16 text: Flint reads UTF-8 or ASCII text"
                    + " (a Windows redirect? convert it, e.g. with iconv -f UTF-16 -t UTF-8)");
        }
        return text(in, source);
    }

    /** Reads ahead to the first data line, decides the format, and parses from the start. */
    private static Trace text(InputStream in, String source) throws IOException, TraceFormatException {
        byte[] buf = new byte[64 * 1024];
        int n = 0;
        int lineStart = 0;
        long lineNumber = 0;
        boolean comments = false;
        boolean eof = false;
        while (true) {
            int nl = TextBytes.indexOf(buf, lineStart, n, (byte) '\n');
            if (nl < 0 && !eof) {
                if (n == buf.length) {
                    if (n >= SNIFF_BYTES) {
                        throw new TraceFormatException(source, lineNumber + 1, TextBytes.utf8(buf, lineStart,
                                Math.min(n, lineStart + 200)), "no complete line in the first "
                                + (SNIFF_BYTES >> 20) + " MiB: not a text profile; " + EXPECTED);
                    }
                    buf = Arrays.copyOf(buf, Math.min(SNIFF_BYTES, buf.length * 4));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    eof = true;
                } else {
                    n += r;
                }
                continue;
            }
            if (nl < 0 && lineStart == n) {
                throw comments
                        ? TraceFormatException.noSamples(source, "no samples: only comments (a perf script header without samples?)")
                        : new TraceFormatException(source, 0, null, "empty input: only blank lines; " + EXPECTED);
            }
            int end = nl < 0 ? n : nl;
            int s = lineStart;
            lineNumber++;
            if (lineNumber == 1 && end - s >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB
                    && (buf[2] & 0xFF) == 0xBF) {
                s += 3;
            }
            int e = end > s && buf[end - 1] == '\r' ? end - 1 : end;
            lineStart = nl < 0 ? n : nl + 1;
            int first = TextBytes.skipBlanks(buf, s, e);
            if (first == e) {
                continue;
            }
            if (buf[s] == '#') {
                comments = true;
                continue;
            }
            InputStream whole = new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), in);
            if (PerfScriptParser.isEventLine(buf, s, e)) {
                return PerfScriptParser.parse(whole, source);
            }
            if (FoldedParser.isFoldedLine(buf, s, e)) {
                return FoldedParser.parse(whole, source);
            }
            throw new TraceFormatException(source, lineNumber, TextBytes.utf8(buf, s, e),
                    "not a trace Flint can read: the first line is neither a perf script event line (comm [pid/]tid"
                            + " [cpu] time: [period] event:) nor a folded stack (frame;frame;... count); "
                            + EXPECTED);
        }
    }

    private static Trace spooledJfr(InputStream in, String source) throws IOException, TraceFormatException {
        Path tmp = Files.createTempFile("flint-", ".jfr");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return JfrReader.read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Up to 4 bytes from the start of {@code in}, pushed back. */
    private static byte[] peek(PushbackInputStream in, String source) throws IOException, TraceFormatException {
        byte[] head;
        try {
            head = in.readNBytes(4);
        } catch (CorruptGzip e) {
            throw corruptGzip(source, (IOException) e.getCause());
        }
        in.unread(head);
        return head;
    }

    private static TraceFormatException corruptGzip(String source, IOException e) {
        return new TraceFormatException(source, 0, null, "corrupt or truncated gzip data (" + e.getMessage() + ")");
    }

    /** A UTF-16 byte order mark, or ASCII text with a zero byte beside each character. */
    private static boolean isUtf16(byte[] h) {
        if (h.length < 2) {
            return false;
        }
        int b0 = h[0] & 0xFF;
        int b1 = h[1] & 0xFF;
        if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
            return true;
        }
        return h.length == 4 && ((b0 != 0 && b1 == 0 && h[2] != 0 && h[3] == 0) || (b0 == 0 && b1 != 0 && h[2] == 0
                && h[3] != 0));
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    }

    private static boolean isJfr(byte[] head) {
        return head.length == 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0;
    }

    /** Counts what comes out of a gzip layer, and stops it past the limit. */
    private static final class ExpansionLimit extends FilterInputStream {
        private final long limit;
        private final String source;
        private long read;

        ExpansionLimit(InputStream in, long limit, String source) {
            super(in);
            this.limit = limit;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws ExpandedTooLargeException {
            read += n;
            if (read > limit) {
                throw new ExpandedTooLargeException(source, limit);
            }
        }
    }

    /** A gzip stream's own errors, told apart from those of the input below it. */
    private static final class CorruptGzip extends IOException {
        CorruptGzip(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final class GzipErrors extends FilterInputStream {
        GzipErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw new CorruptGzip(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw new CorruptGzip(e);
            }
        }
    }
}
