package dev.flint.host.http;

import java.net.IDN;
import java.util.List;
import java.util.Locale;

/**
 * Reads one configured CORS origin ({@code --cors} or local.settings.json {@code Host.CORS}) into the
 * form a browser sends in its {@code Origin} header: the URL standard's serialization of an origin,
 * {@code scheme://host[:port]} with the scheme and host in lower case, no default port (80 for http
 * and ws, 443 for https and wss, 21 for ftp), an IDN host in its ASCII ({@code xn--}) form and an IPv6
 * host in its shortest form. Comparing a request's {@code Origin} against that form then needs no
 * parsing per request. Used only when the policy is built.
 */
final class CorsOrigins {

    /** What a valid entry looks like, for every error message. */
    private static final String EXPECTED = "expected scheme://host[:port], such as \"https://example.com\" or \"http://localhost:3000\"";

    private CorsOrigins() {}

    /**
     * The browser's form of {@code entry} (already trimmed, not empty, not {@code *}), or the problem
     * with it added to {@code problems} and null returned. A problem names the entry in quotes.
     */
    static String canonical(String entry, List<String> problems) {
        if (entry.equalsIgnoreCase("null")) {
            // The serialization of an opaque origin (a page from a file, a sandboxed iframe, a data: URL):
            // ASP.NET's WithOrigins("null") allows it literally, so Flint does too.
            return "null";
        }
        int separator = entry.indexOf("://");
        boolean trailingSlash = entry.endsWith("/") && entry.length() > (separator < 0 ? 1 : separator + 3);
        String text = trailingSlash ? entry.substring(0, entry.length() - 1) : entry;
        if (separator < 0) {
            return fail(problems, entry, "it has no scheme", suggestionWithoutScheme(text));
        }
        String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!isScheme(scheme)) {
            return fail(problems, entry, "\"" + text.substring(0, separator) + "\" is not a URL scheme", null);
        }
        if (scheme.equals("file")) {
            return failPlain(problems, entry, "a page opened from a file has no origin of its own and sends"
                    + " \"Origin: null\"; list null to allow such pages (any sandboxed page can send null too)");
        }
        int authorityStart = separator + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < text.length() && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = text.substring(authorityStart, authorityEnd);
        if (authorityEnd < text.length()) {
            char c = text.charAt(authorityEnd);
            String what = c == '/' ? "a path" : c == '?' ? "a query" : "a fragment";
            String suggestion = authority.isEmpty() ? null : scheme + "://" + authority;
            return fail(problems, entry, "it has " + what + " (\"" + text.substring(authorityEnd) + "\")", suggestion);
        }
        if (authority.indexOf('@') >= 0) {
            return fail(problems, entry, "it has a user name",
                    scheme + "://" + authority.substring(authority.lastIndexOf('@') + 1));
        }

        String rawHost;
        String rawPort;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return fail(problems, entry, "the IPv6 address has no closing ']'", null);
            }
            rawHost = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                return fail(problems, entry, "\"" + after + "\" follows the IPv6 address; expected :port or nothing", null);
            }
            rawPort = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            rawHost = colon < 0 ? authority : authority.substring(0, colon);
            rawPort = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (rawHost.isEmpty()) {
            return fail(problems, entry, "it has no host", null);
        }

        String host = host(rawHost, entry, problems);
        if (host == null) {
            return null;
        }
        int port = -1;
        if (rawPort != null) {
            port = port(rawPort);
            if (port < 0) {
                return fail(problems, entry, "the port \"" + rawPort + "\" is not a number between 1 and 65535",
                        rawPort.isEmpty() ? scheme + "://" + host : null);
            }
            if (port == defaultPort(scheme)) {
                port = -1;
            }
        }
        return port < 0 ? scheme + "://" + host : scheme + "://" + host + ":" + port;
    }

    /** A host in lower case (IDN to ASCII, IPv6 compressed), or null with a problem added. */
    private static String host(String raw, String entry, List<String> problems) {
        if (raw.startsWith("[")) {
            String inside = raw.substring(1, raw.length() - 1);
            int[] pieces = ipv6Pieces(inside);
            if (pieces == null) {
                return fail(problems, entry, "\"" + inside + "\" is not an IPv6 address", null);
            }
            return "[" + ipv6Text(pieces) + "]";
        }
        if (raw.indexOf('*') >= 0) {
            return failPlain(problems, entry, "wildcards in a host are not supported (nor by func start); list each"
                    + " origin, or use * alone to allow any origin");
        }
        String ascii = raw;
        if (!isAscii(raw)) {
            try {
                ascii = IDN.toASCII(raw, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return fail(problems, entry, "the host \"" + raw + "\" is not a valid international domain name", null);
            }
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                return fail(problems, entry, "the host \"" + raw + "\" has a '" + c + "', which a host name cannot have",
                        null);
            }
        }
        return ascii.toLowerCase(Locale.ROOT);
    }

    /** 1..65535 from decimal digits (leading zeros allowed, as browsers read them), else -1. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 65535 ? (int) value : -1;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            case "ftp" -> 21;
            default -> -2;
        };
    }

    /** RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    private static boolean isScheme(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The eight 16-bit pieces of an IPv6 address written as in RFC 4291 ({@code ::} at most once, an
     * IPv4 dotted tail allowed, no zone), or null.
     */
    static int[] ipv6Pieces(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount = 0;
        if (gap < 0) {
            headCount = groups(text, head, true);
            return headCount == 8 ? head : null;
        }
        String left = text.substring(0, gap);
        String right = text.substring(gap + 2);
        headCount = left.isEmpty() ? 0 : groups(left, head, false);
        if (headCount < 0) {
            return null;
        }
        if (!right.isEmpty()) {
            tailCount = groups(right, tail, true);
            if (tailCount < 0) {
                return null;
            }
        }
        if (headCount + tailCount > 7) {
            return null;
        }
        int[] pieces = new int[8];
        System.arraycopy(head, 0, pieces, 0, headCount);
        System.arraycopy(tail, 0, pieces, 8 - tailCount, tailCount);
        return pieces;
    }

    /** Reads ':'-separated hex groups into {@code out}; the number of pieces, or -1 when malformed. */
    private static int groups(String text, int[] out, boolean ipv4TailAllowed) {
        int count = 0;
        int start = 0;
        while (true) {
            int end = text.indexOf(':', start);
            String group = end < 0 ? text.substring(start) : text.substring(start, end);
            if (end < 0 && ipv4TailAllowed && group.indexOf('.') >= 0) {
                long ipv4 = ipv4(group);
                if (ipv4 < 0 || count > 6) {
                    return -1;
                }
                out[count++] = (int) (ipv4 >>> 16);
                out[count++] = (int) (ipv4 & 0xffff);
                return count;
            }
            if (group.isEmpty() || group.length() > 4 || count == 8) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++) {
                int digit = Character.digit(group.charAt(i), 16);
                if (digit < 0 || group.charAt(i) > 'f') {
                    return -1;
                }
                value = value * 16 + digit;
            }
            out[count++] = value;
            if (end < 0) {
                return count;
            }
            start = end + 1;
        }
    }

    /** A dotted IPv4 address (four decimal numbers 0..255, no leading zeros) as 32 bits, else -1. */
    private static long ipv4(String text) {
        long value = 0;
        int parts = 0;
        int start = 0;
        while (true) {
            int dot = text.indexOf('.', start);
            int end = dot < 0 ? text.length() : dot;
            int length = end - start;
            if (length == 0 || length > 3 || (length > 1 && text.charAt(start) == '0') || ++parts > 4) {
                return -1;
            }
            int n = 0;
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            if (n > 255) {
                return -1;
            }
            value = (value << 8) | n;
            if (dot < 0) {
                return parts == 4 ? value : -1;
            }
            start = dot + 1;
        }
    }

    /**
     * The URL standard's IPv6 serialization: lower-case hex without leading zeros, the first longest run
     * of two or more zero pieces written as {@code ::}, no dotted IPv4 tail.
     */
    static String ipv6Text(int[] pieces) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (pieces[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && pieces[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(pieces[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }

    /** For an entry without "://": the same text with a scheme, when it looks like host[:port]. */
    private static String suggestionWithoutScheme(String text) {
        if (text.isEmpty() || text.indexOf('/') >= 0 || text.indexOf('@') >= 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == ':')) {
                return null;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        boolean local = lower.startsWith("localhost") || lower.startsWith("127.");
        return (local ? "http://" : "https://") + text;
    }

    private static String fail(List<String> problems, String entry, String reason, String suggestion) {
        problems.add("\"" + entry + "\" is not an origin: " + reason + "; "
                + (suggestion == null ? EXPECTED : "expected scheme://host[:port], such as \"" + suggestion + "\""));
        return null;
    }

    private static String failPlain(List<String> problems, String entry, String reason) {
        problems.add("\"" + entry + "\" is not an origin: " + reason);
        return null;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }
}
