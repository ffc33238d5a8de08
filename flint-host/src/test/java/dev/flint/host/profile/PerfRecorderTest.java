package dev.flint.host.profile;

import dev.flint.host.invoke.Invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.trace.model.Trace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real perf on real processes; each test is skipped, with the reason printed, where perf cannot sample. */
class PerfRecorderTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killChildren() {
        started.forEach(PerfTests::kill);
        assertThat(PerfTests.perfChildren()).as("perf processes left running").isEmpty();
    }

    private Process track(Process p) {
        started.add(p);
        return p;
    }

    @Test
    void aBusyShellIsSampledAndSoIsTheChildItForksDuringTheWindow() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        // On "go", the parent counts (shell builtins only: no fork), then forks a busy child and waits
        // for it. Only the parent's pid is given to perf; the child is born during the window.
        Process parent = track(PerfTests.start(List.of("sh", "-c",
                "read x; i=0; while [ $i -lt 600000 ]; do i=$((i+1)); done; sh -c 'while :; do :; done' & wait")));
        PerfRecorder recorder = new PerfRecorder(perf, dir);
        CompletableFuture<PerfRecorder.Recording> recording = recorder.recordAsync(
                new PerfRecorder.Target.Processes(Set.of(parent.pid())), 199, Duration.ofMillis(2500));
        Thread.sleep(800); // perf samples by now (it starts in 0.2 s, 0.6 s on a loaded machine)
        parent.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        parent.getOutputStream().flush();
        PerfRecorder.Recording r = recording.get(20, TimeUnit.SECONDS);
        Trace trace = Traces.read(r.scriptFile());

        Map<Integer, Integer> byPid = Traces.samplesByPid(trace);
        long child = parent.descendants().filter(h -> h.info().command().map(c -> c.endsWith("sh")).orElse(false))
                .findFirst().orElseThrow().pid();
        assertThat(byPid.keySet()).containsExactlyInAnyOrder((int) parent.pid(), (int) child);
        assertThat(byPid.get((int) parent.pid())).as("the parent's own work").isGreaterThan(20);
        assertThat(byPid.get((int) child)).as("the child forked during the window").isGreaterThan(20);
        assertThat(trace.metadata()).containsEntry("clockid", "monotonic (1)");
        assertThat(r.sampling()).isEqualTo("pid");
        assertThat(r.pids()).containsExactly(parent.pid());

        // Timings of one window: how long perf took to start sampling and to stop.
        long firstSample = trace.startNanos();
        long lastSample = trace.endNanos();
        System.out.printf("[window timing] 2.5 s window at 199 Hz: perf record ran %d ms; first sample %d ms after"
                        + " launch, last sample %d ms before perf record returned; perf script %d ms for %d samples%n",
                r.perfRecordTook().toMillis(), (firstSample - r.startNanos()) / 1_000_000,
                (r.endNanos() - lastSample) / 1_000_000, r.perfScriptTook().toMillis(), trace.samples().totalCount());
        assertThat(firstSample).isGreaterThanOrEqualTo(r.startNanos());
        assertThat(lastSample).isLessThanOrEqualTo(r.endNanos());
        assertThat(r.perfRecordTook()).isLessThan(Duration.ofMillis(2500).plus(PerfRecorder.OVERRUN_GRACE));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                .as("only the .perf text is left").containsExactly(r.scriptFile().getFileName().toString());
    }

    @Test
    void invocationMarksTakenWithNanoTimeFallOnThePerfClock() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        Path script = dir.resolve("burn.py");
        Files.writeString(script, """
                import sys, time
                def burn(seconds):
                    end = time.monotonic() + seconds
                    x = 0
                    while time.monotonic() < end:
                        for i in range(2000):
                            x = (x * 31 + i) % 1000003
                    return x
                print("ready", flush=True)
                for line in sys.stdin:
                    burn(float(line))
                    print("done", flush=True)
                """);
        Process python = track(PerfTests.start(List.of("python3", script.toString())));
        BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
        assumeTrue("ready".equals(out.readLine()), "python3 did not start");

        PerfRecorder recorder = new PerfRecorder(perf, dir);
        CompletableFuture<PerfRecorder.Recording> recording = recorder.recordAsync(
                new PerfRecorder.Target.Processes(Set.of(python.pid())), 199, Duration.ofMillis(3000));
        Thread.sleep(1000); // perf samples by now (it starts in 0.2 s, 0.6 s on a loaded machine)
        InvocationMarks marks = new InvocationMarks(100);
        for (int k = 0; k < 3; k++) {
            long start = System.nanoTime();
            in.write("0.3\n");
            in.flush();
            assertThat(out.readLine()).isEqualTo("done");
            marks.record("inv-" + k, "burn", python.pid(), start, System.nanoTime(), Invocation.Outcome.SUCCEEDED);
            Thread.sleep(150);
        }
        PerfRecorder.Recording r = recording.get(20, TimeUnit.SECONDS);
        Trace trace = Traces.read(r.scriptFile());
        List<InvocationMarks.Mark> during = marks.between(r.startNanos(), r.endNanos(), Optional.empty());
        assertThat(during).hasSize(3);

        long[] times = Traces.times(trace, (int) python.pid());
        int inside = 0;
        for (InvocationMarks.Mark m : during) {
            assertThat(m.startNanos()).isBetween(r.startNanos(), r.endNanos());
            assertThat(m.startNanos()).isGreaterThanOrEqualTo(trace.startNanos() - 50_000_000L);
            assertThat(m.endNanos()).isLessThanOrEqualTo(trace.endNanos() + 50_000_000L);
            int in1 = 0;
            for (long t : times) {
                if (t >= m.startNanos() && t < m.endNanos()) {
                    in1++;
                }
            }
            // 0.3 s of CPU at 199 Hz is about 60 samples (fewer when the CPUs are shared); the clocks
            // agree only if they land inside the mark.
            assertThat(in1).as("samples inside " + m.id()).isGreaterThan(10);
            inside += in1;
        }
        System.out.printf("[marks] %d of %d python samples fall inside the 3 marks%n", inside, times.length);
        assertThat((double) inside / times.length).as("python only works inside the marks").isGreaterThan(0.9);
    }

    @Test
    void aJavaHandlerWithFramePointersShowsItsOwnMethodNames() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        Path source = dir.resolve("BusyWork.java");
        Files.writeString(source, """
                public class BusyWork {
                    static long hashRound(long x) {
                        for (int i = 0; i < 200; i++) { x ^= x << 13; x ^= x >>> 7; x ^= x << 17; }
                        return x;
                    }
                    static long spin(int n) {
                        long s = 0;
                        for (int i = 0; i < n; i++) { s += hashRound(i); }
                        return s;
                    }
                    public static void main(String[] args) {
                        long now = System.nanoTime();
                        long warm = now + 300_000_000L;
                        long end = now + Long.parseLong(args[0]) * 1_000_000L;
                        long s = 0;
                        boolean told = false;
                        while (System.nanoTime() < end) {
                            s += spin(1000);
                            if (!told && System.nanoTime() > warm) { System.out.println("ready"); told = true; }
                        }
                        System.out.println(s);
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,BusyWork::hashRound",
                source.toString(), "20000").redirectErrorStream(true);
        b.environment().put("JAVA_TOOL_OPTIONS", JitSymbols.javaToolOptions(null)); // as the host sets it
        Process jvm = track(b.start());
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        List<String> said = new ArrayList<>();
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            said.add(line);
        }
        assertThat(line).as("the JVM said: " + said).isEqualTo("ready");
        assertThat(said).anyMatch(l -> l.contains("Picked up JAVA_TOOL_OPTIONS: -XX:+PreserveFramePointer"));
        assertThat(JitSymbols.isJvm(jvm.pid())).isTrue();

        PerfRecorder.Recording r = new PerfRecorder(perf, dir).record(PerfRecorder.Target.processTree(jvm.pid()), 199,
                Duration.ofSeconds(2));
        assertThat(r.jvmPids()).containsExactly(jvm.pid());
        assertThat(r.warnings()).noneMatch(w -> w.contains("Compiler.perfmap"));
        assertThat(Path.of("/tmp/perf-" + jvm.pid() + ".map")).as("the map Flint made is removed after perf script").doesNotExist();
        Trace trace = Traces.read(r.scriptFile());
        List<List<String>> stacks = Traces.stacks(trace, (int) jvm.pid());
        long named = stacks.stream().filter(s -> s.stream().anyMatch(f -> f.contains("BusyWork.hashRound"))).count();
        long withCaller = stacks.stream().filter(s -> {
            int leaf = indexOf(s, "BusyWork.hashRound");
            return leaf > 0 && s.get(leaf - 1).contains("BusyWork.spin");
        }).count();
        System.out.printf("[jvm] %d samples of the JVM, %d in BusyWork.hashRound, %d of those with BusyWork.spin as caller;"
                        + " jcmd Compiler.perfmap took %d ms%n", stacks.size(), named, withCaller, r.perfMapTook().toMillis());
        assertThat(named).as("samples in the program's own method").isGreaterThan(stacks.size() / 4);
        // Frame pointers let perf walk from the JIT-compiled leaf to its JIT-compiled caller.
        assertThat(withCaller).isGreaterThan(named / 2);
    }

    private static int indexOf(List<String> stack, String name) {
        for (int i = stack.size() - 1; i >= 0; i--) {
            if (stack.get(i).contains(name)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void byCgroupEveryProcessOfTheHandlerIsSampledEvenOneThatLeftItsParent() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        CgroupV2.Detection detection = CgroupV2.detect();
        if (detection.cgroups().isEmpty() || !perf.systemWide()) {
            String why = detection.reason().orElse(perf.systemWideReason().orElse("?"));
            System.out.println("[skipped] no sampling by cgroup here: " + why);
            assumeTrue(false, why);
        }
        HandlerCgroup cgroup = detection.cgroups().get().create("recorder-test");
        try {
            // Forks a busy process that is orphaned at once (no longer a descendant of the handler).
            Process handler = track(PerfTests.start(List.of("sh", "-c",
                    "sleep 0.3; (sh -c 'while :; do :; done' &); sleep 30")));
            cgroup.join(handler.toHandle());
            assertThat(cgroup.pids()).contains(handler.pid());

            PerfRecorder.Recording r = new PerfRecorder(perf, dir).record(new PerfRecorder.Target.Cgroup(cgroup), 199,
                    Duration.ofMillis(1200));
            Trace trace = Traces.read(r.scriptFile());
            Map<Integer, Integer> byPid = Traces.samplesByPid(trace);
            Set<Long> members = cgroup.pids();
            assertThat(r.sampling()).isEqualTo("cgroup");
            assertThat(members).hasSizeGreaterThanOrEqualTo(3); // sh, sleep 30, the orphan
            long orphan = members.stream().filter(p -> p != handler.pid()).filter(p -> ProcessHandle.of(p).map(h -> h.parent()
                    .map(pp -> pp.pid() != handler.pid()).orElse(true)).orElse(false)).findFirst().orElseThrow();
            assertThat(handler.descendants().map(ProcessHandle::pid).toList()).doesNotContain(orphan);
            assertThat(byPid.get((int) orphan)).as("the orphan, sampled through its cgroup").isGreaterThan(20);
            assertThat(byPid.keySet()).as("nothing outside the cgroup").allMatch(p -> members.contains((long) p));
            System.out.printf("[cgroup] perf record -a -G %s ran %d ms for a 1.2 s window%n", cgroup.perfName(),
                    r.perfRecordTook().toMillis());
        } finally {
            cgroup.killAll();
            cgroup.close();
        }
        assertThat(cgroup.directory()).doesNotExist();
    }

    @Test
    void aWindowEndsWhenEveryProcessItSamplesHasExitedAndIsStillStored() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        Process handler = track(PerfTests.start(List.of("sh", "-c",
                "read x; i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done")));
        CompletableFuture<PerfRecorder.Recording> recording = new PerfRecorder(perf, dir).recordAsync(
                new PerfRecorder.Target.Processes(Set.of(handler.pid())), 199, Duration.ofSeconds(8));
        Thread.sleep(800);
        handler.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        handler.getOutputStream().flush();
        PerfRecorder.Recording r = recording.get(20, TimeUnit.SECONDS);
        assertThat(r.perfRecordTook()).as("ended with the process, not after 8 s").isLessThan(Duration.ofSeconds(6));
        assertThat(r.warnings().get(0)).startsWith("the window ended after ").endsWith(" ms of 8 s: every process it"
                + " sampled had exited");
        assertThat(Traces.samplesByPid(Traces.read(r.scriptFile()))).containsOnlyKeys((int) handler.pid());
    }

    @Test
    void aProcessThatIsGoneOrABadFrequencyIsRefusedBeforePerfRuns() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        PerfRecorder recorder = new PerfRecorder(perf, dir);
        Process p = PerfTests.start(List.of("true"));
        p.waitFor();
        assertThatThrownBy(() -> recorder.record(new PerfRecorder.Target.Processes(Set.of(p.pid())), 199, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ProfilingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProfilingException.Kind.NOT_RUNNING);
                    assertThat(e.httpStatus()).isEqualTo(503);
                });
        assertThatThrownBy(() -> recorder.record(PerfRecorder.Target.processTree(ProcessHandle.current().pid()), 0,
                Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ProfilingException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    }

    @Test
    void withoutPerfTheRecorderAnswersWithTheReason() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("bin"));
        PerfRecorder recorder = new PerfRecorder(PerfAvailability.check(empty.toString()), dir);
        assertThatThrownBy(() -> recorder.record(PerfRecorder.Target.processTree(ProcessHandle.current().pid()), 199,
                Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ProfilingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProfilingException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).startsWith("perf is not installed");
                });
    }

    @Test
    void javaToolOptionsKeepTheAppsOwn() {
        assertThat(JitSymbols.javaToolOptions(null)).isEqualTo("-XX:+PreserveFramePointer");
        assertThat(JitSymbols.javaToolOptions("-Xmx256m")).isEqualTo("-Xmx256m -XX:+PreserveFramePointer");
        assertThat(JitSymbols.javaToolOptions("-XX:+PreserveFramePointer -Xmx1g")).isEqualTo("-XX:+PreserveFramePointer -Xmx1g");
    }
}
