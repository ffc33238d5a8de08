package dev.flint.host.profile;

import dev.flint.host.invoke.Invocation;
import dev.flint.host.traces.InvocationMark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.Trace;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileWindowsTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killChildren() {
        started.forEach(PerfTests::kill);
    }

    @Test
    void theWindowLoopStoresOneTraceAfterAnotherWithTheirMarksAndStopsCleanly() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        Process handler = PerfTests.busyShell();
        started.add(handler);
        Path store = Files.createDirectory(dir.resolve("store"));
        PerfTests.DirTraceSink sink = new PerfTests.DirTraceSink(store);
        InvocationMarks marks = new InvocationMarks(10_000);
        ProfilingSettings settings = ProfilingSettings.DEFAULT.withEnabled(true).withFrequency(199).withWindow(Duration.ofSeconds(1));
        ProfileWindows windows = new ProfileWindows("circle", settings, perf, dir.resolve("work"), marks, sink,
                ProfileWindows.handlerTarget(handler::pid, Optional.empty()));

        // Invocations every 20 ms, as the host would mark them.
        AtomicBoolean invoking = new AtomicBoolean(true);
        Thread invoker = Thread.ofVirtual().start(() -> {
            for (int k = 0; invoking.get(); k++) {
                long start = System.nanoTime();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                marks.record("inv-" + k, k % 2 == 0 ? "circle" : "square", handler.pid(), start, System.nanoTime(),
                        Invocation.Outcome.SUCCEEDED);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        long began = System.nanoTime();
        windows.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sink.stored() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long twoWindows = System.nanoTime() - began;
        long closing = System.nanoTime();
        windows.close();
        long closeTook = System.nanoTime() - closing;
        invoking.set(false);
        invoker.join();

        assertThat(sink.stored()).as("windows stored").isGreaterThanOrEqualTo(2);
        System.out.printf("[windows] 2 windows of 1 s stored %d ms after start; close() took %d ms%n",
                twoWindows / 1_000_000, closeTook / 1_000_000);
        assertThat(Duration.ofNanos(closeTook)).isLessThan(Duration.ofSeconds(3));
        assertThat(PerfTests.perfChildren()).as("no perf left running").isEmpty();
        int storedAtClose = sink.stored();
        Thread.sleep(300);
        assertThat(sink.stored()).as("nothing stored after close").isEqualTo(storedAtClose);

        long previousEnd = Long.MIN_VALUE;
        long previousLastSample = Long.MIN_VALUE;
        for (String id : List.of("t1", "t2")) {
            Map<String, String> labels = sink.labels(id);
            assertThat(labels).containsEntry("app", "circle").containsEntry("mode", "continuous")
                    .containsEntry("frequency", "199").containsEntry("window", "1").containsEntry("sampling", "pid")
                    .containsEntry("pids", Long.toString(handler.pid())).containsEntry("clock", "monotonic")
                    .containsKeys("instance", "host", "cpu", "start-ns", "end-ns", "start-time")
                    .containsEntry("function", "circle"); // the app: a window covers all its functions
            assertThat(labels.get("instance")).isEqualTo(labels.get("host") + ":" + ProcessHandle.current().pid());
            long start = Long.parseLong(labels.get("start-ns"));
            long end = Long.parseLong(labels.get("end-ns"));
            assertThat(start).as("windows follow each other").isGreaterThan(previousEnd);
            previousEnd = end;

            Trace trace = Traces.read(sink.perf(id));
            if (previousLastSample != Long.MIN_VALUE) {
                System.out.printf("[windows] unsampled gap between two windows of a busy process: %d ms%n",
                        (trace.startNanos() - previousLastSample) / 1_000_000);
            }
            previousLastSample = trace.endNanos();
            assertThat(Traces.samplesByPid(trace)).containsOnlyKeys((int) handler.pid());
            assertThat(trace.samples().totalCount()).as("a busy second at 199 Hz (fewer on shared CPUs)").isGreaterThan(30);
            assertThat(trace.startNanos()).isBetween(start, end);
            assertThat(trace.endNanos()).isBetween(start, end);
            System.out.printf("[windows] %s: %d samples; perf started sampling %d ms after launch, %d ms from the last"
                            + " sample to the end of perf record%n", id, trace.samples().totalCount(),
                    (trace.startNanos() - start) / 1_000_000, (end - trace.endNanos()) / 1_000_000);

            List<InvocationMark> during = InvocationMark.read(sink.invocations(id), id);
            assertThat(during).hasSizeGreaterThan(20).allMatch(m -> m.startNanos() <= end && m.endNanos() >= start);
            assertThat(during).extracting(InvocationMark::function).contains("circle", "square");
            assertThat(Files.readAllLines(sink.invocations(id)).get(0)).isEqualTo(InvocationMark.HEADER);
        }
        assertThat(Files.list(dir.resolve("work")).toList()).as("no temporary file left").isEmpty();
    }

    @Test
    void anOnDemandProfileEndsTheWindowInProgressAndASecondOneIsRefused() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        Process handler = PerfTests.busyShell();
        started.add(handler);
        Path store = Files.createDirectory(dir.resolve("store"));
        PerfTests.DirTraceSink sink = new PerfTests.DirTraceSink(store);
        InvocationMarks marks = new InvocationMarks(1000);
        ProfilingSettings settings = ProfilingSettings.DEFAULT.withEnabled(true).withWindow(Duration.ofSeconds(30));
        try (ProfileWindows windows = new ProfileWindows("circle", settings, perf, dir.resolve("work"), marks, sink,
                ProfileWindows.handlerTarget(handler::pid, Optional.empty()))) {
            windows.start();
            Thread.sleep(500); // a 30 s window is being recorded

            long asked = System.nanoTime();
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return windows.profileNow(Set.of(handler.pid()), "square", Duration.ofSeconds(1), 997);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            Thread.sleep(300);
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(1), 199))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ProfilingException.Kind.BUSY);
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.retryAfterSeconds()).isPresent();
                        assertThat(e.getMessage()).contains("one perf at a time");
                    });
            String id = first.get(15, TimeUnit.SECONDS);
            long took = System.nanoTime() - asked;
            System.out.printf("[on demand] a 1 s profile during a 30 s window answered in %d ms%n", took / 1_000_000);
            assertThat(Duration.ofNanos(took)).as("it did not wait for the 30 s window").isLessThan(Duration.ofSeconds(5));

            Map<String, String> labels = sink.labels(id);
            assertThat(labels).containsEntry("mode", "on-demand").containsEntry("function", "square")
                    .containsEntry("app", "circle")
                    .containsEntry("frequency", "997").containsEntry("window", "1");
            Trace trace = Traces.read(sink.perf(id));
            assertThat(trace.samples().totalCount()).as("1 s of a busy shell at 997 Hz").isGreaterThan(150);
            // The window that was cut short is stored too, before the on-demand one.
            assertThat(sink.stored()).isEqualTo(2);
            assertThat(sink.labels("t1")).containsEntry("mode", "continuous");
            assertThat(id).isEqualTo("t2");
        }
        assertThat(PerfTests.perfChildren()).isEmpty();
        assertThat(sink.stored()).as("the window in progress at close is dropped").isEqualTo(2);
    }

    @Test
    void marksKeepTheirPidOnlyWhenTheHandlerRanAsThatOneProcess() {
        InvocationMarks.Mark a = new InvocationMarks.Mark("a", "f", 10, 1, 2, Invocation.Outcome.SUCCEEDED);
        InvocationMarks.Mark b = new InvocationMarks.Mark("b", "f", 11, 1, 2, Invocation.Outcome.FAILED);
        assertThat(ProfileWindows.forTrace(List.of(a, b), Set.of(10L))).extracting(InvocationMarks.Mark::pid)
                .containsExactly(10L, -1L);
        assertThat(ProfileWindows.forTrace(List.of(a, b), Set.of(10L, 11L))).extracting(InvocationMarks.Mark::pid)
                .containsExactly(-1L, -1L);
        assertThat(ProfileWindows.forTrace(List.of(a), Set.of(10L)).get(0)).isSameAs(a);
    }

    @Test
    void withoutPerfAProfileRequestGetsTheReasonAnd503() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("bin"));
        PerfAvailability none = PerfAvailability.check(empty.toString());
        try (ProfileWindows windows = new ProfileWindows("circle", ProfilingSettings.DEFAULT.withEnabled(true), none,
                dir.resolve("work"), new InvocationMarks(10), new PerfTests.DirTraceSink(dir),
                ProfileWindows.handlerTarget(() -> ProcessHandle.current().pid(), Optional.empty()))) {
            windows.start(); // logs that no window will be recorded, and keeps serving
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(1), 199))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(503);
                        assertThat(e.getMessage()).startsWith("perf is not installed (no perf on PATH): ");
                    });
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(0), 199))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
        }
    }

    @Test
    void badRequestsAndAHandlerThatIsNotRunning() throws Exception {
        PerfAvailability perf = PerfTests.perfOrSkip();
        try (ProfileWindows windows = new ProfileWindows("circle", ProfilingSettings.DEFAULT, perf, dir.resolve("work"),
                new InvocationMarks(10), new PerfTests.DirTraceSink(dir), ProfileWindows.handlerTarget(() -> -1,
                Optional.empty()))) {
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(301), 199))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("seconds must be 1..300, was 301");
                    });
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(1), 0))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
            assertThatThrownBy(() -> windows.profileNow("circle", Duration.ofSeconds(1), 199))
                    .isInstanceOfSatisfying(ProfilingException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ProfilingException.Kind.NOT_RUNNING);
                        assertThat(e.httpStatus()).isEqualTo(503);
                    });
        }
    }
}
