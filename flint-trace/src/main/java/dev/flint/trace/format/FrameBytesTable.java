package dev.flint.trace.format;

import java.util.Arrays;

/**
 * An open-addressing map from a frame as its input bytes, (class, name bytes, module bytes), to an
 * int: the hot path of the text parsers. A frame line costs one hash of its bytes and, on a hit,
 * one range comparison; Strings are made only on a miss, by the caller, for a frame never seen
 * before. The class keeps apart frames whose bytes are equal but whose meaning differs (a process
 * name and a function of the same name; {@code [unknown]} at a kernel and at a user address).
 *
 * <p>Keys are copied into one growing byte arena. Not thread-safe.
 */
final class FrameBytesTable {

    static final int MISSING = Integer.MIN_VALUE;

    private int[] slots;
    private int mask;
    private int size;

    private long[] hashes = new long[256];
    private int[] keyStarts = new int[256];
    private int[] nameLengths = new int[256];
    private int[] moduleLengths = new int[256];
    private int[] classes = new int[256];
    private int[] values = new int[256];
    private byte[] arena = new byte[16 * 1024];
    private int arenaSize;

    FrameBytesTable() {
        slots = new int[1024];
        mask = slots.length - 1;
    }

    static long hash(byte[] b, int nameFrom, int nameTo, int moduleFrom, int moduleTo, int cls) {
        return TextBytes.hash(b, moduleFrom, moduleTo, TextBytes.hash(b, nameFrom, nameTo, cls));
    }

    /** The value of this key, or {@link #MISSING}. */
    int get(byte[] b, int nameFrom, int nameTo, int moduleFrom, int moduleTo, int cls, long hash) {
        int i = (int) hash & mask;
        while (true) {
            int entry = slots[i] - 1;
            if (entry < 0) {
                return MISSING;
            }
            if (hashes[entry] == hash && classes[entry] == cls && matches(entry, b, nameFrom, nameTo, moduleFrom, moduleTo)) {
                return values[entry];
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds a key known to be absent (a {@link #get} just missed it). */
    void put(byte[] b, int nameFrom, int nameTo, int moduleFrom, int moduleTo, int cls, long hash, int value) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (size == hashes.length) {
            int n = size * 2;
            hashes = Arrays.copyOf(hashes, n);
            keyStarts = Arrays.copyOf(keyStarts, n);
            nameLengths = Arrays.copyOf(nameLengths, n);
            moduleLengths = Arrays.copyOf(moduleLengths, n);
            classes = Arrays.copyOf(classes, n);
            values = Arrays.copyOf(values, n);
        }
        int nameLength = nameTo - nameFrom;
        int moduleLength = moduleTo - moduleFrom;
        if (arenaSize + nameLength + moduleLength > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + nameLength + moduleLength));
        }
        int entry = size++;
        keyStarts[entry] = arenaSize;
        System.arraycopy(b, nameFrom, arena, arenaSize, nameLength);
        System.arraycopy(b, moduleFrom, arena, arenaSize + nameLength, moduleLength);
        arenaSize += nameLength + moduleLength;
        nameLengths[entry] = nameLength;
        moduleLengths[entry] = moduleLength;
        classes[entry] = cls;
        hashes[entry] = hash;
        values[entry] = value;
        insert(entry);
    }

    int size() {
        return size;
    }

    private boolean matches(int entry, byte[] b, int nameFrom, int nameTo, int moduleFrom, int moduleTo) {
        int k = keyStarts[entry];
        int nameLength = nameLengths[entry];
        int moduleLength = moduleLengths[entry];
        return nameLength == nameTo - nameFrom && moduleLength == moduleTo - moduleFrom
                && Arrays.equals(arena, k, k + nameLength, b, nameFrom, nameTo)
                && Arrays.equals(arena, k + nameLength, k + nameLength + moduleLength, b, moduleFrom, moduleTo);
    }

    private void insert(int entry) {
        int i = (int) hashes[entry] & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = entry + 1;
    }

    private void grow() {
        slots = new int[slots.length * 2];
        mask = slots.length - 1;
        for (int e = 0; e < size; e++) {
            insert(e);
        }
    }
}
