package dev.flint.trace.model;

import java.util.Arrays;

/**
 * An open-addressing hash map from long keys to int values, for interning without boxing: stacks
 * by (parent, frame) on the parsing hot path, once per frame line, and tree nodes by (parent, name)
 * in the queries. Keys must not be {@link Long#MIN_VALUE}.
 */
public final class LongIntMap {

    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    public LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    /** The value of {@code key}, or -1. */
    public int get(long key) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    public void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(key);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The value of {@code key} if present; otherwise stores {@code value} and returns -1. */
    public int putIfAbsent(long key, int value) {
        int existing = get(key);
        if (existing < 0) {
            put(key, value);
        }
        return existing;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
