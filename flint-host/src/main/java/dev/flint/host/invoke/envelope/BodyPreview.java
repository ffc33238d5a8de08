package dev.flint.host.invoke.envelope;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** The start of a handler's answer, on one line, for failure messages. */
final class BodyPreview {

    static final int MAX_CHARS = 200;

    private BodyPreview() {}

    /** {@code body: <first 200 chars>…}, or {@code empty body}. */
    static String of(Buffer body) {
        if (body == null || body.length() == 0) {
            return "empty body";
        }
        // A UTF-8 char takes at most 4 bytes: decode no more than the preview can show.
        int bytes = Math.min(body.length(), MAX_CHARS * 4);
        String text = body.getString(0, bytes, StandardCharsets.UTF_8.name());
        boolean cut = bytes < body.length() || text.length() > MAX_CHARS;
        if (text.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS);
        }
        return "body: " + oneLine(text) + (cut ? "…" : "");
    }

    private static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> line.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return line.toString();
    }
}
