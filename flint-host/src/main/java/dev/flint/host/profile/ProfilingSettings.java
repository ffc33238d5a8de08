package dev.flint.host.profile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Flint profiles its handlers: from {@code flint start --profile}, or host.json's
 * {@code profiling} section:
 * <pre>{@code
 * "profiling": {
 *   "enabled": true,                 // default true when the section is there
 *   "frequency": 199,                // samples per second per busy CPU, 1..100000; default 200
 *   "window": "00:00:10",            // each stored trace covers this much: "hh:mm:ss", "10s" or 10; 1 s..1 h
 *   "retention": { "maxAge": "7.00:00:00", "maxTotalSize": "1GB" },
 *   "jvm": "perf-map",               // or "async-profiler"
 *   "sampling": "auto"               // or "pid": perf samples the handler's cgroup where it has one, else its pids
 * }
 * }</pre>
 *
 * <p><b>Frequency.</b> The default is {@value #DEFAULT_FREQUENCY_HZ} Hz (one sample every 5 ms per
 * busy CPU, about 0 % overhead with frame-pointer stacks: profiling.md 6.2). Any value is accepted.
 * A value off round numbers, such as 199 or 997, is often the better choice: a sampler that ticks at
 * a round rate runs in lockstep with anything else that runs at a round rate (a 100 Hz or 1 kHz timer,
 * a 10 ms scheduler tick, a poll loop of 5 ms), so every sample lands at the same phase of that
 * activity and it is over- or under-counted for the whole recording; at 199 Hz the phase drifts a
 * little every period and both are sampled fairly. FlameGraph and FlameScope use 99 and 49 Hz for
 * this reason.
 *
 * @param enabled      whether windows are recorded continuously (on-demand profiles work either way)
 * @param frequencyHz  {@code perf record -F}
 * @param window       the length of one continuous window, hence of one stored trace
 * @param retention    how long, and how much, the trace store keeps
 * @param jvmMode      how Java handlers get method names
 * @param byCgroup     whether perf samples the handler's cgroup ({@code -a -G}) when it has one ({@code "auto"}),
 *                     or always its processes by pid ({@code "pid"}: perf records less sideband, see docs/performance.md)
 */
public record ProfilingSettings(boolean enabled, int frequencyHz, Duration window, Retention retention, JvmMode jvmMode,
                                boolean byCgroup) {

    public static final int DEFAULT_FREQUENCY_HZ = 200;
    public static final int MAX_FREQUENCY_HZ = 100_000;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofHours(1);

    /** Profiling off, with the defaults for everything else. */
    public static final ProfilingSettings DEFAULT = new ProfilingSettings(false, DEFAULT_FREQUENCY_HZ, DEFAULT_WINDOW,
            Retention.DEFAULT, JvmMode.PERF_MAP, true);

    private static final List<String> KEYS = List.of("enabled", "frequency", "window", "retention", "jvm", "sampling");
    private static final List<String> RETENTION_KEYS = List.of("maxAge", "maxTotalSize");

    public ProfilingSettings {
        if (frequencyHz < 1 || frequencyHz > MAX_FREQUENCY_HZ) {
            throw new IllegalArgumentException("frequency must be 1.." + MAX_FREQUENCY_HZ + " Hz, was " + frequencyHz);
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be 1 s..1 h, was " + window);
        }
        java.util.Objects.requireNonNull(retention, "retention");
        java.util.Objects.requireNonNull(jvmMode, "jvmMode");
    }

    /**
     * What the trace store keeps: traces younger than {@code maxAge}, newest first, up to
     * {@code maxTotalBytes} in all.
     */
    public record Retention(Duration maxAge, long maxTotalBytes) {
        public static final Retention DEFAULT = new Retention(Duration.ofDays(7), 1L << 30);

        public Retention {
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
            }
            if (maxTotalBytes < 1) {
                throw new IllegalArgumentException("maxTotalBytes must be positive, was " + maxTotalBytes);
            }
        }
    }

    /** How a Java handler's JIT-compiled methods get names in a perf trace. */
    public enum JvmMode {
        /**
         * perf samples the JVM like any process; the JVM runs with {@code -XX:+PreserveFramePointer}
         * (so perf can walk JIT frames) and writes {@code /tmp/perf-<pid>.map} on request
         * ({@code jcmd <pid> Compiler.perfmap}) just before {@code perf script} names the frames.
         */
        PERF_MAP("perf-map"),
        /**
         * async-profiler ({@code tools.profiler:async-profiler}), loaded as an agent at JVM start and
         * started and stopped per window ({@link AsyncProfilerAgent}); traces are JFR files of the
         * handler's JVM. A handler with no JVM among its processes is profiled with perf as in {@link #PERF_MAP}.
         */
        ASYNC_PROFILER("async-profiler");

        private final String wireName;

        JvmMode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Optional<JvmMode> of(String text) {
            for (JvmMode m : values()) {
                if (m.wireName.equalsIgnoreCase(text.trim())) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    public ProfilingSettings withEnabled(boolean on) {
        return new ProfilingSettings(on, frequencyHz, window, retention, jvmMode, byCgroup);
    }

    public ProfilingSettings withFrequency(int hz) {
        return new ProfilingSettings(enabled, hz, window, retention, jvmMode, byCgroup);
    }

    public ProfilingSettings withWindow(Duration w) {
        return new ProfilingSettings(enabled, frequencyHz, w, retention, jvmMode, byCgroup);
    }

    /**
     * Reads host.json's {@code profiling} section. Absent (null or a JSON null): {@link #DEFAULT}, off.
     * Present: profiling is on unless {@code "enabled": false}, and every field missing takes its
     * default. Each mistake is added to {@code problems} as
     * {@code "<hostJson>: $.profiling.<field>: <what was expected>"}, and that field takes its
     * default, so one load reports every mistake; keys are matched case-insensitively, as the rest
     * of host.json is, and an unknown key is a mistake too (a misspelt {@code "frequncy"} would
     * otherwise be ignored without a word).
     */
    public static ProfilingSettings parse(JsonNode profilingSection, Path hostJson, List<String> problems) {
        if (profilingSection == null || profilingSection.isNull() || profilingSection.isMissingNode()) {
            return DEFAULT;
        }
        Problems p = new Problems(hostJson, problems);
        if (!profilingSection.isObject()) {
            p.add("$.profiling", "expected an object such as {\"frequency\": 200, \"window\": \"00:00:10\"}, found "
                    + describe(profilingSection));
            return DEFAULT;
        }
        unknownKeys(profilingSection, "$.profiling", KEYS, p);

        boolean enabled = true;
        JsonNode n = child(profilingSection, "enabled");
        if (n != null) {
            if (n.isBoolean()) {
                enabled = n.booleanValue();
            } else {
                p.add("$.profiling.enabled", "expected true or false, found " + describe(n));
            }
        }

        int frequency = DEFAULT_FREQUENCY_HZ;
        n = child(profilingSection, "frequency");
        if (n != null) {
            if (n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 1 && n.intValue() <= MAX_FREQUENCY_HZ) {
                frequency = n.intValue();
            } else {
                p.add("$.profiling.frequency", "expected a whole number of samples per second from 1 to " + MAX_FREQUENCY_HZ
                        + " (default 200; an off-round value such as 199 avoids lockstep with periodic work), found "
                        + describe(n));
            }
        }

        Duration window = DEFAULT_WINDOW;
        n = child(profilingSection, "window");
        if (n != null) {
            Optional<Duration> d = duration(n);
            if (d.isEmpty() || d.get().compareTo(MIN_WINDOW) < 0 || d.get().compareTo(MAX_WINDOW) > 0) {
                p.add("$.profiling.window", "expected a window from 1 s to 1 h, as \"hh:mm:ss\" (\"00:00:10\"), \"10s\" or a"
                        + " number of seconds, found " + describe(n));
            } else {
                window = d.get();
            }
        }

        Retention retention = Retention.DEFAULT;
        n = child(profilingSection, "retention");
        if (n != null) {
            if (!n.isObject()) {
                p.add("$.profiling.retention", "expected an object such as {\"maxAge\": \"7.00:00:00\", \"maxTotalSize\":"
                        + " \"1GB\"}, found " + describe(n));
            } else {
                unknownKeys(n, "$.profiling.retention", RETENTION_KEYS, p);
                Duration maxAge = Retention.DEFAULT.maxAge();
                JsonNode a = child(n, "maxAge");
                if (a != null) {
                    Optional<Duration> d = duration(a);
                    if (d.isEmpty() || d.get().compareTo(Duration.ofSeconds(1)) < 0) {
                        p.add("$.profiling.retention.maxAge", "expected an age of at least 1 s, as \"d.hh:mm:ss\""
                                + " (\"7.00:00:00\"), \"12h\", \"7d\" or a number of seconds, found " + describe(a));
                    } else {
                        maxAge = d.get();
                    }
                }
                long maxBytes = Retention.DEFAULT.maxTotalBytes();
                JsonNode s = child(n, "maxTotalSize");
                if (s != null) {
                    Optional<Long> bytes = size(s);
                    if (bytes.isEmpty() || bytes.get() < 1) {
                        p.add("$.profiling.retention.maxTotalSize", "expected a size such as \"1GB\", \"500MB\" or a number"
                                + " of bytes (units are powers of 1024), found " + describe(s));
                    } else {
                        maxBytes = bytes.get();
                    }
                }
                retention = new Retention(maxAge, maxBytes);
            }
        }

        JvmMode jvm = JvmMode.PERF_MAP;
        n = child(profilingSection, "jvm");
        if (n != null) {
            Optional<JvmMode> m = n.isTextual() ? JvmMode.of(n.textValue()) : Optional.empty();
            if (m.isEmpty()) {
                p.add("$.profiling.jvm", "expected \"perf-map\" (perf with frame pointers and a JIT map) or"
                        + " \"async-profiler\", found " + describe(n));
            } else {
                jvm = m.get();
            }
        }
        boolean byCgroup = true;
        n = child(profilingSection, "sampling");
        if (n != null) {
            String s = n.isTextual() ? n.textValue().trim().toLowerCase(java.util.Locale.ROOT) : "";
            if (s.equals("pid")) {
                byCgroup = false;
            } else if (!s.equals("auto")) {
                p.add("$.profiling.sampling", "expected \"auto\" (the handler's cgroup where it has one, else its pids)"
                        + " or \"pid\", found " + describe(n));
            }
        }
        return new ProfilingSettings(enabled, frequency, window, retention, jvm, byCgroup);
    }

    private record Problems(Path file, List<String> sink) {
        void add(String jsonPath, String what) {
            sink.add((file == null ? "" : file + ": ") + jsonPath + ": " + what);
        }
    }

    private static JsonNode child(JsonNode object, String key) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    private static void unknownKeys(JsonNode object, String path, List<String> known, Problems p) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.stream().noneMatch(k -> k.equalsIgnoreCase(key))) {
                p.add(path + "." + key, "unknown setting; expected one of " + String.join(", ", known));
            }
        }
    }

    private static final Pattern TIMESPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");
    private static final Pattern SUFFIXED = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    /**
     * A duration: a number of seconds, a .NET timespan {@code [d.]hh:mm:ss[.fffffff]} as the rest
     * of host.json writes them, or a number with {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
     */
    static Optional<Duration> duration(JsonNode n) {
        if (n.isNumber()) {
            double seconds = n.doubleValue();
            return seconds >= 0 && seconds < 1e9 ? Optional.of(Duration.ofNanos(Math.round(seconds * 1e9))) : Optional.empty();
        }
        if (!n.isTextual()) {
            return Optional.empty();
        }
        String t = n.textValue().trim();
        if (t.matches("\\d+(\\.\\d+)?")) {
            double seconds = Double.parseDouble(t);
            return seconds < 1e9 ? Optional.of(Duration.ofNanos(Math.round(seconds * 1e9))) : Optional.empty();
        }
        Matcher m = TIMESPAN.matcher(t);
        if (m.matches()) {
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            int h = Integer.parseInt(m.group(2));
            int min = Integer.parseInt(m.group(3));
            int s = Integer.parseInt(m.group(4));
            if (h > 23 || min > 59 || s > 59) {
                return Optional.empty();
            }
            long nanos = 0;
            if (m.group(5) != null) {
                String f = (m.group(5) + "000000000").substring(0, 9);
                nanos = Long.parseLong(f);
            }
            return Optional.of(Duration.ofDays(days).plusHours(h).plusMinutes(min).plusSeconds(s).plusNanos(nanos));
        }
        m = SUFFIXED.matcher(t);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            double unitSeconds = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> 0.001;
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86400;
            };
            double seconds = v * unitSeconds;
            return seconds < 1e9 ? Optional.of(Duration.ofNanos(Math.round(seconds * 1e9))) : Optional.empty();
        }
        return Optional.empty();
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    /** A size: a number of bytes, or a whole number with {@code B}, {@code KB}, {@code MB}, {@code GB}, {@code TB} (powers of 1024; {@code KiB} and {@code K} too). */
    static Optional<Long> size(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? Optional.of(n.longValue()) : Optional.empty();
        }
        if (!n.isTextual()) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(n.textValue().trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int shift = 0;
        if (m.group(2) != null) {
            shift = switch (Character.toUpperCase(m.group(2).charAt(0))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 0;
            };
        }
        try {
            long v = Long.parseLong(m.group(1));
            if (shift > 0 && v > (Long.MAX_VALUE >> shift)) {
                return Optional.empty();
            }
            return Optional.of(v << shift);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "\"" + n.textValue() + "\"";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.toString();
    }
}
