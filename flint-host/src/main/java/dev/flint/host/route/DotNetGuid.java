package dev.flint.host.route;

/**
 * The formats {@code Guid.TryParse} accepts, for the {@code guid} constraint: 32 hex digits
 * ({@code N}), with dashes ({@code D}), in braces ({@code B}) or parentheses ({@code P}), and the
 * C-style {@code {0x…,0x…,0x…,{0x…,…}}} form ({@code X}). Hex digits may be in either case and
 * the value may have white space around it.
 */
final class DotNetGuid {

    private DotNetGuid() {
    }

    static boolean isGuid(String value) {
        String guid = DotNetText.trim(value);
        return switch (guid.length()) {
            case 32 -> isHex(guid, 0, 32);
            case 36 -> isDashed(guid, 0);
            case 38 -> isDashed(guid, 1)
                    && ((guid.charAt(0) == '{' && guid.charAt(37) == '}')
                        || (guid.charAt(0) == '(' && guid.charAt(37) == ')'));
            default -> guid.startsWith("{") && isHexBlocks(withoutWhiteSpace(guid));
        };
    }

    /** {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} starting at {@code offset}. */
    private static boolean isDashed(String guid, int offset) {
        return isHex(guid, offset, offset + 8) && guid.charAt(offset + 8) == '-'
                && isHex(guid, offset + 9, offset + 13) && guid.charAt(offset + 13) == '-'
                && isHex(guid, offset + 14, offset + 18) && guid.charAt(offset + 18) == '-'
                && isHex(guid, offset + 19, offset + 23) && guid.charAt(offset + 23) == '-'
                && isHex(guid, offset + 24, offset + 36);
    }

    /** The {@code X} format: {@code {0xhhhhhhhh,0xhhhh,0xhhhh,{0xhh,0xhh,0xhh,0xhh,0xhh,0xhh,0xhh,0xhh}}}. */
    private static boolean isHexBlocks(String guid) {
        int[] position = {0};
        if (!expect(guid, position, "{") || !hexNumber(guid, position, 8) || !expect(guid, position, ",")
                || !hexNumber(guid, position, 4) || !expect(guid, position, ",")
                || !hexNumber(guid, position, 4) || !expect(guid, position, ",{")) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if ((i > 0 && !expect(guid, position, ",")) || !hexNumber(guid, position, 2)) {
                return false;
            }
        }
        return expect(guid, position, "}}") && position[0] == guid.length();
    }

    /** {@code 0x} followed by 1 to {@code maxDigits} hex digits. */
    private static boolean hexNumber(String guid, int[] position, int maxDigits) {
        int i = position[0];
        if (i + 2 > guid.length() || guid.charAt(i) != '0' || (guid.charAt(i + 1) != 'x' && guid.charAt(i + 1) != 'X')) {
            return false;
        }
        i += 2;
        int start = i;
        while (i < guid.length() && DotNetText.isHexDigit(guid.charAt(i))) {
            i++;
        }
        position[0] = i;
        return i > start && i - start <= maxDigits;
    }

    private static boolean expect(String guid, int[] position, String text) {
        if (!guid.startsWith(text, position[0])) {
            return false;
        }
        position[0] += text.length();
        return true;
    }

    private static boolean isHex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!DotNetText.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String withoutWhiteSpace(String text) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!DotNetText.isWhiteSpace(text.charAt(i))) {
                result.append(text.charAt(i));
            }
        }
        return result.toString();
    }
}
