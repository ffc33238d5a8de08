package dev.flint.host.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sampling by cgroup: where cgroup v2 is mounted and writable, each handler runs in a cgroup of
 * its own, {@code <Flint's cgroup>/flint-<Flint's pid>/<app>}, and perf samples that cgroup
 * ({@code perf record -a -G flint-123/circle}). Everything the handler starts, at any time, is born
 * in its cgroup, so children that a handler forks and that outlive their parent are sampled too; and
 * the function needs no privilege of its own. Sampling by cgroup needs perf to sample system-wide
 * (see {@link PerfAvailability#systemWide()}).
 *
 * <p>{@link #detect()} checks, once: a cgroup2 mount ({@code /proc/self/mountinfo}); that the
 * {@code perf_event} controller is on the v2 hierarchy ({@code /proc/cgroups}: a v1
 * {@code perf_event} mount would be where perf looks for {@code -G} names); Flint's own cgroup
 * ({@code /proc/self/cgroup}, line {@code 0::}); and that a folder can be made there and a process
 * moved into it (a {@code sleep} moved in, then killed). When any of these fails, the reason says
 * why and Flint samples by pid. Folders left by a Flint that died ({@code flint-<pid>} of a pid that
 * is gone) are removed when empty.
 */
public final class CgroupV2 {

    private static volatile Detection shared;

    private final Path mount;
    private final Path base;

    private CgroupV2(Path mount, Path base) {
        this.mount = mount;
        this.base = base;
    }

    /**
     * What {@link #detect()} found: the way to make handler cgroups, or why there is none.
     *
     * @param cgroups present when handlers can run in cgroups of their own
     * @param reason  why they cannot, when they cannot
     */
    public record Detection(Optional<CgroupV2> cgroups, Optional<String> reason) {}

    /** The host's detection, made the first time it is asked for and then kept. */
    public static Detection shared() {
        Detection d = shared;
        if (d == null) {
            synchronized (CgroupV2.class) {
                d = shared;
                if (d == null) {
                    d = detect();
                    shared = d;
                }
            }
        }
        return d;
    }

    /** Checks now whether handler processes can run in cgroup v2 folders of their own. */
    public static Detection detect() {
        Optional<Path[]> mountAndRoot = cgroup2Mount();
        if (mountAndRoot.isEmpty()) {
            return no("no cgroup v2 hierarchy is mounted (cgroup v1 only)");
        }
        Path mount = mountAndRoot.get()[0];
        String mountRoot = mountAndRoot.get()[1].toString();
        String perfEvent = perfEventHierarchy();
        if (perfEvent == null) {
            return no("the kernel has no perf_event cgroup controller (CONFIG_CGROUP_PERF)");
        }
        if (!perfEvent.equals("0")) {
            return no("the perf_event controller is mounted as cgroup v1 (hierarchy " + perfEvent
                    + "), so perf -G would not find cgroup v2 folders");
        }
        Optional<String> own = ownCgroup();
        if (own.isEmpty()) {
            return no("Flint's own cgroup v2 path is not in /proc/self/cgroup");
        }
        String relative = own.get();
        if (!mountRoot.equals("/") && relative.startsWith(mountRoot)) {
            relative = relative.substring(mountRoot.length());
        }
        Path ownDir = mount.resolve(relative.replaceFirst("^/+", ""));
        removeStale(ownDir);
        Path base = ownDir.resolve("flint-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            return no("cgroup v2 at " + ownDir + " is not writable (" + e.getMessage() + ")");
        }
        CgroupV2 cgroups = new CgroupV2(mount, base);
        Optional<String> moveProblem = probeMove(cgroups);
        if (moveProblem.isPresent()) {
            try {
                Files.deleteIfExists(base);
            } catch (IOException ignored) {
                // an empty folder; removed at the next start
            }
            return no(moveProblem.get());
        }
        return new Detection(Optional.of(cgroups), Optional.empty());
    }

    private static Detection no(String why) {
        return new Detection(Optional.empty(), Optional.of(why + "; sampling by pid instead"));
    }

    /** Makes the cgroup of one app's handler; its processes join it with {@link HandlerCgroup#join}. */
    public HandlerCgroup create(String appName) throws IOException {
        String safe = appName.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "app" + safe;
        }
        Files.createDirectories(base); // removed when its last handler cgroup was
        Path dir = base.resolve(safe);
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolve(safe + "-" + i);
        }
        Files.createDirectory(dir);
        return new HandlerCgroup(this, dir);
    }

    /** The cgroup2 mount point, e.g. {@code /sys/fs/cgroup} or {@code /sys/fs/cgroup/unified}. */
    public Path mount() {
        return mount;
    }

    /** The folder of this Flint's cgroups. */
    public Path base() {
        return base;
    }

    /** {@code dir}'s name for {@code perf record -G}: its path below the mount point. */
    String perfName(Path dir) {
        return mount.relativize(dir).toString();
    }

    /** Removes this Flint's folder, once every handler cgroup in it is gone. */
    void removeBaseIfEmpty() {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(base, Files::isDirectory)) {
            if (children.iterator().hasNext()) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        try {
            Files.deleteIfExists(base);
        } catch (IOException ignored) {
            // still in use, or gone
        }
    }

    private static Optional<String> probeMove(CgroupV2 cgroups) {
        HandlerCgroup probe = null;
        Process sleeper = null;
        try {
            probe = cgroups.create("probe");
            sleeper = new ProcessBuilder(ProcessRun.systemTool("sleep"), "30")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            probe.join(sleeper.toHandle());
            if (!probe.pids().contains(sleeper.pid())) {
                return Optional.of("a process moved into " + probe.directory() + " did not show up in its cgroup.procs");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot move a process into a cgroup v2 folder (" + e.getMessage() + ")");
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
                try {
                    sleeper.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (probe != null) {
                probe.awaitEmptyAndRemove(2_000);
            }
        }
    }

    /** [mount point, root within the hierarchy] of the first cgroup2 mount. */
    private static Optional<Path[]> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] after = line.substring(dash + 3).split(" ");
                if (after.length == 0 || !after[0].equals("cgroup2")) {
                    continue;
                }
                String[] before = line.substring(0, dash).split(" ");
                if (before.length < 5) {
                    continue;
                }
                return Optional.of(new Path[] {Path.of(unescape(before[4])), Path.of(unescape(before[3]))});
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as {@code \ooo}. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The hierarchy id of perf_event in /proc/cgroups ("0" = cgroup v2), or null without it. */
    private static String perfEventHierarchy() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cgroups"), StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].equals("perf_event")) {
                    return f[3].equals("1") ? f[1] : null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static Optional<String> ownCgroup() {
        return cgroupOf("self");
    }

    /** The v2 cgroup path of a process ({@code self} or a pid), e.g. {@code /flint-12/circle}. */
    static Optional<String> cgroupOf(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "cgroup"), StandardCharsets.UTF_8)) {
                if (line.startsWith("0::")) {
                    return Optional.of(line.substring(3));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Removes {@code flint-<pid>} folders of Flints that are gone, when they hold no process. */
    private static void removeStale(Path ownDir) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ownDir, "flint-*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString().substring("flint-".length());
                if (!pid.matches("\\d+") || ProcessHandle.of(Long.parseLong(pid)).isPresent()) {
                    continue;
                }
                try (DirectoryStream<Path> apps = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    for (Path app : apps) {
                        Files.deleteIfExists(app);
                    }
                } catch (IOException ignored) {
                    // a cgroup that still holds processes cannot be removed; keep it
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // not empty
                }
            }
        } catch (IOException ignored) {
            // nothing to clean, or not allowed to look
        }
    }
}
