package dev.flint.cli;

import dev.flint.host.auth.AccessKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Prints keys as {@code flint keys list} shows them: scope, function ({@code -} for none), name and
 * value, in columns two spaces apart, so that both a person and {@code awk '{print $4}'} can read them.
 */
final class KeyListing {

    private static final String GAP = "  ";

    private KeyListing() {}

    static void print(List<AccessKey> keys, PrintWriter out) {
        List<String[]> rows = keys.stream().map(k -> new String[] {
                k.scope().name().toLowerCase(Locale.ROOT), k.function() == null ? "-" : k.function(), k.name(), k.value()})
                .toList();
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                line.append(row[column]).append(" ".repeat(widths[column] - row[column].length())).append(GAP);
            }
            out.println(line.append(row[3]));
        }
    }
}
