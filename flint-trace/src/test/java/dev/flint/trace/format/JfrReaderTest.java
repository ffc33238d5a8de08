package dev.flint.trace.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records real JFR files (a busy program in a child JVM, and the test JVM itself) and reads them.
 * The child runs once for the whole class: about 2 to 3 s.
 */
class JfrReaderTest {

    /** The profiled program: a busy thread in three named methods, and a thread parked in native accept(). */
    private static final String BURN = """
            import java.net.ServerSocket;

            public class Burn {
                static volatile long sink;

                public static void main(String[] args) throws Exception {
                    long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000L;
                    ServerSocket server = new ServerSocket(0);
                    Thread acceptor = new Thread(() -> {
                        try {
                            server.accept();
                        } catch (Exception e) {
                            // closed at the end
                        }
                    }, "acceptor");
                    acceptor.setDaemon(true);
                    acceptor.start();
                    Thread burner = new Thread(() -> outerLoop(end), "burner-1");
                    burner.start();
                    burner.join();
                    server.close();
                }

                static void outerLoop(long end) {
                    while (System.nanoTime() < end) {
                        sink += middleWork();
                    }
                }

                static long middleWork() {
                    long h = 0;
                    for (int i = 0; i < 10_000; i++) {
                        h = leafHash(h, i);
                    }
                    return h;
                }

                static long leafHash(long h, int i) {
                    return (h ^ i) * 0x9E3779B97F4A7C15L + (h >>> 7);
                }
            }
            """;

    private static final long BUSY_MILLIS = 1500;

    @TempDir
    static Path dir;

    private static Path recording;
    private static boolean cpuTimeSampleAvailable;
    private static long childPid;
    private static Instant before;
    private static Instant after;
    private static Trace trace;

    @BeforeAll
    static void recordChild() throws Exception {
        cpuTimeSampleAvailable = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .map(EventType::getName).anyMatch(JfrReader.CPU_TIME_SAMPLE::equals);
        Path program = dir.resolve("Burn.java");
        Files.writeString(program, BURN);
        recording = dir.resolve("burn.jfr");
        String settings = "filename=" + recording + ",settings=profile,jdk.ExecutionSample#period=5ms";
        if (cpuTimeSampleAvailable) {
            settings += ",jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms";
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = dir.resolve("child.log");
        before = Instant.now();
        Process child = new ProcessBuilder(java, "-XX:StartFlightRecording=" + settings,
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                program.toString(), Long.toString(BUSY_MILLIS))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        childPid = child.pid();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the profiled child JVM did not finish in 60 s: " + Files.readString(log));
        }
        after = Instant.now();
        assertThat(child.exitValue()).as("child exit; its output: %s", Files.readString(log)).isZero();
        trace = JfrReader.read(recording);
    }

    // ---- the child's recording

    @Test
    void executionSamplesHaveThePlausibleCountEventAndPeriodWeight() {
        int event = trace.events().indexOf(JfrReader.EXECUTION_SAMPLE);
        assertThat(event).isNotNegative();
        List<Integer> rows = rows(trace, JfrReader.EXECUTION_SAMPLE);
        // 1.5 s of one busy thread at 5 ms is about 300, plus the source launcher compiling at start.
        assertThat(rows.size()).as("lenient: other builds may share the CPUs").isBetween(50, 1200);
        SampleStore s = trace.samples();
        for (int row : rows) {
            assertThat(s.count(row)).isEqualTo(1);
            assertThat(s.weight(row)).as("the 5 ms period from jdk.ActiveSetting").isEqualTo(5_000_000L);
            assertThat(s.pid(row)).isEqualTo((int) childPid);
            assertThat(s.cpu(row)).isEqualTo(SampleStore.UNKNOWN);
            assertThat(s.tid(row)).isPositive();
            assertThat(s.idle(row)).isFalse();
        }
        System.out.printf("JfrReaderTest: %d samples in all, %d jdk.ExecutionSample; events %s%n",
                s.size(), rows.size(), trace.events());
    }

    @Test
    void busyMethodsAppearCallerAboveCalleeUnderTheThreadRoot() {
        FrameTable frames = trace.frames();
        StackTable stacks = trace.stacks();
        SampleStore s = trace.samples();
        int burner = 0;
        int ordered = 0;
        Set<Integer> burnerTids = new HashSet<>();
        for (int row : rows(trace, JfrReader.EXECUTION_SAMPLE)) {
            List<String> names = names(frames, stacks.framesRootFirst(s.stack(row)));
            if (!names.get(0).equals("burner-1")) {
                continue;
            }
            burner++;
            burnerTids.add(s.tid(row));
            int outer = names.indexOf("Burn.outerLoop");
            int middle = names.indexOf("Burn.middleWork");
            int leaf = names.indexOf("Burn.leafHash");
            if (outer > 0 && middle > outer && (leaf < 0 || leaf == middle + 1)) {
                ordered++;
            }
            assertThat(names).noneMatch(n -> n.contains("(") || n.contains("line"));
        }
        assertThat(burner).as("samples of the busy thread").isGreaterThan(40);
        assertThat(ordered).as("burner-1 samples with outerLoop > middleWork (> leafHash)").isGreaterThan(burner * 8 / 10);
        assertThat(burnerTids).as("one OS thread id for one thread").hasSize(1);
        int leafHash = frameNamed(frames, "Burn.leafHash");
        assertThat(leafHash).isNotNegative();
    }

    @Test
    void kindsAreSetWithJitAndInlinedFramesAfterWarmUp() {
        FrameTable frames = trace.frames();
        StackTable stacks = trace.stacks();
        SampleStore s = trace.samples();
        Set<FrameKind> kinds = EnumSet.noneOf(FrameKind.class);
        Set<FrameKind> leafHashKinds = EnumSet.noneOf(FrameKind.class);
        for (int row = 0; row < s.size(); row++) {
            int[] path = stacks.framesRootFirst(s.stack(row));
            assertThat(frames.kind(path[0])).isEqualTo(FrameKind.PROCESS);
            for (int i = 1; i < path.length; i++) {
                FrameKind kind = frames.kind(path[i]);
                if (kind == FrameKind.PROCESS) {
                    assertThat(frames.name(path[i])).isIn(JfrReader.TRUNCATED_FRAME, JfrReader.NO_STACK_FRAME);
                    continue;
                }
                assertThat(kind).isIn(FrameKind.JIT, FrameKind.INLINED, FrameKind.INTERPRETED, FrameKind.NATIVE);
                assertThat(frames.module(path[i])).isEmpty();
                kinds.add(kind);
                if (frames.name(path[i]).equals("Burn.leafHash")) {
                    leafHashKinds.add(kind);
                }
            }
        }
        assertThat(kinds).contains(FrameKind.JIT, FrameKind.INLINED, FrameKind.NATIVE);
        assertThat(leafHashKinds).as("leafHash inlined into middleWork (DebugNonSafepoints)").contains(FrameKind.INLINED);
    }

    @Test
    void timesAreWallClockNanosWithinTheRecordingAndSorted() {
        SampleStore s = trace.samples();
        assertThat(trace.timed()).isTrue();
        long from = nanos(before);
        long to = nanos(after);
        long chunkStart = Long.parseLong(trace.metadata().get("recording.startNanos"));
        long chunkEnd = Long.parseLong(trace.metadata().get("recording.endNanos"));
        assertThat(chunkStart).isBetween(from, to);
        assertThat(chunkEnd).isBetween(chunkStart, to);
        long previous = Long.MIN_VALUE;
        for (int row = 0; row < s.size(); row++) {
            long t = s.time(row);
            assertThat(t).isBetween(from, to).isBetween(chunkStart, chunkEnd);
            assertThat(t).isGreaterThanOrEqualTo(previous);
            previous = t;
        }
        assertThat(trace.endNanos() - trace.startNanos()).as("busy for %d ms", BUSY_MILLIS)
                .isGreaterThan(Duration.ofMillis(BUSY_MILLIS * 8 / 10).toNanos());
    }

    @Test
    void metadataDescribesTheJvmAndTheRecording() {
        var m = trace.metadata();
        assertThat(trace.format()).isEqualTo("jfr");
        assertThat(trace.source()).isEqualTo(recording.toString());
        assertThat(m).containsEntry("format", "jfr").containsEntry("clock", "wall")
                .containsEntry("pid", Long.toString(childPid)).containsEntry("recording.chunks", "1")
                .containsEntry("jdk.ExecutionSample#period", "5 ms")
                .containsEntry("jdk.NativeMethodSample#period", "20 ms")
                .containsEntry("jdk.ExecutionSample.weight", "ns")
                .containsEntry("jdk.NativeMethodSample.weight", "ns");
        assertThat(m.get("jvm.name")).contains("VM");
        assertThat(m.get("jvm.version")).contains(Integer.toString(Runtime.version().feature()));
        assertThat(m.get("jvm.arguments")).contains("DebugNonSafepoints");
        assertThat(m.get("java.arguments")).contains("Burn.java");
        assertThat(Instant.parse(m.get("jvm.start"))).isBetween(before.minusSeconds(1), after);
        assertThat(Instant.parse(m.get("recording.start"))).isBefore(Instant.parse(m.get("recording.end")));
        assertThat(m.get("jfr.version")).startsWith("2.");
        assertThat(m).doesNotContainKey("warning");
    }

    @Test
    void nativeMethodSamplesAreTheirOwnEventWithNativeLeaves() {
        List<Integer> rows = rows(trace, JfrReader.NATIVE_METHOD_SAMPLE);
        assertThat(rows.size()).as("acceptor parked in accept() for 1.5 s at 20 ms").isBetween(10, 400);
        int acceptor = 0;
        for (int row : rows) {
            int[] path = trace.stacks().framesRootFirst(trace.samples().stack(row));
            assertThat(trace.samples().weight(row)).isEqualTo(20_000_000L);
            if (trace.frames().name(path[0]).equals("acceptor")) {
                acceptor++;
                assertThat(trace.frames().kind(path[path.length - 1])).isEqualTo(FrameKind.NATIVE);
                assertThat(names(trace.frames(), path)).contains("java.net.ServerSocket.accept");
            }
        }
        assertThat(acceptor).isGreaterThan(rows.size() / 2);
        assertThat(rows(trace, JfrReader.EXECUTION_SAMPLE)).doesNotContainAnyElementsOf(rows);
    }

    @Test
    void cpuTimeSamplesOnJdk25() {
        Assumptions.assumeTrue(cpuTimeSampleAvailable, () -> {
            String reason = "jdk.CPUTimeSample is not an event of this JVM (" + Runtime.version()
                    + ", " + System.getProperty("os.name") + "): it needs JDK 25+ on Linux";
            System.out.println("JfrReaderTest: skipped: " + reason);
            return reason;
        });
        List<Integer> rows = rows(trace, JfrReader.CPU_TIME_SAMPLE);
        // about 300 for 1.5 s of one busy thread at 5 ms of CPU time, plus the start-up's compilation
        assertThat(rows.size()).isBetween(30, 1500);
        int burner = 0;
        int exactlyThePeriod = 0;
        for (int row : rows) {
            // the event's samplingPeriod: the 5 ms asked for, now and then a multiple of it
            long weight = trace.samples().weight(row);
            assertThat(weight % 5_000_000L).as("samplingPeriod %d", weight).isZero();
            assertThat(weight).isPositive();
            if (weight == 5_000_000L) {
                exactlyThePeriod++;
            }
            List<String> names = names(trace.frames(), trace.stacks().framesRootFirst(trace.samples().stack(row)));
            if (names.get(0).equals("burner-1") && names.contains("Burn.middleWork")) {
                burner++;
            }
        }
        assertThat(burner).isGreaterThan(rows.size() / 3);
        assertThat(exactlyThePeriod).isGreaterThan(rows.size() * 9 / 10);
        assertThat(trace.metadata()).containsEntry("jdk.CPUTimeSample#throttle", "5ms");
        System.out.printf("JfrReaderTest: %d jdk.CPUTimeSample, %d on burner-1 in middleWork, lost %s%n",
                rows.size(), burner, trace.metadata().getOrDefault("jdk.CPUTimeSamplesLost", "0"));
    }

    @Test
    void concatenatedRecordingsAreReadChunkByChunk() throws Exception {
        Path twice = dir.resolve("twice.jfr");
        byte[] bytes = Files.readAllBytes(recording);
        try (OutputStream out = Files.newOutputStream(twice)) {
            out.write(bytes);
            out.write(bytes);
        }
        Trace both = JfrReader.read(twice);
        assertThat(both.samples().size()).isEqualTo(2 * trace.samples().size());
        assertThat(both.metadata()).containsEntry("recording.chunks", "2")
                .containsEntry("pid", Long.toString(childPid));
        assertThat(both.stacks().size()).isEqualTo(trace.stacks().size());
    }

    // ---- in-process recording

    @Test
    void truncatedStacksGetASyntheticFrameBelowTheThread() throws Exception {
        Path file = dir.resolve("deep.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2)).withStackTrace();
            r.enable("jdk.JVMInformation");
            r.start();
            Thread deep = new Thread(() -> {
                long end = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < end) {
                    Deep.sink += Deep.descend(100);
                }
            }, "jfr-deep");
            deep.start();
            deep.join();
            r.stop();
            r.dump(file);
        }
        Trace t = JfrReader.read(file);
        int truncated = 0;
        int deepRows = 0;
        for (int row : rows(t, JfrReader.EXECUTION_SAMPLE)) {
            List<String> names = names(t.frames(), t.stacks().framesRootFirst(t.samples().stack(row)));
            if (!names.get(0).equals("jfr-deep")) {
                continue;
            }
            deepRows++;
            if (names.size() > 1 && names.get(1).equals(JfrReader.TRUNCATED_FRAME)) {
                truncated++;
                assertThat(names.size()).as("thread + [truncated] + 64 frames").isEqualTo(66);
                assertThat(names.get(names.size() - 1)).startsWith(Deep.class.getName() + ".");
            }
        }
        assertThat(deepRows).isGreaterThan(20);
        assertThat(truncated).isGreaterThan(deepRows * 8 / 10);
        assertThat(Long.parseLong(t.metadata().get("stacks.truncated"))).isGreaterThanOrEqualTo(truncated);
        // jdk.ActiveSetting was not enabled in this recording: the period is unknown, the weight is the count
        assertThat(t.metadata()).containsEntry("pid", Long.toString(ProcessHandle.current().pid()))
                .containsEntry("jdk.ExecutionSample.weight", "count")
                .doesNotContainKey("jdk.ExecutionSample#period");
        for (int row : rows(t, JfrReader.EXECUTION_SAMPLE)) {
            assertThat(t.samples().weight(row)).isEqualTo(1L);
        }
    }

    @Test
    void aRecordingWithoutSamplesIsAnEmptyTraceWithAWarning() throws Exception {
        Path file = dir.resolve("nosamples.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.JVMInformation");
            r.start();
            r.stop();
            r.dump(file);
        }
        Trace t = JfrReader.read(file);
        assertThat(t.samples().size()).isZero();
        assertThat(t.events()).isEmpty();
        assertThat(t.metadata()).containsKey("warning").containsEntry("clock", "wall");
    }

    static final class Deep {
        static volatile long sink;

        static long descend(int depth) {
            if (depth == 0) {
                long h = 0;
                for (int i = 0; i < 2_000; i++) {
                    h = (h ^ i) * 0x9E3779B97F4A7C15L;
                }
                return h;
            }
            return descend(depth - 1) + 1;
        }
    }

    // ---- files that are not good JFR

    @Test
    void randomBytesAreNotJfr() throws Exception {
        Path file = dir.resolve("random.jfr");
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        assertFormatError(file, "not a JFR recording");
    }

    @Test
    void anEmptyFileIsNotJfr() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.jfr"));
        assertFormatError(file, "empty");
    }

    @Test
    void aTextFileIsNotJfr() throws Exception {
        Path file = dir.resolve("perf.txt");
        Files.writeString(file, "java 1234/1235 [001] 1017.837: cpu-clock:\n\t7f00 Burn.hash+0x1 (/tmp/perf-1234.map)\n");
        assertFormatError(file, "FLR");
    }

    @Test
    void aTruncatedRecordingIsAFormatError() throws Exception {
        byte[] bytes = Files.readAllBytes(recording);
        Path half = dir.resolve("half.jfr");
        Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
        assertFormatError(half, "truncated JFR recording");
        Path headerOnly = dir.resolve("header.jfr");
        Files.write(headerOnly, Arrays.copyOf(bytes, 40));
        assertFormatError(headerOnly, "truncated JFR recording");
        Path trailing = dir.resolve("trailing.jfr");
        byte[] withJunk = Arrays.copyOf(bytes, bytes.length + 10);
        Files.write(trailing, withJunk);
        assertFormatError(trailing, "are not a JFR chunk");
    }

    @Test
    void aGoodHeaderOverGarbageIsAFormatError() throws Exception {
        byte[] bytes = Files.readAllBytes(recording);
        byte[] garbage = bytes.clone();
        Random random = new Random(11);
        for (int i = JfrChunks.HEADER_SIZE; i < garbage.length; i++) {
            garbage[i] = (byte) random.nextInt();
        }
        Path file = dir.resolve("garbage.jfr");
        Files.write(file, garbage);
        assertFormatError(file, "corrupt JFR recording");
    }

    @Test
    void damagedBytesGiveATraceOrAFormatErrorNeverAnotherException() throws Exception {
        byte[] bytes = Files.readAllBytes(recording);
        Random random = new Random(42);
        Path file = dir.resolve("damaged.jfr");
        int failures = 0;
        for (int round = 0; round < 25; round++) {
            byte[] damaged = bytes.clone();
            int flips = 1 + random.nextInt(16);
            for (int i = 0; i < flips; i++) {
                damaged[JfrChunks.HEADER_SIZE + random.nextInt(damaged.length - JfrChunks.HEADER_SIZE)] =
                        (byte) random.nextInt();
            }
            Files.write(file, damaged);
            try {
                JfrReader.read(file);
            } catch (TraceFormatException e) {
                failures++;
                assertThat(e.lineNumber()).isZero();
                assertThat(e.getMessage()).startsWith(file.toString() + ": ");
            }
        }
        assertThat(failures).as("most damaged files are refused").isPositive();
    }

    @Test
    void aMissingFileIsAnIoErrorAndADirectoryAFormatError() {
        assertThatThrownBy(() -> JfrReader.read(dir.resolve("missing.jfr"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> JfrReader.read(dir)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("directory");
    }

    // ---- helpers of the reader

    @Test
    void frameTypesMapToKinds() {
        assertThat(JfrReader.kind("Interpreted")).isEqualTo(FrameKind.INTERPRETED);
        assertThat(JfrReader.kind("JIT compiled")).isEqualTo(FrameKind.JIT);
        assertThat(JfrReader.kind("Inlined")).isEqualTo(FrameKind.INLINED);
        assertThat(JfrReader.kind("Native")).isEqualTo(FrameKind.NATIVE);
        assertThat(JfrReader.kind("C2 compiled")).isEqualTo(FrameKind.JIT);
        assertThat(JfrReader.kind("Kernel")).isEqualTo(FrameKind.KERNEL);
        assertThat(JfrReader.kind("C++")).isEqualTo(FrameKind.NATIVE);
        assertThat(JfrReader.kind(null)).isEqualTo(FrameKind.JIT);
    }

    @Test
    void settingTimespansAreParsed() {
        assertThat(JfrReader.timespanNanos("5 ms")).isEqualTo(5_000_000L);
        assertThat(JfrReader.timespanNanos("5ms")).isEqualTo(5_000_000L);
        assertThat(JfrReader.timespanNanos("20 ms")).isEqualTo(20_000_000L);
        assertThat(JfrReader.timespanNanos("1 s")).isEqualTo(1_000_000_000L);
        assertThat(JfrReader.timespanNanos("250 us")).isEqualTo(250_000L);
        assertThat(JfrReader.timespanNanos("100/s")).isZero();
        assertThat(JfrReader.timespanNanos("everyChunk")).isZero();
        assertThat(JfrReader.timespanNanos("99999999999999999999 d")).isZero();
    }

    // ----

    private static void assertFormatError(Path file, String expected) {
        assertThatThrownBy(() -> JfrReader.read(file))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(expected)
                .hasMessageStartingWith(file.toString() + ": ")
                .satisfies(e -> assertThat(((TraceFormatException) e).lineNumber()).isZero());
    }

    private static List<Integer> rows(Trace t, String event) {
        int id = t.events().indexOf(event);
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < t.samples().size(); row++) {
            if (t.samples().event(row) == id) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> names(FrameTable frames, int[] path) {
        List<String> names = new ArrayList<>(path.length);
        for (int frame : path) {
            names.add(frames.name(frame));
        }
        return names;
    }

    private static int frameNamed(FrameTable frames, String name) {
        for (int f = 0; f < frames.size(); f++) {
            if (frames.name(f).equals(name)) {
                return f;
            }
        }
        return -1;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
