package dev.flint.host.route;

import java.util.List;

/**
 * Matches a segment that mixes literals and parameters, such as {@code {name}.{ext}}, with ASP.NET
 * Core's algorithm ({@code RoutePatternMatcher.MatchComplexSegment}): from the right, each literal
 * is found at its last occurrence, and the text between literals goes to the parameters. So
 * {@code {name}.{ext}} splits {@code my.file.txt} into {@code my.file} and {@code txt}. There is
 * no backtracking, and no parameter may be empty.
 *
 * <p>A trailing optional parameter after a {@code .}, as in {@code {name}.{ext?}}, may be left
 * out together with its dot.
 */
final class ComplexSegmentMatcher {

    private ComplexSegmentMatcher() {
    }

    /**
     * Matches {@code parts} against the decoded {@code segment}. Returns one value per part,
     * {@code null} for literals and for a left-out optional parameter, or {@code null} when the
     * segment does not match.
     */
    static String[] match(List<Part> parts, String segment) {
        int last = parts.size() - 1;
        if (parts.get(last) instanceof Parameter parameter && parameter.isOptional()) {
            String[] values = matchFrom(parts, segment, last);
            if (values != null) {
                return values;
            }
            String separator = ((Literal) parts.get(last - 1)).text();
            if (IgnoreCase.endsWith(segment, separator)) {
                return null; // "name." has a dot but no extension
            }
            return matchFrom(parts, segment, last - 2);
        }
        return matchFrom(parts, segment, last);
    }

    /** Matches {@code parts[0..lastUsed]} against the whole segment. */
    private static String[] matchFrom(List<Part> parts, String segment, int lastUsed) {
        String[] values = new String[parts.size()];
        int lastIndex = segment.length();
        int pendingParameter = -1; // a parameter waiting for the literal on its left
        Literal lastLiteral = null;
        for (int index = lastUsed; index >= 0; index--) {
            Part part = parts.get(index);
            int newLastIndex = lastIndex;
            if (part instanceof Literal literal) {
                lastLiteral = literal;
                int searchEnd = pendingParameter >= 0 ? lastIndex - 1 : lastIndex; // leave the parameter a character
                if (searchEnd <= 0) {
                    return null;
                }
                int found = IgnoreCase.lastIndexOf(segment, literal.text(), searchEnd);
                if (found < 0) {
                    return null;
                }
                // The rightmost part, if literal, must end the segment ("Foo" must not match "somethingFoo").
                if (index == parts.size() - 1 && found + literal.text().length() != segment.length()) {
                    return null;
                }
                newLastIndex = found;
            } else {
                pendingParameter = index;
            }
            if (pendingParameter >= 0 && ((lastLiteral != null && part instanceof Literal) || index == 0)) {
                int start;
                if (lastLiteral == null || part instanceof Parameter) {
                    start = 0;
                } else {
                    start = newLastIndex + lastLiteral.text().length();
                }
                if (lastIndex - start <= 0) {
                    return null;
                }
                values[pendingParameter] = segment.substring(start, lastIndex);
                pendingParameter = -1;
                lastLiteral = null;
            }
            lastIndex = newLastIndex;
        }
        // A literal on the far left must reach the start of the segment.
        return lastIndex == 0 || parts.get(0) instanceof Parameter ? values : null;
    }
}
