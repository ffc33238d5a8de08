package dev.flint.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process whose stdout and stderr are read line by line on background threads, so that
 * tests can wait for what it prints, and can show all of it when they fail.
 */
final class ChildProcess implements AutoCloseable {

    private static final long POLL_MILLIS = 20;

    private final String description;
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    /** Everything below the process seen while it ran; kept so that a test can check each is gone after it exits. */
    private final List<ProcessHandle> seenDescendants = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();

    private ChildProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        this.stdoutReader = pump("stdout", process.getInputStream(), stdout);
        this.stderrReader = pump("stderr", process.getErrorStream(), stderr);
    }

    static ChildProcess start(List<String> command, Path directory, Map<String, String> extraEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(extraEnvironment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new ChildProcess(String.join(" ", command), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private Thread pump(String name, InputStream in, StringBuffer into) {
        return Thread.ofPlatform().daemon().name("child-" + name + "-" + process.pid()).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (watchers) {
                        into.append(line).append('\n');
                        if (into == stdout) {
                            fire(line);
                        }
                    }
                }
            } catch (IOException e) {
                into.append("<reading ").append(name).append(" failed: ").append(e).append(">\n");
            }
        });
    }

    /**
     * Runs {@code action} on the reading thread as soon as a line of stdout satisfies {@code condition}
     * (at once if one already did), for reacting faster than polling can.
     */
    void onStdoutLine(Predicate<String> condition, Runnable action) {
        synchronized (watchers) {
            if (stdout.toString().lines().anyMatch(condition)) {
                action.run();
            } else {
                watchers.add(new Watcher(condition, action));
            }
        }
    }

    private void fire(String line) {
        watchers.removeIf(w -> {
            if (w.condition().test(line)) {
                w.action().run();
                return true;
            }
            return false;
        });
    }

    private record Watcher(Predicate<String> condition, Runnable action) {}

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The processes below this one now; each is remembered for {@link #seenDescendants()}. */
    List<ProcessHandle> descendants() {
        List<ProcessHandle> now = process.descendants().toList();
        synchronized (seenDescendants) {
            for (ProcessHandle h : now) {
                if (seenDescendants.stream().noneMatch(s -> s.pid() == h.pid())) {
                    seenDescendants.add(h);
                }
            }
        }
        return now;
    }

    List<ProcessHandle> seenDescendants() {
        synchronized (seenDescendants) {
            return List.copyOf(seenDescendants);
        }
    }

    /** Waits for a line of stdout matching {@code pattern} (anywhere in the line); fails with the output when none comes. */
    Matcher awaitStdoutLine(Pattern pattern, Duration timeout) {
        return awaitLine("stdout", stdout, pattern, timeout);
    }

    Matcher awaitStderrLine(Pattern pattern, Duration timeout) {
        return awaitLine("stderr", stderr, pattern, timeout);
    }

    private Matcher awaitLine(String stream, StringBuffer buffer, Pattern pattern, Duration timeout) {
        Matcher[] found = new Matcher[1];
        boolean ok = poll(() -> {
            for (String line : buffer.toString().split("\n", -1)) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    found[0] = m;
                    return true;
                }
            }
            // A process that has exited and whose output is fully read will print nothing more.
            return !process.isAlive() && !stdoutReader.isAlive() && !stderrReader.isAlive();
        }, timeout);
        if (!ok || found[0] == null) {
            throw new AssertionError("expected a line of " + stream + " matching /" + pattern + "/ within " + timeout
                    + (process.isAlive() ? "" : ", but the process exited with code " + process.exitValue()) + "\n" + report());
        }
        return found[0];
    }

    /** Waits for the process to exit and its output to be read; fails with the output when it does not. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("expected the process to exit within " + timeout + ", but it is still running\n" + report());
            }
            stdoutReader.join(Duration.ofSeconds(5));
            stderrReader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the process to exit", e);
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM, as a process manager does. Through the {@link ProcessHandle}: {@link Process#destroy()}
     * also closes the pipes, and what the process prints while it stops would be lost.
     */
    void sigterm() {
        descendants();
        process.toHandle().destroy();
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes; returns whether it held. */
    static boolean poll(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The command, its state and everything it printed, for failure messages. */
    String report() {
        String state = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
        return "---- " + description + " (pid " + process.pid() + ", " + state + ")\n"
                + "---- stdout:\n" + stdout() + "---- stderr:\n" + stderr() + "----";
    }

    /**
     * Stops what is still running: SIGTERM first, so that Flint stops its handler itself; after 10 s,
     * SIGKILL to the process and to everything ever seen below it.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                descendants();
                process.toHandle().destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (ProcessHandle h : seenDescendants()) {
                h.destroyForcibly();
            }
            process.destroyForcibly();
        }
    }

    static Optional<ProcessHandle> aliveProcess(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
