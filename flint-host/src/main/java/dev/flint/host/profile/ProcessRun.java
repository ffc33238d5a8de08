package dev.flint.host.profile;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a helper program (perf, jcmd) to its end, bounded: no stdin, stdout to a file or discarded,
 * stderr to a temporary file (never a pipe, so a chatty program cannot block on a full pipe), and a
 * deadline after which the program and its descendants are killed. Waits with
 * {@link Process#onExit()}, which parks a virtual thread instead of pinning its carrier.
 */
final class ProcessRun {

    private static final File NULL_FILE = new File("/dev/null");
    private static final int STDERR_LINES = 20;

    /**
     * How a run ended.
     *
     * @param exitCode  the exit code, or -1 when it was killed at the deadline
     * @param timedOut  whether it overran its deadline (and was killed)
     * @param stderr    its last lines of stderr
     * @param took      how long it ran
     */
    record Result(int exitCode, boolean timedOut, List<String> stderr, Duration took) {

        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** The stderr lines as one string, for messages: {@code "line; line"}, or "it wrote nothing to stderr". */
        String stderrSummary() {
            List<String> useful = stderr.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return useful.isEmpty() ? "it wrote nothing to stderr" : String.join("; ", useful);
        }
    }

    private ProcessRun() {}

    /**
     * Runs {@code command} until it ends or {@code timeout} passes.
     *
     * @param environment replaces the child's environment when not null
     * @param stdout      where stdout goes; null discards it
     */
    static Result run(List<String> command, Map<String, String> environment, Path stdout, Duration timeout)
            throws IOException, InterruptedException {
        Started started = start(command, environment, stdout);
        return started.await(timeout, Duration.ofSeconds(2));
    }

    /** Starts {@code command}; the caller awaits it with {@link Started#await}. */
    static Started start(List<String> command, Map<String, String> environment, Path stdout) throws IOException {
        Path err = Files.createTempFile("flint-profile-", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(NULL_FILE))
                .redirectOutput(stdout == null ? ProcessBuilder.Redirect.to(NULL_FILE) : ProcessBuilder.Redirect.to(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.to(err.toFile()));
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        try {
            return new Started(builder.start(), err, System.nanoTime());
        } catch (IOException e) {
            Files.deleteIfExists(err);
            throw e;
        }
    }

    /** A started helper: its process, and the file its stderr goes to. */
    static final class Started {
        private final Process process;
        private final Path stderrFile;
        private final long startedAt;

        private Started(Process process, Path stderrFile, long startedAt) {
            this.process = process;
            this.stderrFile = stderrFile;
            this.startedAt = startedAt;
        }

        Process process() {
            return process;
        }

        long startedAtNanos() {
            return startedAt;
        }

        /**
         * Ends the program early but cleanly: SIGTERM, which perf record handles as the end of the
         * recording (it writes its data, ends its workload and exits with 143).
         */
        void stopEarly() {
            process.destroy();
        }

        /**
         * Waits until the program ends or {@code timeout} passes; past it, SIGTERM to the program
         * and its descendants, {@code killGrace} more, then SIGKILL. Interrupted: the program is
         * killed the same way and the interrupt is thrown on.
         */
        Result await(Duration timeout, Duration killGrace) throws InterruptedException {
            boolean timedOut = false;
            try {
                process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                timedOut = true;
                kill(killGrace);
            } catch (InterruptedException e) {
                kill(killGrace);
                cleanUp();
                throw e;
            } catch (ExecutionException e) {
                throw new IllegalStateException("onExit() failed", e); // never: onExit does not fail
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            int code = timedOut ? -1 : process.exitValue();
            List<String> lines = tail(stderrFile);
            cleanUp();
            return new Result(code, timedOut, lines, took);
        }

        private void kill(Duration grace) {
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            family.add(process.toHandle());
            family.forEach(ProcessHandle::destroy);
            boolean interrupted = false;
            try {
                process.onExit().get(grace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                // SIGKILL below
            }
            family.forEach(ProcessHandle::destroyForcibly);
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void cleanUp() {
            try {
                Files.deleteIfExists(stderrFile);
            } catch (IOException ignored) {
                // a temporary file left in /tmp; nothing else depends on it
            }
        }
    }

    private static List<String> tail(Path file) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return List.copyOf(all.subList(Math.max(0, all.size() - STDERR_LINES), all.size()));
        } catch (IOException e) {
            return List.of("(stderr unreadable: " + e.getMessage() + ")");
        }
    }

    /** {@code name} on {@code pathVariable} (a {@code PATH} value), executable; null when absent. */
    static Path onPath(String name, String pathVariable) {
        if (pathVariable == null) {
            return null;
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A system tool ({@code sleep}, {@code true}) from {@code PATH} or the usual directories. */
    static String systemTool(String name) {
        Path p = onPath(name, System.getenv("PATH"));
        if (p == null) {
            p = onPath(name, "/usr/bin:/bin:/usr/local/bin");
        }
        return p == null ? name : p.toString();
    }
}
