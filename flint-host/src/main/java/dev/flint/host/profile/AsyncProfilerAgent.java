package dev.flint.host.profile;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * async-profiler's native agent, from the {@code tools.profiler:async-profiler} jar on Flint's class
 * path: extracted once per version into the data directory, named in each Java handler's
 * {@code JAVA_TOOL_OPTIONS} ({@code -agentpath:...}, so that it is loaded as the JVM starts, before
 * any code runs), and driven per window through the JDK's attach API: {@code start} with the
 * sampling interval and a JFR file, then {@code stop}, which writes the file. Samples carry Java
 * frames with real method names, inlined frames included, and need neither frame pointers nor a
 * perf map; with {@code event=cpu} the agent uses perf events itself, or the kernel's timer.
 */
public final class AsyncProfilerAgent {

    private static final String RESOURCE_ROOT = "linux-" + architecture() + "/libasyncProfiler.so";

    private final Path library;
    private final String version;

    private AsyncProfilerAgent(Path library, String version) {
        this.library = library;
        this.version = version;
    }

    /**
     * The agent for this machine, extracted into {@code directory} (kept across starts; rewritten
     * when its size differs), or why there is none (not Linux on x64 or arm64, or the jar is missing).
     */
    public static Agent install(Path directory) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || architecture() == null) {
            return new Agent(Optional.empty(), Optional.of("async-profiler's agent is for Linux on x64 or arm64; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch")));
        }
        String version = jarVersion();
        try (InputStream in = AsyncProfilerAgent.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT)) {
            if (in == null) {
                return new Agent(Optional.empty(), Optional.of("async-profiler's jar (tools.profiler:async-profiler) is not on"
                        + " Flint's class path"));
            }
            byte[] bytes = in.readAllBytes();
            Path dir = directory.resolve("async-profiler-" + version + "-" + architecture());
            Path lib = dir.resolve("libasyncProfiler.so");
            if (!Files.isRegularFile(lib) || Files.size(lib) != bytes.length) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "lib", ".so.tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Agent(Optional.of(new AsyncProfilerAgent(lib, version)), Optional.empty());
        } catch (IOException e) {
            return new Agent(Optional.empty(), Optional.of("async-profiler's agent cannot be written to " + directory + ": "
                    + e.getMessage()));
        }
    }

    /** What {@link #install} found: the agent, or why there is none. */
    public record Agent(Optional<AsyncProfilerAgent> agent, Optional<String> reason) {}

    /** The JVM option that loads the agent at start, idle until a window starts it. */
    public String agentOption() {
        return "-agentpath:" + library;
    }

    public Path library() {
        return library;
    }

    public String version() {
        return version;
    }

    /** Starts sampling {@code pid}'s CPU time every {@code intervalNanos}, into a JFR file. */
    void start(long pid, long intervalNanos, Path jfr) throws ProfilingException {
        command(pid, "start,event=cpu,interval=" + intervalNanos + ",jfr,file=" + jfr);
    }

    /** Stops sampling {@code pid} and writes the JFR file the window started. */
    void stop(long pid, Path jfr) throws ProfilingException {
        command(pid, "stop,file=" + jfr);
    }

    private void command(long pid, String options) throws ProfilingException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            boolean gone = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE;
            throw new ProfilingException(gone ? ProfilingException.Kind.NOT_RUNNING : ProfilingException.Kind.FAILED,
                    "cannot attach to the JVM " + pid + " to drive async-profiler (is it started with"
                            + " -XX:+DisableAttachMechanism?): " + e.getMessage(), e);
        }
        try {
            vm.loadAgentPath(library.toString(), options);
        } catch (AgentInitializationException e) {
            throw new ProfilingException(ProfilingException.Kind.FAILED, "async-profiler refused `" + options.split(",")[0]
                    + "` in JVM " + pid + " (code " + e.returnValue() + "; its reason is on the handler's stderr)", e);
        } catch (AgentLoadException | IOException e) {
            throw new ProfilingException(ProfilingException.Kind.FAILED, "async-profiler could not run `"
                    + options.split(",")[0] + "` in JVM " + pid + ": " + e.getMessage(), e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the JVM went away; the command's own result says what happened
            }
        }
    }

    private static String architecture() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
    }

    private static String jarVersion() {
        try (InputStream in = AsyncProfilerAgent.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/tools.profiler/async-profiler/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
