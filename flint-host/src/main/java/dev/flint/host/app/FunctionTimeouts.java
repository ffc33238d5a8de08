package dev.flint.host.app;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads .NET TimeSpan strings as host.json writes them: {@code hh:mm:ss}, {@code d.hh:mm:ss}, {@code -1}. */
final class FunctionTimeouts {

    private static final Pattern TIMESPAN =
            Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");

    private FunctionTimeouts() {}

    /** Parses a timespan; empty when the text is not one. {@code -1} is handled by the caller. */
    static Optional<Duration> parseTimeSpan(String text) {
        Matcher m = TIMESPAN.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        int hours = Integer.parseInt(m.group(2));
        int minutes = Integer.parseInt(m.group(3));
        int seconds = Integer.parseInt(m.group(4));
        if (hours > 23 || minutes > 59 || seconds > 59) {
            return Optional.empty();
        }
        Duration d = Duration.ofDays(days).plusHours(hours).plusMinutes(minutes).plusSeconds(seconds);
        if (m.group(5) != null) {
            String fraction = (m.group(5) + "0000000").substring(0, 7);
            d = d.plusNanos(Long.parseLong(fraction) * 100);
        }
        return Optional.of(d);
    }
}
