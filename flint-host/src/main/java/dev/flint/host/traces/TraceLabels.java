package dev.flint.host.traces;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A trace's name and labels, checked. The name says what was profiled (usually the function); labels
 * say where and how ({@code function}, {@code instance}, {@code host}, {@code cpu}, {@code frequency},
 * and any other a sender adds).
 *
 * <ul>
 *   <li>A name, and a label's key, is 1 to {@value #MAX_LENGTH} of {@code A-Z a-z 0-9 . _ : -},
 *       starting with a letter or digit; anything else is refused with a message naming it. Names
 *       never become file names (files are named by id), but they appear in URLs, logs and filters,
 *       where {@code ..}, {@code /} and spaces have no business.</li>
 *   <li>A label's value is sanitised instead, because real values have spaces ({@code cpu} is a
 *       CPU model such as {@code Intel(R) Xeon(R) CPU @ 2.30GHz}): each run of other characters
 *       becomes one {@code _}, and the value is cut to {@value #MAX_LENGTH} characters. A value with
 *       nothing left is refused.</li>
 *   <li>Keys are lower case (HTTP header names are case-insensitive); at most {@value #MAX_LABELS}
 *       labels.</li>
 *   <li>Without a name, the {@code function} label is the name; without a {@code function} label,
 *       the name is the function.</li>
 * </ul>
 *
 * @param labels sorted by key; always has {@code function}
 */
public record TraceLabels(String name, SortedMap<String, String> labels) {

    /** The key of the name in the maps that {@link #of} reads. */
    public static final String NAME = "name";
    public static final String FUNCTION = "function";
    public static final int MAX_LENGTH = 128;
    public static final int MAX_LABELS = 32;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern OTHER_CHARACTERS = Pattern.compile("[^A-Za-z0-9._:-]+");
    private static final String EXPECTED = "expected 1 to " + MAX_LENGTH
            + " letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

    public TraceLabels {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /**
     * The name and labels of a map whose key {@value #NAME} is the name and whose other keys are labels.
     *
     * @throws TraceRejectedException ({@link TraceRejectedException.Reason#BAD_LABEL}) naming what is wrong
     */
    public static TraceLabels of(Map<String, String> given) throws TraceRejectedException {
        String name = null;
        boolean named = false;
        SortedMap<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().toLowerCase(Locale.ROOT);
            if (key.equals(NAME)) {
                named = true;
                name = e.getValue();
                continue;
            }
            checkToken("label key", key);
            labels.put(key, sanitise(key, e.getValue()));
        }
        if (labels.size() > MAX_LABELS) {
            throw bad("a trace has at most " + MAX_LABELS + " labels, not " + labels.size());
        }
        if (!named) {
            name = labels.get(FUNCTION);
            if (name == null) {
                throw bad("a trace needs a name: the X-name header or the name= parameter, e.g. the function's name");
            }
        }
        checkToken("name", name);
        labels.putIfAbsent(FUNCTION, name);
        return new TraceLabels(name, labels);
    }

    /** The name and labels as one map, the name under {@value #NAME}: what {@link #of} reads. */
    public Map<String, String> asMap() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(NAME, name);
        all.putAll(labels);
        return all;
    }

    public String function() {
        return labels.get(FUNCTION);
    }

    /** Whether {@code value} is a valid name (or label key). */
    public static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    private static void checkToken(String what, String value) throws TraceRejectedException {
        if (value == null || value.isEmpty()) {
            throw bad("the " + what + " is empty; " + EXPECTED);
        }
        if (value.length() > MAX_LENGTH) {
            throw bad("the " + what + " \"" + printable(value) + "\" is " + value.length() + " characters long; "
                    + EXPECTED);
        }
        if (!TOKEN.matcher(value).matches()) {
            throw bad("the " + what + " \"" + printable(value) + "\" is not allowed; " + EXPECTED);
        }
    }

    private static String sanitise(String key, String value) throws TraceRejectedException {
        String clean = OTHER_CHARACTERS.matcher(value == null ? "" : value.strip()).replaceAll("_");
        if (clean.length() > MAX_LENGTH) {
            clean = clean.substring(0, MAX_LENGTH);
        }
        if (clean.isEmpty() || clean.chars().allMatch(c -> c == '_')) {
            throw bad("the label " + key + " has an empty value, or one without a letter or digit");
        }
        return clean;
    }

    private static TraceRejectedException bad(String message) {
        return new TraceRejectedException(TraceRejectedException.Reason.BAD_LABEL, message);
    }

    /** A caller's text, shortened and stripped of control characters before it goes into a message. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
