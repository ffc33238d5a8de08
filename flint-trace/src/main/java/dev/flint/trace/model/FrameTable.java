package dev.flint.trace.model;

import java.util.Arrays;

/**
 * Every distinct frame of a trace: its name (as the profiler wrote it, offsets removed), its module
 * (the DSO, or "" when unknown) and its kind. A frame is an int id; stacks refer to frames by id.
 * Immutable.
 */
public final class FrameTable {

    private final String[] names;
    private final String[] modules;
    private final byte[] kinds;

    FrameTable(String[] names, String[] modules, byte[] kinds, int size) {
        this.names = Arrays.copyOf(names, size);
        this.modules = Arrays.copyOf(modules, size);
        this.kinds = Arrays.copyOf(kinds, size);
    }

    public int size() {
        return names.length;
    }

    public String name(int frame) {
        return names[frame];
    }

    /** The frame's module (DSO path, or the JVM for Java frames); "" when unknown. */
    public String module(int frame) {
        return modules[frame];
    }

    public FrameKind kind(int frame) {
        return FrameKind.of(kinds[frame]);
    }
}
