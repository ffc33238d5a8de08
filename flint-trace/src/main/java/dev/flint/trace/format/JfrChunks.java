package dev.flint.trace.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the chunk headers of a JFR file before {@code jdk.jfr.consumer} parses it, for two reasons:
 * a clear message for a file that is not JFR or was cut short (a copy taken while the JVM was still
 * writing, a partial download), and the recording window, which the consumer API does not expose.
 *
 * <p>A JFR file is one or more chunks back to back (a JVM rotates chunks; {@code cat a.jfr b.jfr}
 * is also a valid file). Each chunk starts with a big-endian header: magic {@code FLR\0}, major and
 * minor version (2 bytes each), the chunk's size in bytes (8), the constant-pool and metadata
 * offsets (8 each), the chunk's start in epoch nanoseconds (8), its duration in nanoseconds (8), and
 * further fields this class does not need; 68 bytes in all.
 */
final class JfrChunks {

    static final int HEADER_SIZE = 68;
    private static final int MAGIC = 0x464C5200; // "FLR\0"

    /** One chunk header. Times are epoch nanoseconds, the clock of the events' start times. */
    record Chunk(long offset, long size, int major, int minor, long startNanos, long durationNanos) {
        long endNanos() {
            return startNanos + durationNanos;
        }
    }

    private JfrChunks() {}

    /**
     * The chunks of {@code file}, or a {@link TraceFormatException} saying why it is not a complete
     * JFR file. An {@link IOException} only when the file cannot be read at all.
     */
    static List<Chunk> scan(Path file, String source) throws IOException, TraceFormatException {
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length == 0) {
                throw failure(source, "not a JFR recording: the file is empty");
            }
            long offset = 0;
            while (offset < length) {
                header.clear();
                int read = readFully(channel, header, offset);
                int magic = read >= 4 ? header.getInt(0) : 0;
                if (read < 4 || magic != MAGIC) {
                    throw failure(source, chunks.isEmpty()
                            ? "not a JFR recording: the file does not start with the JFR magic bytes \"FLR\\0\""
                            : "corrupt JFR recording: " + (length - offset) + " bytes after chunk " + chunks.size()
                                    + " (from byte " + offset + ") are not a JFR chunk");
                }
                if (read < HEADER_SIZE) {
                    throw failure(source, "truncated JFR recording: chunk " + (chunks.size() + 1) + " at byte "
                            + offset + " has only " + read + " of the " + HEADER_SIZE + " bytes of its header");
                }
                int major = header.getShort(4) & 0xFFFF;
                int minor = header.getShort(6) & 0xFFFF;
                if (major < 1 || major > 2) {
                    throw failure(source, "unsupported JFR version " + major + "." + minor + " in chunk "
                            + (chunks.size() + 1) + " (1.x and 2.x are read)");
                }
                long size = header.getLong(8);
                if (size < HEADER_SIZE) {
                    throw failure(source, "corrupt or unfinished JFR recording: chunk " + (chunks.size() + 1)
                            + " at byte " + offset + " declares a size of " + size
                            + " bytes (a JVM still writing it, or a damaged file)");
                }
                if (size > length - offset) {
                    throw failure(source, "truncated JFR recording: chunk " + (chunks.size() + 1) + " at byte "
                            + offset + " declares " + size + " bytes but the file ends after " + (length - offset)
                            + " (copied while being written, or cut short)");
                }
                long constantPool = header.getLong(16);
                long metadata = header.getLong(24);
                if (constantPool < 0 || constantPool >= size || metadata < HEADER_SIZE || metadata >= size) {
                    throw failure(source, "corrupt JFR recording: chunk " + (chunks.size() + 1) + " at byte "
                            + offset + " points to its metadata or constants outside the chunk");
                }
                chunks.add(new Chunk(offset, size, major, minor, header.getLong(32), header.getLong(40)));
                offset += size;
            }
        }
        return chunks;
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static TraceFormatException failure(String source, String problem) {
        return new TraceFormatException(source, 0, null, problem);
    }
}
