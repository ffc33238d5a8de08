package dev.flint.cli;

import java.util.Locale;
import picocli.CommandLine;

/** A size such as {@code 100MB}, {@code 32KB}, {@code 1GB} or plain bytes; units are powers of 1024. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] suffix : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"G", "1073741824"},
                {"M", "1048576"}, {"K", "1024"}, {"B", "1"}}) {
            if (t.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                t = t.substring(0, t.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            long value = Long.parseLong(t);
            if (value < 0) {
                throw new CommandLine.TypeConversionException("expected a size such as 100MB, found \"" + text + "\"");
            }
            return Math.multiplyExact(value, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("expected a size such as 100MB, 32KB or 1048576, found \""
                    + text + "\"");
        }
    }
}
