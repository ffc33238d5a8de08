package dev.flint.bench.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Making text from users (target names, URLs, error kinds) safe in XML, HTML and a terminal. */
final class Markup {

    private static final char REPLACEMENT = '\uFFFD';

    private Markup() {}

    /**
     * Text or an attribute value in XML or HTML: {@code & < > " '} become references, and characters
     * XML 1.0 cannot hold (controls other than tab and line breaks, lone surrogates, U+FFFE, U+FFFF)
     * become U+FFFD.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        escape(s, b);
        return b.toString();
    }

    static void escape(String s, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF'
                            || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
                        b.append(REPLACEMENT);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    /**
     * A string to print on a terminal: control characters (escape sequences, line breaks, C1
     * controls) become U+FFFD, so a target name cannot move the cursor or recolour the report.
     */
    static String terminal(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append(REPLACEMENT);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** The width of a string in a monospaced column: one per code point. */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Whether a URL may be a link in a report: an absolute http or https URL. Anything else
     * ({@code javascript:}, {@code data:}, a bare path) is shown as text only.
     */
    static boolean linkable(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            return scheme != null && uri.getHost() != null
                    && (scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https"));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
