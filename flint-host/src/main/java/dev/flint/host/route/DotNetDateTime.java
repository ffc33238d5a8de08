package dev.flint.host.route;

/**
 * The {@code datetime} constraint: the date and time forms that
 * {@code DateTime.TryParse(value, InvariantCulture)} accepts and that fit in a URL segment.
 *
 * <p>.NET's parser is a heuristic that accepts far more (month names, RFC 1123 dates, two-digit
 * years). This class accepts the forms people put in routes, and checks that the date exists:
 * <ul>
 *   <li>a date, {@code yyyy-M-d} or the invariant culture's {@code M/d/yyyy}; the separator may
 *       be {@code -}, {@code /} or {@code .};</li>
 *   <li>optionally followed, after {@code T} or spaces, by a time {@code H:m[:s[.fffffff]]} with
 *       an optional {@code AM}/{@code PM};</li>
 *   <li>or a time on its own, which .NET reads as a time today;</li>
 *   <li>then optionally {@code Z} or an offset {@code ±hh[:mm]}.</li>
 * </ul>
 */
final class DotNetDateTime {

    private final String text;
    private int position;

    private DotNetDateTime(String text) {
        this.text = text;
    }

    static boolean isDateTime(String value) {
        String trimmed = DotNetText.trim(value);
        return !trimmed.isEmpty() && new DotNetDateTime(trimmed).parse();
    }

    private boolean parse() {
        if (date()) {
            if (atEnd()) {
                return true;
            }
            if (peek() == 'T' || peek() == 't') {
                position++;
            } else if (!skipSpaces()) {
                return false;
            }
        } else {
            position = 0;
        }
        return time() && zone() && atEnd();
    }

    private boolean date() {
        int firstStart = position;
        int first = number(1, 4);
        int firstDigits = position - firstStart;
        if (first < 0 || atEnd() || "-/.".indexOf(peek()) < 0) {
            return false;
        }
        char separator = text.charAt(position++);
        int second = number(1, 2);
        if (second < 0 || atEnd() || peek() != separator) {
            return false;
        }
        position++;
        if (firstDigits == 4) {
            int day = number(1, 2);
            return day >= 0 && isValidDate(first, second, day);
        }
        if (firstDigits > 2) {
            return false;
        }
        int yearStart = position;
        int year = number(4, 4);
        return year >= 0 && position - yearStart == 4 && isValidDate(year, first, second);
    }

    private boolean time() {
        int hour = number(1, 2);
        if (hour < 0 || atEnd() || peek() != ':') {
            return false;
        }
        position++;
        int minute = number(1, 2);
        if (minute < 0 || minute > 59) {
            return false;
        }
        if (!atEnd() && peek() == ':') {
            position++;
            int second = number(1, 2);
            if (second < 0 || second > 59) {
                return false;
            }
            if (!atEnd() && peek() == '.') {
                position++;
                if (number(1, 7) < 0) {
                    return false;
                }
            }
        }
        int beforeDesignator = position;
        skipSpaces();
        if (text.regionMatches(true, position, "AM", 0, 2) || text.regionMatches(true, position, "PM", 0, 2)) {
            position += 2;
            return hour <= 12;
        }
        position = beforeDesignator;
        return hour <= 23;
    }

    private boolean zone() {
        if (atEnd()) {
            return true;
        }
        int beforeSpaces = position;
        skipSpaces();
        if (atEnd()) {
            position = beforeSpaces;
            return true;
        }
        char c = peek();
        if (c == 'Z' || c == 'z') {
            position++;
            return true;
        }
        if (c != '+' && c != '-') {
            return false;
        }
        position++;
        int hours = number(1, 2);
        if (hours < 0 || hours > 14) {
            return false;
        }
        if (!atEnd() && peek() == ':') {
            position++;
            int minutes = number(2, 2);
            return minutes >= 0 && minutes <= 59;
        }
        return true;
    }

    /** Reads {@code min} to {@code max} ASCII digits; -1 when there are fewer than {@code min}. */
    private int number(int min, int max) {
        int start = position;
        int value = 0;
        while (!atEnd() && position - start < max && DotNetText.isAsciiDigit(peek())) {
            value = value * 10 + (text.charAt(position++) - '0');
        }
        if (position - start < min) {
            return -1;
        }
        return value;
    }

    private boolean skipSpaces() {
        int start = position;
        while (!atEnd() && peek() == ' ') {
            position++;
        }
        return position > start;
    }

    private char peek() {
        return text.charAt(position);
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private static boolean isValidDate(int year, int month, int day) {
        if (year < 1 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        int days = switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    private static boolean isLeapYear(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
