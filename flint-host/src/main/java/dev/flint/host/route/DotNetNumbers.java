package dev.flint.host.route;

import java.util.OptionalLong;

/**
 * Number syntax as .NET's invariant-culture {@code TryParse} accepts it, which is what ASP.NET's
 * numeric route constraints call. Only ASCII digits count, {@code ,} is the thousands separator
 * and {@code .} the decimal point. Nothing here allocates, because constraints run per request.
 */
final class DotNetNumbers {

    private static final int LEADING_WHITE = 1;
    private static final int TRAILING_WHITE = 1 << 1;
    private static final int LEADING_SIGN = 1 << 2;
    private static final int TRAILING_SIGN = 1 << 3;
    private static final int DECIMAL_POINT = 1 << 4;
    private static final int THOUSANDS = 1 << 5;
    private static final int EXPONENT = 1 << 6;

    /** {@code NumberStyles.Number}, used by the {@code decimal} constraint. */
    private static final int NUMBER = LEADING_WHITE | TRAILING_WHITE | LEADING_SIGN | TRAILING_SIGN
            | DECIMAL_POINT | THOUSANDS;
    /** {@code NumberStyles.Float | NumberStyles.AllowThousands}, used by {@code double} and {@code float}. */
    private static final int FLOAT = LEADING_WHITE | TRAILING_WHITE | LEADING_SIGN | DECIMAL_POINT
            | EXPONENT | THOUSANDS;

    /** {@code decimal.MaxValue}; larger magnitudes make {@code decimal.TryParse} fail. */
    private static final String DECIMAL_MAX = "79228162514264337593543950335";

    private DotNetNumbers() {
    }

    /**
     * Whether {@code value} is an integer in {@code [min, max]}, as {@code long.TryParse} with
     * {@code NumberStyles.Integer} reads it: optional white space around an optional sign and
     * ASCII digits. Values outside {@code long} fail.
     */
    static boolean isIntegerInRange(String value, long min, long max) {
        int start = 0;
        int end = value.length();
        while (start < end && DotNetText.isNumberWhite(value.charAt(start))) {
            start++;
        }
        while (end > start && (DotNetText.isNumberWhite(value.charAt(end - 1)) || value.charAt(end - 1) == '\0')) {
            end--;
        }
        boolean negative = false;
        if (start < end && (value.charAt(start) == '+' || value.charAt(start) == '-')) {
            negative = value.charAt(start) == '-';
            start++;
        }
        if (start == end) {
            return false;
        }
        // Accumulate negatively so that Long.MIN_VALUE fits.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long limitBeforeLastDigit = limit / 10;
        long result = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (!DotNetText.isAsciiDigit(c)) {
                return false;
            }
            int digit = c - '0';
            if (result < limitBeforeLastDigit) {
                return false;
            }
            result *= 10;
            if (result < limit + digit) {
                return false;
            }
            result -= digit;
        }
        long number = negative ? result : -result;
        return number >= min && number <= max;
    }

    /** A constraint argument such as the {@code 5} of {@code min(5)}, read like a route value. */
    static OptionalLong parseInteger(String text) {
        if (!isIntegerInRange(text, Long.MIN_VALUE, Long.MAX_VALUE)) {
            return OptionalLong.empty();
        }
        int start = 0;
        int end = text.length();
        while (!DotNetText.isAsciiDigit(text.charAt(start)) && text.charAt(start) != '-') {
            start++; // white space or '+'
        }
        while (!DotNetText.isAsciiDigit(text.charAt(end - 1))) {
            end--; // white space or NUL
        }
        return OptionalLong.of(Long.parseLong(text, start, end, 10));
    }

    /** {@code decimal.TryParse(value, NumberStyles.Number, InvariantCulture)}: no exponent; a trailing sign is allowed. */
    static boolean isDecimal(String value) {
        int digitsStart = scan(value, NUMBER);
        return digitsStart >= 0 && integerPartFitsDecimal(value, digitsStart);
    }

    /**
     * {@code double.TryParse} (and {@code float.TryParse}) with {@code NumberStyles.Float |
     * AllowThousands}: an exponent is allowed, overflow gives infinity rather than failure, and
     * {@code Infinity}, {@code -Infinity} and {@code NaN} are accepted in any case.
     */
    static boolean isFloatingPoint(String value) {
        return scan(value, FLOAT) >= 0 || isSpecialFloatingPointSymbol(DotNetText.trim(value));
    }

    /**
     * Checks the syntax of {@code value} against {@code styles}, following .NET's
     * {@code Number.TryParseNumber}. Returns the index of the first digit, or -1 when invalid.
     */
    private static int scan(String value, int styles) {
        int length = value.length();
        int i = 0;
        boolean signSeen = false;
        if ((styles & LEADING_WHITE) != 0) {
            while (i < length && DotNetText.isNumberWhite(value.charAt(i))) {
                i++;
            }
        }
        if ((styles & LEADING_SIGN) != 0 && i < length && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
            signSeen = true;
            i++;
        }
        int digitsStart = i;
        boolean digits = false;
        boolean decimalPoint = false;
        while (i < length) {
            char c = value.charAt(i);
            if (DotNetText.isAsciiDigit(c)) {
                digits = true;
            } else if (c == '.' && (styles & DECIMAL_POINT) != 0 && !decimalPoint) {
                decimalPoint = true;
            } else if (c == ',' && (styles & THOUSANDS) != 0 && digits && !decimalPoint) {
                // .NET accepts group separators anywhere after the first digit.
            } else {
                break;
            }
            i++;
        }
        if (!digits) {
            return -1;
        }
        if ((styles & EXPONENT) != 0 && i < length && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < length && (value.charAt(j) == '+' || value.charAt(j) == '-')) {
                j++;
            }
            if (j < length && DotNetText.isAsciiDigit(value.charAt(j))) {
                while (j < length && DotNetText.isAsciiDigit(value.charAt(j))) {
                    j++;
                }
                i = j;
            }
            // Otherwise the 'e' is not part of the number, and is rejected below as trailing text.
        }
        while (i < length) {
            char c = value.charAt(i);
            if ((styles & TRAILING_WHITE) != 0 && DotNetText.isNumberWhite(c)) {
                i++;
            } else if ((styles & TRAILING_SIGN) != 0 && !signSeen && (c == '+' || c == '-')) {
                signSeen = true;
                i++;
            } else {
                break;
            }
        }
        while (i < length && value.charAt(i) == '\0') {
            i++;
        }
        return i == length ? digitsStart : -1;
    }

    /** Whether the integer part, which starts at {@code digitsStart}, is at most {@code decimal.MaxValue}. */
    private static boolean integerPartFitsDecimal(String value, int digitsStart) {
        int i = digitsStart;
        while (i < value.length() && (value.charAt(i) == '0' || value.charAt(i) == ',')) {
            i++;
        }
        int significant = 0;
        int comparison = 0;
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',') {
                continue;
            }
            if (!DotNetText.isAsciiDigit(c)) {
                break;
            }
            if (significant < DECIMAL_MAX.length() && comparison == 0) {
                comparison = Character.compare(c, DECIMAL_MAX.charAt(significant));
            }
            significant++;
        }
        return significant < DECIMAL_MAX.length()
                || (significant == DECIMAL_MAX.length() && comparison <= 0);
    }

    private static boolean isSpecialFloatingPointSymbol(String trimmed) {
        String symbol = trimmed.startsWith("+") ? trimmed.substring(1) : trimmed;
        if (symbol.equalsIgnoreCase("Infinity") || symbol.equalsIgnoreCase("NaN")) {
            return true;
        }
        return trimmed.equalsIgnoreCase("-Infinity") || trimmed.equalsIgnoreCase("-NaN");
    }
}
