package dev.flint.host.profile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The labels Flint puts on the traces it records, and the machine facts behind them (read once).
 * Keys are those the collector accepts from other platforms ({@code function}, {@code instance},
 * {@code host}, {@code cpu}, {@code frequency}), plus what only the host knows. Keys are lower-case
 * letters and {@code -}; values may hold spaces and commas ({@code cpu}, {@code pids}), which the
 * trace store's label rules turn into {@code _}.
 */
public final class ProfileLabels {

    /**
     * What the trace is of: the function profiled on demand, or the app's name for a continuous
     * window (which covers every function of the app; {@link #MODE} tells them apart). The trace
     * store takes it as the trace's name.
     */
    public static final String FUNCTION = "function";
    /** The function app (its folder name). */
    public static final String APP = "app";
    /** This Flint: {@code <host>:<pid>}. */
    public static final String INSTANCE = "instance";
    /** The machine's host name. */
    public static final String HOST = "host";
    /** The CPU model, from {@code /proc/cpuinfo}. */
    public static final String CPU = "cpu";
    /** Samples per second per busy CPU ({@code perf record -F}). */
    public static final String FREQUENCY = "frequency";
    /** The window asked for, in seconds ({@code 10}, {@code 1.5}). */
    public static final String WINDOW = "window";
    /** {@code continuous} ({@code flint start --profile}) or {@code on-demand}. */
    public static final String MODE = "mode";
    /** {@code pid} or {@code cgroup}. */
    public static final String SAMPLING = "sampling";
    /** The processes sampled, comma-separated. */
    public static final String PIDS = "pids";
    /** {@code perf-map} when JIT frames of these JVMs are named (comma-separated pids follow a colon). */
    public static final String JIT = "jit";
    /** Monotonic bounds of the recording, ns ({@link System#nanoTime()}, perf {@code -k mono}). */
    public static final String START_NS = "start-ns";
    public static final String END_NS = "end-ns";
    /** The wall-clock time of {@link #START_NS}, ISO-8601. */
    public static final String START_TIME = "start-time";
    /** Always {@code monotonic}: the clock of the samples and the marks. */
    public static final String CLOCK = "clock";

    private static volatile Map<String, String> machine;

    private ProfileLabels() {}

    /** {@code host}, {@code instance} and {@code cpu} of this machine and this Flint, read once. */
    public static Map<String, String> machine() {
        Map<String, String> m = machine;
        if (m == null) {
            String host = hostName();
            Map<String, String> made = new LinkedHashMap<>();
            made.put(HOST, host);
            made.put(INSTANCE, host + ":" + ProcessHandle.current().pid());
            made.put(CPU, cpuModel());
            m = Map.copyOf(made);
            machine = m;
        }
        return m;
    }

    /** The labels of one recording. */
    static Map<String, String> of(String app, Optional<String> function, String mode, PerfRecorder.Recording r) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(FUNCTION, function.orElse(app));
        l.put(APP, app);
        l.putAll(machine());
        l.put(FREQUENCY, Integer.toString(r.frequencyHz()));
        l.put(WINDOW, PerfRecorder.seconds(r.window()));
        l.put(MODE, mode);
        l.put(SAMPLING, r.sampling());
        l.put(PIDS, r.pids().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        boolean jfr = r.wallClock();
        if (!r.jvmPids().isEmpty()) {
            l.put(JIT, (jfr ? "async-profiler:" : "perf-map:")
                    + r.jvmPids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        // async-profiler's JFR times samples by the wall clock; perf -k mono by System.nanoTime()'s.
        long shift = jfr ? r.wallMinusMonoNanos() : 0;
        l.put(START_NS, Long.toString(r.startNanos() + shift));
        l.put(END_NS, Long.toString(r.endNanos() + shift));
        l.put(START_TIME, r.startTime().toString());
        l.put(CLOCK, jfr ? "wall" : "monotonic");
        return l;
    }

    /** {@code /proc/sys/kernel/hostname}, else {@code $HOSTNAME}, else the resolver's; never a DNS wait on the way. */
    static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException ignored) {
            // not Linux, or no /proc
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The first {@code model name} of {@code /proc/cpuinfo} (x86), else its {@code Hardware} or {@code CPU part} (ARM). */
    static String cpuModel() {
        try {
            String fallback = null;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip().replaceAll("\\s+", " ");
                if (key.equals("model name") && !value.isEmpty()) {
                    return value;
                }
                if (fallback == null && (key.equals("Hardware") || key.equals("CPU part")) && !value.isEmpty()) {
                    fallback = value;
                }
            }
            return fallback == null ? "unknown" : fallback;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
