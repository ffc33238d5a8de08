package dev.flint.host.invoke.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A raw query string parsed as ASP.NET Core parses it ({@code QueryHelpers.ParseNullableQuery}):
 * split on {@code &}, then on the first {@code =}; {@code +} is a space; names are grouped
 * case-insensitively under the first spelling seen, and the values of a repeated name are joined with
 * commas, which is how {@code StringValues.ToString()} reaches the handler (§5.2).
 */
final class QueryParameters {

    private QueryParameters() {}

    /** The parameters in order of first appearance; empty for a null or empty query. */
    static List<Map.Entry<String, String>> parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(4);
        List<String> values = new ArrayList<>(4);
        int start = rawQuery.charAt(0) == '?' ? 1 : 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                boolean hasValue = equals >= 0 && equals < end;
                String name = decode(rawQuery, start, hasValue ? equals : end);
                String value = hasValue ? decode(rawQuery, equals + 1, end) : "";
                add(names, values, name, value);
            }
            start = end + 1;
        }
        List<Map.Entry<String, String>> parameters = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            parameters.add(Map.entry(names.get(i), values.get(i)));
        }
        return parameters;
    }

    private static void add(List<String> names, List<String> values, String name, String value) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                values.set(i, values.get(i) + "," + value);
                return;
            }
        }
        names.add(name);
        values.add(value);
    }

    /**
     * Percent-decoding as lenient as .NET's {@code Uri.UnescapeDataString}: a {@code %} not followed by
     * two hex digits stays as it is, rather than failing the request.
     */
    static String decode(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = s.charAt(i);
            plain = c != '%' && c != '+';
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && hex(s, i + 1, to) >= 0 && hex(s, i + 2, to) >= 0) {
                bytes.write(hex(s, i + 1, to) << 4 | hex(s, i + 2, to));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < to) {
                    encoded = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String s, int index, int to) {
        return index < to ? Character.digit(s.charAt(index), 16) : -1;
    }
}
