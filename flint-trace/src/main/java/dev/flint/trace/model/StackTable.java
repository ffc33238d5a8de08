package dev.flint.trace.model;

import java.util.Arrays;

/**
 * Every distinct call path of a trace, as a tree: a stack is its parent stack plus one frame, so a
 * stack id is also a node of the calling-context tree. A root stack has parent {@link #ROOT}.
 * A parent's id is always smaller than its children's: one backwards pass over the ids visits every
 * child before its parent, which is how totals are summed. Immutable.
 */
public final class StackTable {

    /** The parent of a root stack. */
    public static final int ROOT = -1;

    private final int[] parents;
    private final int[] frames;
    private final int[] depths;

    StackTable(int[] parents, int[] frames, int size) {
        this.parents = Arrays.copyOf(parents, size);
        this.frames = Arrays.copyOf(frames, size);
        this.depths = new int[size];
        for (int i = 0; i < size; i++) {
            depths[i] = this.parents[i] == ROOT ? 0 : depths[this.parents[i]] + 1;
        }
    }

    public int size() {
        return parents.length;
    }

    public int parent(int stack) {
        return parents[stack];
    }

    /** The frame at the top (leaf end) of this stack. */
    public int frame(int stack) {
        return frames[stack];
    }

    /** 0 for a root stack. */
    public int depth(int stack) {
        return depths[stack];
    }

    /** The frames of a stack, root first. */
    public int[] framesRootFirst(int stack) {
        int[] path = new int[depths[stack] + 1];
        for (int s = stack, i = path.length - 1; s != ROOT; s = parents[s], i--) {
            path[i] = frames[s];
        }
        return path;
    }
}
