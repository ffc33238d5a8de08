package dev.flint.host.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names for the code a JVM compiled at run time, which perf sees only as addresses in anonymous
 * memory. Two things are needed, both standard in JDK 17+ (profiling.md section 7):
 * <ul>
 *   <li>frame pointers in compiled code, so that perf's frame-pointer unwinding walks through Java
 *       frames: the JVM is started with {@value #PRESERVE_FRAME_POINTER} ({@link #javaToolOptions});
 *       without it a sample keeps its Java leaf but loses its Java callers;</li>
 *   <li>a map from addresses to method names, {@code /tmp/perf-<pid>.map}, current when
 *       {@code perf script} runs: {@link #writePerfMaps} runs {@code jcmd <pid> Compiler.perfmap} right
 *       before it. A method compiled and then thrown away during the window is not in the map (its
 *       samples stay {@code [unknown]}); everything alive at the end of the window is.</li>
 * </ul>
 * The jcmd beside the target's own {@code java} is used when there is one (same version), else the
 * host's, else {@code jcmd} on {@code PATH}. Map files that Flint made are removed once the trace is
 * written ({@link PerfMaps#close()}); one that was there before (made by someone else) is left alone.
 */
public final class JitSymbols {

    /** The JVM option that keeps frame pointers in JIT-compiled code (JDK 8u60+). */
    public static final String PRESERVE_FRAME_POINTER = "-XX:+PreserveFramePointer";

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(10);

    private JitSymbols() {}

    /**
     * The {@code JAVA_TOOL_OPTIONS} value a handler's environment should carry when it may be
     * profiled: {@code existing} (the app's own, from local.settings.json or the host) with
     * {@value #PRESERVE_FRAME_POINTER} added once. Every JVM reads this variable, including one a
     * wrapper script starts, and every other program ignores it. The JVM prints
     * {@code Picked up JAVA_TOOL_OPTIONS: ...} on stderr at start.
     */
    public static String javaToolOptions(String existing) {
        if (existing == null || existing.isBlank()) {
            return PRESERVE_FRAME_POINTER;
        }
        for (String option : existing.trim().split("\\s+")) {
            if (option.equals(PRESERVE_FRAME_POINTER)) {
                return existing;
            }
        }
        return existing.trim() + " " + PRESERVE_FRAME_POINTER;
    }

    /** Whether {@code pid} is a HotSpot JVM: it has {@code libjvm.so} mapped. */
    public static boolean isJvm(long pid) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        try (BufferedReader in = Files.newBufferedReader(maps, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The JVMs among {@code pids}. */
    public static List<Long> jvms(Set<Long> pids) {
        List<Long> jvms = new ArrayList<>();
        for (long pid : pids) {
            if (isJvm(pid)) {
                jvms.add(pid);
            }
        }
        return jvms;
    }

    /**
     * The perf maps of one recording: which JVMs got one, which failed and why, and which files to
     * remove once {@code perf script} has read them.
     */
    public static final class PerfMaps implements AutoCloseable {
        private final List<Long> written = new ArrayList<>();
        private final List<Path> ours = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private Duration took = Duration.ZERO;

        public List<Long> written() {
            return List.copyOf(written);
        }

        public List<String> warnings() {
            return List.copyOf(warnings);
        }

        public Duration took() {
            return took;
        }

        /** Removes the map files this recording made. */
        @Override
        public void close() {
            for (Path p : ours) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file in /tmp
                }
            }
            ours.clear();
        }
    }

    /**
     * Asks each live JVM among {@code jvmPids} to write {@code /tmp/perf-<pid>.map} now. Failures are
     * warnings (the trace is still stored, with {@code [unknown]} JIT frames): a JVM that exited, one
     * started with {@code -XX:+DisableAttachMechanism}, one older than JDK 17.
     */
    public static PerfMaps writePerfMaps(List<Long> jvmPids) throws InterruptedException {
        PerfMaps maps = new PerfMaps();
        long began = System.nanoTime();
        for (long pid : jvmPids) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                maps.warnings.add("JVM " + pid + " exited before its perf map was written: its JIT frames are [unknown]");
                continue;
            }
            Path map = Path.of("/tmp", "perf-" + pid + ".map");
            boolean existed = Files.exists(map);
            String jcmd = jcmdFor(handle.get());
            try {
                ProcessRun.Result r = ProcessRun.run(List.of(jcmd, Long.toString(pid), "Compiler.perfmap"),
                        environment(), null, JCMD_TIMEOUT);
                if (r.ok() && Files.exists(map)) {
                    maps.written.add(pid);
                    if (!existed) {
                        maps.ours.add(map);
                    }
                } else {
                    maps.warnings.add("jcmd " + pid + " Compiler.perfmap failed (" + (r.timedOut() ? "timed out after "
                            + JCMD_TIMEOUT.toSeconds() + " s" : "exit code " + r.exitCode()) + ": " + r.stderrSummary()
                            + "): the JIT frames of JVM " + pid + " are [unknown] (needs JDK 17+ and the attach mechanism)");
                }
            } catch (IOException e) {
                maps.warnings.add("cannot run " + jcmd + " for JVM " + pid + ": " + e.getMessage());
            }
        }
        maps.took = Duration.ofNanos(System.nanoTime() - began);
        return maps;
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        // jcmd is a JVM too: it must not pick up the handler's options, nor print that it did.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        return env;
    }

    /** The jcmd of the target's own JDK when it has one, else the host's, else {@code jcmd} on PATH. */
    static String jcmdFor(ProcessHandle target) {
        try {
            Path exe = Path.of("/proc", Long.toString(target.pid()), "exe").toRealPath();
            Path sibling = exe.resolveSibling("jcmd");
            if (Files.isExecutable(sibling)) {
                return sibling.toString();
            }
        } catch (IOException | SecurityException e) {
            // not ours to read; fall through
        }
        Path host = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(host)) {
            return host.toString();
        }
        return "jcmd";
    }
}
