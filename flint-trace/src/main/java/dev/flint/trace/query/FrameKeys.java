package dev.flint.trace.query;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The flame-graph merge key of each frame. The frame table interns (name, module, kind), but a flame
 * graph merges siblings by (name, kind), as FlameScope matches children by (name, libtype): the
 * same function reached through two copies of a library, or {@code [unknown]} in two DSOs, is one
 * box. Computed once per frame table (a pass over its strings) and cached, so that queries stay
 * passes over ints.
 */
final class FrameKeys {

    /**
     * @param canonical  per frame, the smallest frame id with the same name and kind
     * @param duplicated per frame, whether another frame has the same name and kind
     */
    record Keys(int[] canonical, boolean[] duplicated) {}

    /** Marks a table in which no two frames share a (name, kind). */
    private static final Keys DISTINCT = new Keys(new int[0], new boolean[0]);

    private static final Map<FrameTable, Keys> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private FrameKeys() {}

    /** The merge keys of a table; null when every frame is its own (the common case, and the fast path). */
    static Keys of(FrameTable frames) {
        Keys keys = CACHE.computeIfAbsent(frames, FrameKeys::compute);
        return keys == DISTINCT ? null : keys;
    }

    private static Keys compute(FrameTable frames) {
        int n = frames.size();
        List<Map<String, Integer>> byKind = new ArrayList<>();
        for (int k = 0; k < FrameKind.values().length; k++) {
            byKind.add(new HashMap<>());
        }
        int[] canonical = new int[n];
        boolean distinct = true;
        for (int f = 0; f < n; f++) {
            int kind = frames.kind(f).ordinal();
            Integer first = byKind.get(kind).putIfAbsent(frames.name(f), f);
            canonical[f] = first == null ? f : first;
            distinct &= first == null;
        }
        if (distinct) {
            return DISTINCT;
        }
        boolean[] duplicated = new boolean[n];
        for (int f = 0; f < n; f++) {
            if (canonical[f] != f) {
                duplicated[f] = true;
                duplicated[canonical[f]] = true;
            }
        }
        return new Keys(canonical, duplicated);
    }
}
