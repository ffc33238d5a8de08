package dev.flint.host.process;

import java.util.Map;

/**
 * Expands {@code %NAME%} references the way .NET's {@code Environment.ExpandEnvironmentVariables}
 * does for {@code defaultExecutablePath} and {@code arguments}: a defined variable is replaced, an
 * undefined one is left as written.
 */
final class EnvironmentExpander {

    private final Map<String, String> environment;

    EnvironmentExpander(Map<String, String> environment) {
        this.environment = environment;
    }

    String expand(String text) {
        if (text == null || text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('%', i);
            int close = open < 0 ? -1 : text.indexOf('%', open + 1);
            if (close < 0) {
                out.append(text, i, text.length());
                break;
            }
            String name = text.substring(open + 1, close);
            String value = name.isEmpty() ? null : environment.get(name);
            if (value == null) {
                // Keep the first '%' and continue from the second, which may open a real reference.
                out.append(text, i, close);
                i = close;
            } else {
                out.append(text, i, open).append(value);
                i = close + 1;
            }
        }
        return out.toString();
    }
}
