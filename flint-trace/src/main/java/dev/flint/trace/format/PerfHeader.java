package dev.flint.trace.format;

import dev.flint.trace.model.TraceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code perf script --header} block: every line starting with {@code #} is a comment, and
 * those of the form {@code # key : value} become trace metadata. Old perf aligns nothing
 * ({@code # hostname : vm}), new perf aligns some colons ({@code # captured on    : Tue Dec  1 ...}),
 * and a few keys have no space before the colon ({@code # clockid: monotonic (1)}).
 *
 * <p>Keys are perf's, lower-cased, with runs of spaces as one {@code _}: {@code cmdline},
 * {@code hostname}, {@code cpudesc}, {@code captured_on}, {@code time_of_first_sample},
 * {@code time_of_last_sample}, {@code sample_duration}, {@code clockid}, {@code perf_version}, ...
 * The {@code # event : name = cpu-clock, ...} lines are kept whole as {@code event}, {@code event.2},
 * ...; when no {@code # clockid:} line is given, an event's {@code clockid = N} fills {@code clockid}.
 */
final class PerfHeader {

    static final String EVENT_KEY = "event";
    static final String CLOCKID_KEY = "clockid";

    private static final int MAX_KEY_LENGTH = 40;
    /** perf's names for the clock ids of {@code perf record -k}, as its {@code # clockid:} line writes them. */
    private static final Map<String, String> CLOCKS = Map.of("0", "realtime (0)", "1", "monotonic (1)", "4",
            "monotonic_raw (4)", "5", "realtime_coarse (5)", "6", "monotonic_coarse (6)", "7", "boottime (7)",
            "11", "tai (11)");

    private final TraceBuilder builder;
    private final List<String> eventNames = new ArrayList<>();
    private boolean clockidLine;

    PerfHeader(TraceBuilder builder) {
        this.builder = builder;
    }

    /** The event names of the header's {@code # event} lines, in order. */
    List<String> eventNames() {
        return eventNames;
    }

    /** A comment line, without its line end. */
    void comment(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return;
        }
        String key = normalizeKey(line.substring(1, colon));
        if (key == null) {
            return;
        }
        String value = line.substring(colon + 1).strip();
        if (key.equals(EVENT_KEY)) {
            event(value);
            return;
        }
        if (key.equals(CLOCKID_KEY)) {
            clockidLine = true;
        }
        builder.metadata(key, value);
    }

    private void event(String value) {
        builder.metadata(eventNames.isEmpty() ? EVENT_KEY : EVENT_KEY + "." + (eventNames.size() + 1), value);
        String name = field(value, "name");
        eventNames.add(name == null ? "" : name);
        String clockid = field(value, "clockid");
        if (clockid != null && !clockidLine) {
            builder.metadata(CLOCKID_KEY, CLOCKS.getOrDefault(clockid, clockid));
        }
    }

    /** The value of {@code key = value,} in an event description, or null. */
    private static String field(String description, String key) {
        for (String part : description.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(key)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    /** {@code " captured on    "} as {@code captured_on}; null when it is not a key (free text). */
    private static String normalizeKey(String raw) {
        String k = raw.strip();
        if (k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
            return null;
        }
        StringBuilder out = new StringBuilder(k.length());
        boolean space = false;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return null;
            }
            if (space) {
                out.append('_');
                space = false;
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }
}
