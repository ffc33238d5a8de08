package dev.flint.host.route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a raw request path against a parsed template, as ASP.NET Core's
 * {@code RoutePatternMatcher} does. A first pass compares literal segments and counts segments
 * without allocating, so that the many templates a request does not match cost little; only a
 * template that passes it gets its values decoded, constrained and put in a map.
 *
 * <p>The path is split on {@code /} after dropping the leading {@code /} and one trailing
 * {@code /}. Each segment is percent-decoded by {@link PathDecoder}; an encoded slash stays
 * {@code %2F} inside its segment. A catch-all takes the rest of the path as sent, separators and
 * any trailing {@code /} included, decoded the same way.
 */
final class TemplateMatcher {

    private final Segment[] segments; // an array, so that the per-request loops allocate no iterator
    private final int parameterCount;

    TemplateMatcher(List<Segment> segments) {
        this.segments = segments.toArray(Segment[]::new);
        this.parameterCount = (int) segments.stream().flatMap(s -> s.parts().stream())
                .filter(p -> p instanceof Parameter).count();
    }

    /** The route values, or {@code null} when the path does not match. */
    Map<String, String> match(String path) {
        int start = !path.isEmpty() && path.charAt(0) == '/' ? 1 : 0;
        int end = path.length();
        if (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return fits(path, start, end) ? extract(path, start, end) : null;
    }

    /** The first pass: literal segments, segment count, and values present where needed. */
    private boolean fits(String path, int start, int end) {
        int position = start < end ? start : -1; // start of the current path segment; -1 when none left
        for (int i = 0; i < segments.length; i++) {
            Segment segment = segments[i];
            if (position < 0) {
                if (!segment.canBeOmitted()) {
                    return false;
                }
                continue;
            }
            Parameter parameter = segment.parameter();
            if (parameter != null && parameter.isCatchAll()) {
                return true;
            }
            int segmentEnd = segmentEnd(path, position, end);
            Literal literal = segment.literal();
            if (literal != null) {
                if (!literalMatches(literal.text(), path, position, segmentEnd)) {
                    return false;
                }
            } else if (position == segmentEnd && (parameter == null || !parameter.canBeOmitted())) {
                return false; // an empty segment ("a//b") gives no value
            }
            position = segmentEnd < end ? segmentEnd + 1 : -1;
        }
        return position < 0;
    }

    /** The second pass, for a path that {@link #fits}: decode, check constraints, collect values. */
    private Map<String, String> extract(String path, int start, int end) {
        if (parameterCount == 0) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>(parameterCount * 2);
        int position = start < end ? start : -1;
        for (int i = 0; i < segments.length; i++) {
            Segment segment = segments[i];
            int segmentEnd = position < 0 ? -1 : segmentEnd(path, position, end);
            Parameter parameter = segment.parameter();
            if (parameter != null) {
                String value;
                if (parameter.isCatchAll()) {
                    value = position < 0 ? "" : PathDecoder.decode(path, position, path.length());
                    segmentEnd = end;
                } else {
                    value = position < 0 ? "" : PathDecoder.decode(path, position, segmentEnd);
                }
                if (!putValue(values, parameter, value)) {
                    return null;
                }
            } else if (segment.literal() == null && !putComplexValues(values, segment.parts(),
                    PathDecoder.decode(path, position, segmentEnd))) {
                return null;
            }
            position = position < 0 || segmentEnd >= end ? -1 : segmentEnd + 1;
        }
        return Collections.unmodifiableMap(values);
    }

    /** Puts the value of a one-parameter segment; an empty value means the request left it out. */
    private static boolean putValue(Map<String, String> values, Parameter parameter, String value) {
        if (!value.isEmpty()) {
            if (!parameter.accepts(value)) {
                return false;
            }
            values.put(parameter.name(), value);
        } else if (parameter.defaultValue() != null) {
            if (!parameter.defaultAccepted()) {
                return false;
            }
            values.put(parameter.name(), parameter.defaultValue());
        } else if (parameter.isOptional() || (parameter.isCatchAll() && parameter.acceptsAbsent())) {
            values.put(parameter.name(), null);
        } else {
            return false;
        }
        return true;
    }

    private static boolean putComplexValues(Map<String, String> values, List<Part> parts, String segment) {
        String[] matched = ComplexSegmentMatcher.match(parts, segment);
        if (matched == null) {
            return false;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Parameter parameter) {
                String value = matched[i];
                if (value != null && !parameter.accepts(value)) {
                    return false;
                }
                values.put(parameter.name(), value);
            }
        }
        return true;
    }

    private static int segmentEnd(String path, int position, int end) {
        int slash = path.indexOf('/', position);
        return slash < 0 || slash > end ? end : slash;
    }

    /** Literal text against a path segment, decoding the segment only when it has escapes. */
    private static boolean literalMatches(String literal, String path, int from, int to) {
        int percent = path.indexOf('%', from);
        if (percent >= 0 && percent < to) {
            return IgnoreCase.equals(literal, PathDecoder.decode(path, from, to));
        }
        return IgnoreCase.equalsRegion(literal, path, from, to);
    }
}
