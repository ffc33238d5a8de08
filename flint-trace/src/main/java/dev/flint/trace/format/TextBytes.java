package dev.flint.trace.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level helpers for the text parsers, which read ASCII structure straight from their input
 * buffers instead of making a String per line. Names, modules and messages are decoded as UTF-8
 * only when a String is really needed (a frame seen for the first time, an error).
 */
final class TextBytes {

    /** Reads 8 bytes at any offset as one little-endian long: the unit of {@link #indexOf} and {@link #hash}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /**
     * Hex digits by byte value. A table lookup is small enough for C1, the JIT tier that runs a
     * cold parse, to inline at every use (a compare chain is not).
     */
    private static final boolean[] HEX = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            HEX[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
    }

    private TextBytes() {}

    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHex(byte c) {
        return HEX[c & 0xFF];
    }

    /** The first index in [from, to) that is not a space or a tab; {@code to} if none. */
    static int skipBlanks(byte[] b, int from, int to) {
        while (from < to && isBlank(b[from])) {
            from++;
        }
        return from;
    }

    /** The end of [from, to) without its trailing spaces and tabs. */
    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && isBlank(b[to - 1])) {
            to--;
        }
        return to;
    }

    /** The first index in [from, to) that is a space or a tab; {@code to} if none. */
    static int tokenEnd(byte[] b, int from, int to) {
        while (from < to && !isBlank(b[from])) {
            from++;
        }
        return from;
    }

    /** The start of the token that ends at {@code to} (exclusive), not before {@code from}. */
    static int tokenStart(byte[] b, int from, int to) {
        while (to > from && !isBlank(b[to - 1])) {
            to--;
        }
        return to;
    }

    static boolean allDigits(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean allHex(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isHex(b[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] b, int from, int to, String ascii) {
        int n = ascii.length();
        if (to - from < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unsigned decimal [from, to) as a long, or -1 when it is empty, not all digits, or above
     * {@code max}.
     */
    static long parseDecimal(byte[] b, int from, int to, long max) {
        if (from >= to || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v > max || v < 0) {
                return -1;
            }
        }
        return v;
    }

    /**
     * The index of the first {@code c} in [from, to), or -1. Eight bytes a step: newline search is
     * the one pass that touches every byte of the input.
     */
    static int indexOf(byte[] b, int from, int to, byte c) {
        long pattern = ONES * (c & 0xFF);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i) ^ pattern;
            long zeroBytes = (w - ONES) & ~w & HIGHS;
            if (zeroBytes != 0) {
                return i + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** A hash of [from, to), eight bytes a step, seeded so that two ranges can be chained. */
    static long hash(byte[] b, int from, int to, long seed) {
        long h = (seed ^ (to - from)) * MIX;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * MIX), 29) * 0xBF58476D1CE4E5B9L;
        }
        if (i < to) {
            long w = 0;
            for (int k = to - 1; k >= i; k--) {
                w = (w << 8) | (b[k] & 0xFF);
            }
            h = Long.rotateLeft(h ^ (w * MIX), 29) * 0xBF58476D1CE4E5B9L;
        }
        return h ^ (h >>> 31);
    }

    static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
