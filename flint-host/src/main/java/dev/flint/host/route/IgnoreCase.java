package dev.flint.host.route;

/**
 * Text comparison that ignores case the way .NET's {@code StringComparison.OrdinalIgnoreCase}
 * does, which ASP.NET uses for literal route text: character by character, through the simple
 * upper-case mapping. ASCII takes a fast path. Nothing here allocates.
 */
final class IgnoreCase {

    private IgnoreCase() {
    }

    static boolean same(char a, char b) {
        if (a == b) {
            return true;
        }
        if ((a | b) < 0x80) {
            return asciiLower(a) == asciiLower(b);
        }
        return Character.toUpperCase(a) == Character.toUpperCase(b);
    }

    static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static boolean equals(String a, String b) {
        return a.length() == b.length() && regionMatches(a, 0, b, 0, a.length());
    }

    /** Whether {@code text} equals {@code s[from, to)}. */
    static boolean equalsRegion(String text, String s, int from, int to) {
        return to - from == text.length() && regionMatches(text, 0, s, from, text.length());
    }

    static boolean endsWith(String s, String suffix) {
        return s.length() >= suffix.length() && regionMatches(s, s.length() - suffix.length(), suffix, 0, suffix.length());
    }

    /** The last index at which {@code needle} occurs entirely within {@code s[0, limit)}, or -1. */
    static int lastIndexOf(String s, String needle, int limit) {
        for (int i = limit - needle.length(); i >= 0; i--) {
            if (regionMatches(s, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean regionMatches(String a, int aFrom, String b, int bFrom, int length) {
        for (int i = 0; i < length; i++) {
            if (!same(a.charAt(aFrom + i), b.charAt(bFrom + i))) {
                return false;
            }
        }
        return true;
    }
}
