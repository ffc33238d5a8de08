package dev.flint.host.route;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolves inline constraints, the {@code int} and {@code range(1,10)} of {@code {id:int:range(1,10)}},
 * to the checks ASP.NET Core's default constraint map performs. Names are case-insensitive.
 * Arguments are split on commas and trimmed, except for {@code regex}, which takes the whole
 * text between the parentheses.
 */
final class RouteConstraints {

    /** The names Azure Functions accepts, listed in messages about an unknown constraint. */
    static final List<String> NAMES = List.of("int", "long", "bool", "guid", "alpha", "datetime", "decimal",
            "double", "float", "min", "max", "range", "length", "minlength", "maxlength", "regex", "required",
            "file", "nonfile");

    /**
     * ASP.NET builds regex constraints with {@code IgnoreCase | CultureInvariant}; .NET's
     * {@code \d}, {@code \w} and {@code \s} are Unicode-aware, hence UNICODE_CHARACTER_CLASS.
     */
    private static final int REGEX_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
            | Pattern.UNICODE_CHARACTER_CLASS;

    private RouteConstraints() {
    }

    static RouteConstraint resolve(String text) throws InvalidConstraintException {
        int open = text.indexOf('(');
        String name;
        String arguments;
        if (open < 0) {
            name = text;
            arguments = null;
        } else if (text.endsWith(")")) {
            name = text.substring(0, open);
            arguments = text.substring(open + 1, text.length() - 1);
        } else {
            throw new InvalidConstraintException("constraint '" + text + "' has no closing ')'");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "int" -> plain(text, arguments, v -> DotNetNumbers.isIntegerInRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "long" -> plain(text, arguments, v -> DotNetNumbers.isIntegerInRange(v, Long.MIN_VALUE, Long.MAX_VALUE));
            case "bool" -> plain(text, arguments, RouteConstraints::isBoolean);
            case "guid" -> plain(text, arguments, DotNetGuid::isGuid);
            case "alpha" -> plain(text, arguments, RouteConstraints::isAsciiLetters);
            case "datetime" -> plain(text, arguments, DotNetDateTime::isDateTime);
            case "decimal" -> plain(text, arguments, DotNetNumbers::isDecimal);
            case "double", "float" -> plain(text, arguments, DotNetNumbers::isFloatingPoint);
            case "required" -> plain(text, arguments, v -> !v.isEmpty());
            case "file" -> plain(text, arguments, RouteConstraints::isFileName);
            case "nonfile" -> new RouteConstraint(text, noArguments(text, arguments, v -> !isFileName(v)), true);
            case "min" -> {
                long min = integers(text, arguments, 1)[0];
                yield constraint(text, v -> DotNetNumbers.isIntegerInRange(v, min, Long.MAX_VALUE));
            }
            case "max" -> {
                long max = integers(text, arguments, 1)[0];
                yield constraint(text, v -> DotNetNumbers.isIntegerInRange(v, Long.MIN_VALUE, max));
            }
            case "range" -> {
                long[] bounds = integers(text, arguments, 2);
                yield constraint(text, v -> DotNetNumbers.isIntegerInRange(v, bounds[0], bounds[1]));
            }
            case "length" -> length(text, arguments);
            case "minlength" -> {
                long min = nonNegative(text, integers(text, arguments, 1))[0];
                yield constraint(text, v -> v.length() >= min);
            }
            case "maxlength" -> {
                long max = nonNegative(text, integers(text, arguments, 1))[0];
                yield constraint(text, v -> v.length() <= max);
            }
            case "regex" -> regex(text, arguments);
            default -> throw new InvalidConstraintException("unknown constraint '" + name + "'; the known ones are "
                    + String.join(", ", NAMES));
        };
    }

    private static RouteConstraint plain(String text, String arguments, Predicate<String> test)
            throws InvalidConstraintException {
        return constraint(text, noArguments(text, arguments, test));
    }

    private static RouteConstraint constraint(String text, Predicate<String> test) {
        return new RouteConstraint(text, test, false);
    }

    private static Predicate<String> noArguments(String text, String arguments, Predicate<String> test)
            throws InvalidConstraintException {
        if (arguments != null) {
            throw new InvalidConstraintException("constraint '" + text + "' takes no arguments; write '"
                    + text.substring(0, text.indexOf('(')) + "'");
        }
        return test;
    }

    /** {@code length(n)} is an exact length, {@code length(min,max)} an inclusive range. */
    private static RouteConstraint length(String text, String arguments) throws InvalidConstraintException {
        int count = arguments == null ? 0 : arguments.split(",", -1).length;
        long[] bounds = nonNegative(text, integers(text, arguments, count == 2 ? 2 : 1));
        long min = bounds[0];
        long max = bounds.length == 2 ? bounds[1] : bounds[0];
        return constraint(text, v -> v.length() >= min && v.length() <= max);
    }

    private static RouteConstraint regex(String text, String arguments) throws InvalidConstraintException {
        if (arguments == null) {
            throw new InvalidConstraintException("constraint 'regex' needs a pattern, as in regex(^[a-z]+$)");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(arguments, REGEX_FLAGS);
        } catch (PatternSyntaxException e) {
            throw new InvalidConstraintException("constraint '" + text + "' has an invalid regular expression: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
        // Like ASP.NET's Regex.IsMatch, the pattern may match anywhere in the value; write ^ and $
        // to match all of it.
        return constraint(text, v -> pattern.matcher(v).find());
    }

    /** Exactly {@code count} integer arguments; for {@code range}, min must not exceed max. */
    private static long[] integers(String text, String arguments, int count) throws InvalidConstraintException {
        String name = arguments == null ? text : text.substring(0, text.indexOf('('));
        String expected = count == 1 ? "one integer argument, as in " + name + "(5)"
                : "two integer arguments, as in " + name + "(1,10)";
        if (arguments == null) {
            throw new InvalidConstraintException("constraint '" + text + "' needs " + expected);
        }
        String[] parts = arguments.split(",", -1);
        if (parts.length != count) {
            throw new InvalidConstraintException("constraint '" + text + "' needs " + expected);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            OptionalLong value = DotNetNumbers.parseInteger(parts[i].strip());
            if (value.isEmpty()) {
                throw new InvalidConstraintException("constraint '" + text + "': '" + parts[i].strip()
                        + "' is not an integer");
            }
            values[i] = value.getAsLong();
        }
        if (count == 2 && values[0] > values[1]) {
            throw new InvalidConstraintException("constraint '" + text + "': the minimum " + values[0]
                    + " is greater than the maximum " + values[1]);
        }
        return values;
    }

    private static long[] nonNegative(String text, long[] lengths) throws InvalidConstraintException {
        for (long length : lengths) {
            if (length < 0) {
                throw new InvalidConstraintException("constraint '" + text + "': a length cannot be negative");
            }
        }
        return lengths;
    }

    /** {@code bool.TryParse}: {@code true} or {@code false} in any case, white space around allowed. */
    private static boolean isBoolean(String value) {
        String trimmed = DotNetText.trim(value);
        return trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false");
    }

    /** ASP.NET's {@code alpha} is the regex {@code ^[a-z]*$} ignoring case: ASCII letters only. */
    private static boolean isAsciiLetters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * ASP.NET's {@code file} constraint: the last {@code /}-separated part of the value contains a
     * dot followed by something other than dots, as in {@code app.js} or {@code .gitignore}.
     */
    private static boolean isFileName(String value) {
        int nameStart = value.lastIndexOf('/') + 1;
        int dot = value.indexOf('.', nameStart);
        if (dot < 0) {
            return false;
        }
        for (int i = dot + 1; i < value.length(); i++) {
            if (value.charAt(i) != '.') {
                return true;
            }
        }
        return false;
    }
}
