package dev.flint.host.route;

/**
 * The two notions of white space that .NET's parsers use. Route constraints call .NET's
 * {@code TryParse} methods, and a value such as {@code "%2012"} decodes to {@code " 12"}, which
 * .NET accepts as an integer; Flint has to agree.
 */
final class DotNetText {

    private DotNetText() {
    }

    /** White space allowed around numbers ({@code NumberStyles.AllowLeadingWhite}): space and TAB to CR. */
    static boolean isNumberWhite(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** {@code char.IsWhiteSpace}: what {@code bool}, {@code Guid} and {@code DateTime} parsing trim. */
    static boolean isWhiteSpace(char c) {
        if (c == ' ' || (c >= '\t' && c <= '\r') || c == '\u0085' || c == '\u00a0') {
            return true;
        }
        if (c < 0x1680) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The value without leading and trailing {@link #isWhiteSpace} characters. */
    static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWhiteSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isWhiteSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
