package dev.flint.host.profile;

import dev.flint.host.process.ProcessPlacement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cgroup v2 folder one app's handler runs in (made by {@link CgroupV2#create}); perf samples it
 * with {@code -a -G <perfName>}. The supervisor moves each handler process in right after it is
 * spawned ({@link #join}); whatever it starts afterwards is born inside. Kept across restarts (the new
 * process joins the same folder) and removed by {@link #close()} once the handler is gone.
 */
public final class HandlerCgroup implements AutoCloseable, ProcessPlacement {

    private final CgroupV2 owner;
    private final Path directory;
    private final String expectedMembership;

    HandlerCgroup(CgroupV2 owner, Path directory) {
        this.owner = owner;
        this.directory = directory;
        this.expectedMembership = "/" + owner.mount().relativize(directory);
    }

    /** The folder, under the cgroup2 mount. */
    public Path directory() {
        return directory;
    }

    /** The name {@code perf record -G} takes: the folder's path below the mount point. */
    public String perfName() {
        return owner.perfName(directory);
    }

    /**
     * Moves {@code process} into this cgroup, then any of its descendants that are still outside
     * (started before the move), until none is left outside: a process forked after its parent moved
     * is born inside, so a few passes reach a fixed point even for a handler that forks at once. A
     * process that exits meanwhile is skipped.
     *
     * @throws IOException when {@code process} itself cannot be moved (it is not Flint's, or the folder is gone)
     */
    public void join(ProcessHandle process) throws IOException {
        move(process.pid(), true);
        for (int pass = 0; pass < 5; pass++) {
            boolean movedAny = false;
            for (ProcessHandle d : process.descendants().toList()) {
                if (!isMember(d.pid())) {
                    move(d.pid(), false);
                    movedAny = true;
                }
            }
            if (!movedAny) {
                return;
            }
        }
    }

    private void move(long pid, boolean required) throws IOException {
        try {
            Files.writeString(directory.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (required && ProcessHandle.of(pid).isPresent()) {
                throw new IOException("cannot move process " + pid + " into " + directory + ": " + e.getMessage(), e);
            }
            // it exited meanwhile: nothing to sample
        }
    }

    private boolean isMember(long pid) {
        return CgroupV2.cgroupOf(Long.toString(pid)).map(expectedMembership::equals).orElse(true);
    }

    @Override
    public void place(Process process) throws IOException {
        join(process.toHandle());
    }

    /** Kills what the handler left behind in its cgroup (grandchildren that escaped its tree), then removes it. */
    @Override
    public void release() {
        if (!pids().isEmpty()) {
            killAll();
        }
        close();
    }

    /** The processes in this cgroup now. */
    public Set<Long> pids() {
        Set<Long> pids = new LinkedHashSet<>();
        try {
            List<String> lines = Files.readAllLines(directory.resolve("cgroup.procs"), StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException | NumberFormatException e) {
            return Set.of();
        }
        return pids;
    }

    /**
     * Kills every process still in the cgroup ({@code cgroup.kill}, Linux 5.14+; else SIGKILL to each),
     * for a stop that must not leave a handler's escaped grandchildren behind.
     */
    public void killAll() {
        try {
            Files.writeString(directory.resolve("cgroup.kill"), "1", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return;
        } catch (IOException e) {
            // an older kernel: one by one
        }
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits up to {@code millis} for the cgroup to empty, then removes it; false if it could not. */
    boolean awaitEmptyAndRemove(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                Files.deleteIfExists(directory);
                owner.removeBaseIfEmpty();
                return true;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /**
     * Removes the folder, once the handler has stopped (a cgroup with live processes cannot be
     * removed: they are left where they are, and the folder with them).
     */
    @Override
    public void close() {
        awaitEmptyAndRemove(1_000);
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
