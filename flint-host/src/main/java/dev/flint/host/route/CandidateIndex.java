package dev.flint.host.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Narrows down which templates of a {@link RouteTable} can match a path, so that a request is
 * not compared with every route of a large app.
 *
 * <p>It looks at the first segment where the templates stop sharing literal text: segment 1 for
 * the usual {@code api/...} routes. A template with literal text there can only match a path with
 * that text there; it goes in that text's bucket. The others (a parameter there, or fewer
 * segments) can match any path and are in every bucket. Each bucket lists its templates in the
 * table's order. Looking a path up hashes that segment in place, without allocating; a segment
 * with escapes or non-ASCII characters falls back to all templates.
 */
final class CandidateIndex {

    private final int segment;
    private final int[] all;
    private final int[] unindexed;
    private final String[] keys; // an open-addressing hash table of lower-case ASCII literals
    private final int[][] buckets;

    private CandidateIndex(int segment, int[] all, int[] unindexed, String[] keys, int[][] buckets) {
        this.segment = segment;
        this.all = all;
        this.unindexed = unindexed;
        this.keys = keys;
        this.buckets = buckets;
    }

    /** {@code templates} in the order the table tries them. */
    static CandidateIndex of(List<RouteTemplate> templates) {
        int segment = firstDistinguishingSegment(templates);
        Map<String, List<Integer>> byLiteral = new LinkedHashMap<>();
        List<Integer> unindexed = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            String key = key(templates.get(i), segment);
            if (key == null) {
                unindexed.add(i);
            } else {
                byLiteral.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        int size = Integer.highestOneBit(Math.max(1, byLiteral.size()) * 2) * 2;
        String[] keys = new String[size];
        int[][] buckets = new int[size][];
        for (Map.Entry<String, List<Integer>> entry : byLiteral.entrySet()) {
            String key = entry.getKey();
            int slot = hash(key, 0, key.length()) & (size - 1);
            while (keys[slot] != null) {
                slot = (slot + 1) & (size - 1);
            }
            keys[slot] = key;
            List<Integer> bucket = new ArrayList<>(entry.getValue());
            bucket.addAll(unindexed);
            buckets[slot] = bucket.stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return new CandidateIndex(segment, IntStream.range(0, templates.size()).toArray(),
                unindexed.stream().mapToInt(Integer::intValue).toArray(), keys, buckets);
    }

    /** The indexes of the templates that can match {@code path}, ascending. */
    int[] candidates(String path) {
        int start = !path.isEmpty() && path.charAt(0) == '/' ? 1 : 0;
        int end = path.length();
        if (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        if (start >= end) {
            return unindexed;
        }
        for (int i = 0; i < segment; i++) {
            int slash = path.indexOf('/', start);
            if (slash < 0 || slash >= end) {
                return unindexed; // too few segments for any literal at the indexed one
            }
            start = slash + 1;
        }
        int slash = path.indexOf('/', start);
        int segmentEnd = slash < 0 || slash > end ? end : slash;
        for (int i = start; i < segmentEnd; i++) {
            char c = path.charAt(i);
            if (c == '%' || c >= 0x80) {
                return all;
            }
        }
        int mask = keys.length - 1;
        for (int slot = hash(path, start, segmentEnd) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            if (IgnoreCase.equalsRegion(keys[slot], path, start, segmentEnd)) {
                return buckets[slot];
            }
        }
        return unindexed;
    }

    /** The first segment index at which not all templates have the same literal text. */
    private static int firstDistinguishingSegment(List<RouteTemplate> templates) {
        for (int segment = 0; ; segment++) {
            String shared = null;
            for (RouteTemplate template : templates) {
                List<Segment> segments = template.segments();
                Literal literal = segment < segments.size() ? segments.get(segment).literal() : null;
                if (literal == null || (shared != null && !IgnoreCase.equals(shared, literal.text()))) {
                    return segment;
                }
                shared = literal.text();
            }
            if (shared == null) {
                return segment; // no templates
            }
        }
    }

    /** The bucket key of a template: its lower-cased ASCII literal at {@code segment}, or {@code null}. */
    private static String key(RouteTemplate template, int segment) {
        List<Segment> segments = template.segments();
        Literal literal = segment < segments.size() ? segments.get(segment).literal() : null;
        if (literal == null || !literal.text().chars().allMatch(c -> c < 0x80)) {
            return null;
        }
        StringBuilder key = new StringBuilder(literal.text().length());
        for (int i = 0; i < literal.text().length(); i++) {
            key.append(IgnoreCase.asciiLower(literal.text().charAt(i)));
        }
        return key.toString();
    }

    private static int hash(String s, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + IgnoreCase.asciiLower(s.charAt(i));
        }
        return hash ^ (hash >>> 16);
    }
}
