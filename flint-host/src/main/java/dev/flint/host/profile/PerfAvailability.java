package dev.flint.host.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether {@code perf} is here and may sample, found out once: the program on {@code PATH}, the
 * kernel's {@code perf_event_paranoid} against Flint's privileges (root, {@code CAP_PERFMON},
 * {@code CAP_SYS_ADMIN}), and a real probe, {@code perf record -e cpu-clock -F 99 -g -k mono -- true},
 * which is the same kind of recording {@link PerfRecorder} makes. A second probe with {@code -a}
 * tells whether perf may also sample system-wide, which sampling by cgroup ({@code -G}) needs.
 *
 * <p>When perf cannot sample, {@link #reason()} says what is missing and how to enable it, in one
 * line a user can act on ("perf is not installed: apt-get install linux-perf ..."). The host logs it
 * once ({@link #logLine()}) and answers profile requests with 503 and that reason.
 *
 * <p>The probes take about 0.1-0.3 s: call {@link #shared()} (or {@link #check()}) off the event
 * loops, at start-up.
 */
public final class PerfAvailability {

    /** CAP_SYS_ADMIN, and CAP_PERFMON (Linux 5.8+): either lets perf sample as root would. */
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final String INSTALL_HINT = "apt-get install linux-perf (Debian), apt-get install linux-tools-$(uname -r)"
            + " (Ubuntu), dnf install perf (Fedora, RHEL)";

    private static volatile PerfAvailability shared;

    private final boolean available;
    private final boolean systemWide;
    private final String perfExecutable;
    private final String version;
    private final boolean noBpfEvent;
    private final String reason;
    private final String systemWideReason;
    private final Duration probeTook;

    private PerfAvailability(boolean available, boolean systemWide, String perfExecutable, String version,
                             boolean noBpfEvent, String reason, String systemWideReason, Duration probeTook) {
        this.available = available;
        this.systemWide = systemWide;
        this.perfExecutable = perfExecutable;
        this.version = version;
        this.noBpfEvent = noBpfEvent;
        this.reason = reason;
        this.systemWideReason = systemWideReason;
        this.probeTook = probeTook;
    }

    /** The host's answer, checked the first time it is asked for and then kept. */
    public static PerfAvailability shared() {
        PerfAvailability a = shared;
        if (a == null) {
            synchronized (PerfAvailability.class) {
                a = shared;
                if (a == null) {
                    a = check();
                    shared = a;
                }
            }
        }
        return a;
    }

    /** Checks now, with this process's {@code PATH}. */
    public static PerfAvailability check() {
        return check(System.getenv("PATH"));
    }

    /** Checks now, looking for perf on {@code pathVariable} (a {@code PATH} value) only. */
    public static PerfAvailability check(String pathVariable) {
        return check(pathVariable, Path.of("/proc"));
    }

    /** For tests: {@code procRoot} stands for {@code /proc} (its {@code sys/kernel/perf_event_paranoid}, {@code self/status}). */
    static PerfAvailability check(String pathVariable, Path procRoot) {
        long began = System.nanoTime();
        Path perf = ProcessRun.onPath("perf", pathVariable);
        if (perf == null) {
            return unavailable(null, "perf is not installed (no perf on PATH): " + INSTALL_HINT, began);
        }
        Optional<Integer> paranoid = readParanoid(procRoot);
        if (paranoid.isEmpty()) {
            return unavailable(perf.toString(), "the kernel offers no perf events (" + procRoot
                    + "/sys/kernel/perf_event_paranoid is missing): a kernel built without CONFIG_PERF_EVENTS, or /proc"
                    + " not mounted", began);
        }
        boolean privileged = privileged(procRoot);
        int level = paranoid.get();
        String paranoidHint = "kernel.perf_event_paranoid is " + level + ": sysctl -w kernel.perf_event_paranoid=1"
                + " or run Flint as root (or with CAP_PERFMON)";
        if (!privileged && level >= 3) {
            // Debian's and Ubuntu's level 3 forbids perf_event_open to every user but root.
            return unavailable(perf.toString(), paranoidHint, began);
        }
        Map<String, String> env = Map.of("PATH", pathVariable == null ? "/usr/bin:/bin" : pathVariable + ":/usr/bin:/bin",
                "LC_ALL", "C");
        String version = version(perf, env);
        Path out;
        try {
            out = Files.createTempFile("flint-perf-probe-", ".data");
        } catch (IOException e) {
            return unavailable(perf.toString(), "cannot create a temporary file for the perf probe: " + e.getMessage(), began);
        }
        try {
            boolean noBpf = true;
            ProcessRun.Result r = probe(perf, env, out, false, true);
            if (!r.ok() && mentions(r, "no-bpf-event")) {
                noBpf = false; // an old perf without the option
                r = probe(perf, env, out, false, false);
            }
            if (!r.ok()) {
                String why = explain(r, level, privileged, paranoidHint);
                return unavailable(perf.toString(), why, began);
            }
            ProcessRun.Result wide = probe(perf, env, out, true, noBpf);
            boolean systemWide = wide.ok();
            String wideReason = systemWide ? null : "perf may not sample system-wide (-a), which sampling by cgroup needs: "
                    + (privileged ? wide.stderrSummary() : "kernel.perf_event_paranoid is " + level
                    + "; sysctl -w kernel.perf_event_paranoid=0, or run Flint as root (or with CAP_PERFMON)");
            return new PerfAvailability(true, systemWide, perf.toString(), version, noBpf, null, wideReason,
                    Duration.ofNanos(System.nanoTime() - began));
        } catch (IOException e) {
            return unavailable(perf.toString(), "perf cannot be run (" + perf + "): " + e.getMessage(), began);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(perf.toString(), "the perf probe was interrupted", began);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(Path.of(out + ".old"));
            } catch (IOException ignored) {
                // a probe file in /tmp
            }
        }
    }

    private static ProcessRun.Result probe(Path perf, Map<String, String> env, Path out, boolean systemWide, boolean noBpf)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(perf.toString(), "record", "-e", "cpu-clock", "-F", "99", "-g", "-k", "mono"));
        if (systemWide) {
            cmd.add("-a");
        }
        if (noBpf) {
            cmd.add("--no-bpf-event");
        }
        cmd.addAll(List.of("-q", "-o", out.toString(), "--", ProcessRun.systemTool("true")));
        return ProcessRun.run(cmd, env, null, PROBE_TIMEOUT);
    }

    private static boolean mentions(ProcessRun.Result r, String text) {
        return r.stderr().stream().anyMatch(l -> l.contains(text));
    }

    /** What the failed probe's stderr means, as something to do. */
    private static String explain(ProcessRun.Result r, int paranoid, boolean privileged, String paranoidHint) {
        if (r.timedOut()) {
            return "perf record did not finish a probe of a program that exits at once within "
                    + PROBE_TIMEOUT.toSeconds() + " s";
        }
        String said = r.stderrSummary();
        String lower = said.toLowerCase(Locale.ROOT);
        if (lower.contains("perf not found for kernel") || lower.contains("linux-tools")) {
            return "perf is installed, but not for the running kernel (" + said + "): " + INSTALL_HINT;
        }
        if (lower.contains("clockid") || lower.contains("use_clockid")) {
            return "the kernel does not support perf record -k mono (needs Linux 4.1+), which Flint needs to line samples"
                    + " up with invocations: " + said;
        }
        if (lower.contains("permission") || lower.contains("not permitted") || lower.contains("access to performance")
                || lower.contains("paranoid")) {
            if (!privileged && paranoid >= 2) {
                return "perf may not sample (" + said + "): " + paranoidHint;
            }
            return "perf_event_open is not permitted (" + said + "): in a container, run with --cap-add PERFMON"
                    + " (or SYS_ADMIN) and a seccomp profile that allows perf_event_open; else " + paranoidHint;
        }
        return "perf record cannot sample here (exit code " + r.exitCode() + ": " + said + ")";
    }

    private static String version(Path perf, Map<String, String> env) {
        Path out = null;
        try {
            out = Files.createTempFile("flint-perf-version-", ".txt");
            ProcessRun.Result r = ProcessRun.run(List.of(perf.toString(), "--version"), env, out, Duration.ofSeconds(5));
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            return r.ok() && !text.isEmpty() ? text : "perf (version unknown)";
        } catch (IOException e) {
            return "perf (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "perf (version unknown)";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private static Optional<Integer> readParanoid(Path procRoot) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(procRoot.resolve("sys/kernel/perf_event_paranoid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Root, or CAP_PERFMON or CAP_SYS_ADMIN in the effective set, from {@code self/status}. */
    static boolean privileged(Path procRoot) {
        try {
            for (String line : Files.readAllLines(procRoot.resolve("self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    if (ids.length > 1 && ids[1].equals("0")) {
                        return true;
                    }
                } else if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    if ((caps & (1L << CAP_SYS_ADMIN)) != 0 || (caps & (1L << CAP_PERFMON)) != 0) {
                        return true;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static PerfAvailability unavailable(String perf, String reason, long began) {
        return new PerfAvailability(false, false, perf, null, false, reason, reason, Duration.ofNanos(System.nanoTime() - began));
    }

    /** Whether perf may sample Flint's handler processes. */
    public boolean available() {
        return available;
    }

    /** Why perf may not sample, with what to do about it; empty when it may. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Whether perf may also sample system-wide ({@code -a}), as sampling by cgroup needs. */
    public boolean systemWide() {
        return systemWide;
    }

    /** Why perf may not sample system-wide; empty when it may. */
    public Optional<String> systemWideReason() {
        return Optional.ofNullable(systemWideReason);
    }

    /** The perf program found, when one was. */
    public Optional<String> perfExecutable() {
        return Optional.ofNullable(perfExecutable);
    }

    /** {@code perf --version}'s answer, when perf is available. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * Whether this perf knows {@code --no-bpf-event} (perf 5.1+). {@link PerfRecorder} passes it: it
     * stops perf's BPF side-band thread, whose one-second poll otherwise adds about 1 s to every
     * recording's teardown (measured here: 1.09 s for {@code -- true} without it, 0.14 s with it).
     */
    boolean noBpfEvent() {
        return noBpfEvent;
    }

    /** How long the check took. */
    public Duration probeTook() {
        return probeTook;
    }

    /** The one line the host logs at start: what profiling can do here, or why it cannot. */
    public String logLine() {
        if (!available) {
            return "Profiling is unavailable: " + reason;
        }
        return "Profiling: " + version + " (" + perfExecutable + ") can sample handler processes"
                + (systemWide ? ", by pid or by cgroup" : " by pid (not by cgroup: " + systemWideReason + ")");
    }

    @Override
    public String toString() {
        return logLine();
    }
}
