package dev.flint.host.route;

/**
 * Percent-decodes part of a request path the way Kestrel, the server under {@code func start},
 * does before routing: {@code %XX} sequences become UTF-8 decoded characters, except {@code %2F},
 * which stays as written so that an encoded slash never splits a segment. A sequence that is not
 * valid UTF-8 is kept as written. {@code +} is not a space in a path.
 */
final class PathDecoder {

    private PathDecoder() {
    }

    /** Decodes {@code path[from, to)}; with no {@code %} in range this is a plain substring. */
    static String decode(String path, int from, int to) {
        int percent = path.indexOf('%', from);
        if (percent < 0 || percent >= to) {
            return path.substring(from, to);
        }
        StringBuilder decoded = new StringBuilder(to - from);
        decoded.append(path, from, percent);
        int i = percent;
        while (i < to) {
            char c = path.charAt(i);
            if (c != '%') {
                decoded.append(c);
                i++;
                continue;
            }
            int next = appendEscape(path, i, to, decoded);
            if (next < 0) {
                decoded.append('%'); // not decodable: keep it, and the characters after it, as written
                i++;
            } else {
                i = next;
            }
        }
        return decoded.toString();
    }

    /**
     * Decodes the UTF-8 sequence of escapes at {@code path[at]} into {@code out}. Returns the index
     * after it, or -1 (leaving {@code out} untouched) when it is invalid or is {@code %2F}.
     */
    private static int appendEscape(String path, int at, int to, StringBuilder out) {
        int lead = hexByte(path, at, to);
        if (lead < 0 || lead == '/') {
            return -1;
        }
        if (lead < 0x80) {
            out.append((char) lead);
            return at + 3;
        }
        int continuationBytes;
        int codePoint;
        int minimum;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuationBytes = 1;
            codePoint = lead & 0x1F;
            minimum = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuationBytes = 2;
            codePoint = lead & 0x0F;
            minimum = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuationBytes = 3;
            codePoint = lead & 0x07;
            minimum = 0x10000;
        } else {
            return -1;
        }
        int next = at + 3;
        for (int k = 0; k < continuationBytes; k++) {
            int b = hexByte(path, next, to);
            if (b < 0 || (b & 0xC0) != 0x80) {
                return -1;
            }
            codePoint = (codePoint << 6) | (b & 0x3F);
            next += 3;
        }
        if (codePoint < minimum || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            return -1;
        }
        out.appendCodePoint(codePoint);
        return next;
    }

    /** The byte written as {@code %XX} at {@code path[at]}, or -1. */
    private static int hexByte(String path, int at, int to) {
        if (at + 2 >= to || path.charAt(at) != '%') {
            return -1;
        }
        char high = path.charAt(at + 1);
        char low = path.charAt(at + 2);
        if (!DotNetText.isHexDigit(high) || !DotNetText.isHexDigit(low)) {
            return -1;
        }
        return Character.digit(high, 16) << 4 | Character.digit(low, 16);
    }
}
