package dev.flint.host.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reason a user can be given, found with a PATH and a /proc that the test controls. */
class PerfAvailabilityTest {

    @TempDir
    Path dir;

    @Test
    void noPerfOnThePathSaysHowToInstallIt() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("bin"));
        PerfAvailability a = PerfAvailability.check(empty.toString());
        assertThat(a.available()).isFalse();
        assertThat(a.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("perf is not installed (no perf on PATH): ")
                .contains("apt-get install linux-perf"));
        assertThat(a.logLine()).startsWith("Profiling is unavailable: perf is not installed");
        assertThat(a.systemWide()).isFalse();
    }

    @Test
    void paranoidThreeForAnUnprivilegedUserNamesTheSysctl() throws IOException {
        Path bin = fakePerf("exit 0");
        Path proc = fakeProc(3, false);
        PerfAvailability a = PerfAvailability.check(bin.toString(), proc);
        assertThat(a.available()).isFalse();
        assertThat(a.reason()).hasValue("kernel.perf_event_paranoid is 3: sysctl -w kernel.perf_event_paranoid=1"
                + " or run Flint as root (or with CAP_PERFMON)");
    }

    @Test
    void aRefusedProbeIsExplainedWithPerfsOwnWords() throws IOException {
        Path bin = fakePerf("""
                case "$1" in --version) echo "perf version 9.9"; exit 0;; esac
                echo "Error:" >&2
                echo "No permission to enable cpu-clock event." >&2
                exit 255""");
        PerfAvailability a = PerfAvailability.check(bin.toString(), fakeProc(2, false));
        assertThat(a.available()).isFalse();
        assertThat(a.reason().orElseThrow())
                .startsWith("perf may not sample (Error:; No permission to enable cpu-clock event.): ")
                .endsWith("kernel.perf_event_paranoid is 2: sysctl -w kernel.perf_event_paranoid=1 or run Flint as root"
                        + " (or with CAP_PERFMON)");
    }

    @Test
    void rootIsNotStoppedByParanoidButAContainerWithoutPerfEventOpenIs() throws IOException {
        Path bin = fakePerf("""
                case "$1" in --version) echo "perf version 9.9"; exit 0;; esac
                echo "perf_event_open(..., PERF_FLAG_FD_CLOEXEC) failed with unexpected error 1 (Operation not permitted)" >&2
                exit 1""");
        PerfAvailability a = PerfAvailability.check(bin.toString(), fakeProc(3, true));
        assertThat(a.reason().orElseThrow()).startsWith("perf_event_open is not permitted (")
                .contains("--cap-add PERFMON");
    }

    @Test
    void anOldPerfWithoutNoBpfEventIsProbedAgainWithoutIt() throws IOException {
        Path bin = fakePerf("""
                case "$1" in --version) echo "perf version 4.19"; exit 0;; esac
                for a in "$@"; do
                  if [ "$a" = "--no-bpf-event" ]; then echo "  Error: unknown option \\`no-bpf-event'" >&2; exit 129; fi
                done
                exit 0""");
        PerfAvailability a = PerfAvailability.check(bin.toString(), fakeProc(2, true));
        assertThat(a.available()).isTrue();
        assertThat(a.noBpfEvent()).isFalse();
        assertThat(a.version()).hasValue("perf version 4.19");
        assertThat(a.reason()).isEmpty();
        assertThat(a.logLine()).startsWith("Profiling: perf version 4.19 (" + bin.resolve("perf") + ") can sample");
    }

    @Test
    void theRealMachine() {
        PerfAvailability a = PerfAvailability.check();
        System.out.println("[perf here] " + a.logLine() + " (checked in " + a.probeTook().toMillis() + " ms)");
        if (a.available()) {
            assertThat(a.version()).hasValueSatisfying(v -> assertThat(v).startsWith("perf version"));
            assertThat(a.reason()).isEmpty();
        } else {
            assertThat(a.reason()).isPresent();
        }
    }

    private Path fakePerf(String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path perf = bin.resolve("perf");
        Files.writeString(perf, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(perf, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Path fakeProc(int paranoid, boolean root) throws IOException {
        Path proc = dir.resolve("proc-" + paranoid + "-" + root);
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("sys/kernel/perf_event_paranoid"), paranoid + "\n");
        String uid = root ? "0" : "1000";
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
                + "\nCapEff:\t" + (root ? "000001ffffffffff" : "0000000000000000") + "\n");
        return proc;
    }
}
