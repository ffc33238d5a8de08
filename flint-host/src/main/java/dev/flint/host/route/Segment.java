package dev.flint.host.route;

import java.util.List;

/**
 * One {@code /}-separated segment of a template. A simple segment has a single part; a complex
 * one, such as {@code {name}.{ext?}}, mixes literals and parameters and is matched by
 * {@link ComplexSegmentMatcher}.
 *
 * @param parts        the parts, left to right
 * @param position     1-based character position of the segment in the template
 */
record Segment(List<Part> parts, int position) {

    Segment {
        parts = List.copyOf(parts);
    }

    boolean isSimple() {
        return parts.size() == 1;
    }

    /** The literal when this segment is nothing but literal text, otherwise {@code null}. */
    Literal literal() {
        return isSimple() && parts.get(0) instanceof Literal literal ? literal : null;
    }

    /** The parameter when this segment is nothing but one parameter, otherwise {@code null}. */
    Parameter parameter() {
        return isSimple() && parts.get(0) instanceof Parameter parameter ? parameter : null;
    }

    /** Whether a request path may end before this segment. */
    boolean canBeOmitted() {
        Parameter parameter = parameter();
        return parameter != null && parameter.canBeOmitted();
    }
}
