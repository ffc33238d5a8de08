package dev.flint.trace.query;

import java.util.Arrays;

/**
 * Open addressing from a long key to an int value, for keying tree nodes by (parent, name) without
 * boxing. Keys must not be {@link Long#MIN_VALUE}.
 */
final class LongIntHash {

    private static final long FREE = Long.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int size;

    LongIntHash(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1; // load <= 1/2
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, FREE);
    }

    /** The value of {@code key} if present; otherwise stores {@code value} and returns -1. */
    int putIfAbsent(long key, int value) {
        int mask = keys.length - 1;
        int i = spread(key) & mask;
        while (keys[i] != FREE) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return -1;
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) ^ (int) h;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, FREE);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != FREE) {
                int i = spread(oldKeys[j]) & mask;
                while (keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
