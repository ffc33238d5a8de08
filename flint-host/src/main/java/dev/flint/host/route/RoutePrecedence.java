package dev.flint.host.route;

import java.util.Arrays;
import java.util.List;

/**
 * How specific a template is, after ASP.NET Core's {@code RoutePrecedence.ComputeInbound}: one
 * digit per segment, lower meaning more specific.
 * <ol>
 *   <li>literal text, as in {@code products};</li>
 *   <li>a parameter with constraints, as in {@code {id:int}}, or a segment of several parts, as in {@code {name}.{ext}};</li>
 *   <li>a parameter without constraints, optional or not, as in {@code {name}};</li>
 *   <li>a catch-all with constraints;</li>
 *   <li>a catch-all, as in {@code {*rest}}.</li>
 * </ol>
 * Templates compare digit by digit from the left; when one is a prefix of the other, the shorter
 * one comes first (so {@code api/items} is tried before {@code api/items/{id?}}).
 */
final class RoutePrecedence {

    private RoutePrecedence() {
    }

    static byte[] of(List<Segment> segments) {
        byte[] digits = new byte[segments.size()];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = digit(segments.get(i));
        }
        return digits;
    }

    /** Negative when {@code a} is more specific than {@code b}, so should be tried first. */
    static int compare(byte[] a, byte[] b) {
        return Arrays.compare(a, b);
    }

    private static byte digit(Segment segment) {
        if (!segment.isSimple()) {
            return 2;
        }
        Parameter parameter = segment.parameter();
        if (parameter == null) {
            return 1;
        }
        int digit = parameter.isCatchAll() ? 5 : 3;
        return (byte) (parameter.hasConstraints() ? digit - 1 : digit);
    }
}
