package dev.flint.trace.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format detection by content, its error messages, and a trace recorded by real perf. */
class TraceReaderTest {

    private static final String PERF = "burn 10063   320.654333:    5000000 cpu-clock:\n"
            + "\t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)\n\t55d0a1b2c000 main+0x20 (/tmp/exp/burn)\n";
    private static final String FOLDED = "burn;main;leaf 12\nburn;main 3\n";

    @TempDir
    Path dir;

    private static Trace read(byte[] bytes) throws IOException, TraceFormatException {
        return TraceReader.read(new ByteArrayInputStream(bytes), "input");
    }

    private static Trace read(String text) throws IOException, TraceFormatException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void perfScriptByContent() throws Exception {
        assertThat(read(PERF).format()).isEqualTo(PerfScriptParser.FORMAT);
        assertThat(read("# ========\n# hostname : vm\n#\n\n" + PERF).metadata()).containsEntry("hostname", "vm");
        assertThat(read("\uFEFF" + PERF.replace("\n", "\r\n")).samples().size()).isEqualTo(1);
    }

    @Test
    void foldedByContent() throws Exception {
        Trace t = read(FOLDED);
        assertThat(t.format()).isEqualTo(FoldedParser.FORMAT);
        assertThat(t.samples().totalCount()).isEqualTo(15);
        assertThat(read("\n\nsingle 4\n").format()).isEqualTo(FoldedParser.FORMAT);
    }

    @Test
    void gzipIsDetectedAndReadInside() throws Exception {
        assertThat(read(gzip(PERF.getBytes(StandardCharsets.UTF_8))).format()).isEqualTo(PerfScriptParser.FORMAT);
        assertThat(read(gzip(FOLDED.getBytes(StandardCharsets.UTF_8))).format()).isEqualTo(FoldedParser.FORMAT);
        assertThat(read(gzip(gzip(PERF.getBytes(StandardCharsets.UTF_8)))).samples().size()).isEqualTo(1);
    }

    @Test
    void theSharedFixturesByPathWhateverTheirNames() throws Exception {
        for (String name : List.of("python-loop-200hz.perf", "java-loop-200hz.perf.gz",
                "java-loop-async-profiler.collapsed")) {
            Path copy = dir.resolve("trace-" + name.hashCode() + ".bin");
            try (InputStream in = getClass().getResourceAsStream("/traces/" + name)) {
                Files.copy(in, copy);
            }
            Trace t = TraceReader.read(copy);
            assertThat(t.source()).isEqualTo(copy.toString());
            assertThat(t.format()).isEqualTo(name.endsWith(".collapsed") ? FoldedParser.FORMAT : PerfScriptParser.FORMAT);
            assertThat(t.samples().size()).isEqualTo(switch (name) {
                case "python-loop-200hz.perf" -> 1989;
                case "java-loop-200hz.perf.gz" -> 2002;
                default -> 719;
            });
        }
    }

    @Test
    void aLongHeaderIsStillDetected() throws Exception {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            header.append("# event : name = tracepoint_").append(i).append(", , id = { ").append(i).append(" }\n");
        }
        assertThat(header.length()).isGreaterThan(200_000);
        assertThat(read(header + PERF).format()).isEqualTo(PerfScriptParser.FORMAT);
    }

    @Test
    void jfrByMagicFromAPathAndFromAStream() throws Exception {
        Path jfr = dir.resolve("recording.bin");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            recording.start();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long sink = 0;
            while (System.nanoTime() < end) {
                sink += Arrays.hashCode(new int[64]);
            }
            assertThat(sink).isNotNegative();
            recording.stop();
            recording.dump(jfr);
        }
        assertThat(TraceReader.read(jfr).format()).isEqualTo(JfrReader.FORMAT);
        try (InputStream in = Files.newInputStream(jfr)) {
            assertThat(TraceReader.read(in, "stream").format()).isEqualTo(JfrReader.FORMAT);
        }
        assertThat(read(gzip(Files.readAllBytes(jfr))).format()).isEqualTo(JfrReader.FORMAT);
    }

    @Test
    void emptyInputs() {
        assertThatThrownBy(() -> read("")).isInstanceOfSatisfying(TraceFormatException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("input: empty input: expected perf script text, folded stacks or a JFR"
                    + " recording, optionally gzipped");
            assertThat(e.lineNumber()).isZero();
        });
        assertThatThrownBy(() -> read("\n  \n\r\n")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("empty input: only blank lines");
        assertThatThrownBy(() -> read("# ========\n# hostname : vm\n# ========\n")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("no samples: only comments");
        assertThatThrownBy(() -> read(gzip(new byte[0]))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("empty gzip content");
    }

    @Test
    void anUnknownFormatNamesItsFirstDataLine() {
        assertThatThrownBy(() -> read("# a comment\n\nhello world\nmore\n"))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(3);
                    assertThat(e.line()).isEqualTo("hello world");
                    assertThat(e.getMessage()).startsWith("input:3: not a trace Flint can read: the first line is neither"
                            + " a perf script event line").endsWith(": \"hello world\"");
                });
        assertThatThrownBy(() -> read("{\"traceEvents\": []}\n")).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("input:1: not a trace Flint can read");
    }

    @Test
    void errorsAfterDetectionComeFromTheParser() {
        assertThatThrownBy(() -> read(PERF + "\nnot perf\n")).isInstanceOfSatisfying(TraceFormatException.class, e -> {
            assertThat(e.lineNumber()).isEqualTo(5);
            assertThat(e.line()).isEqualTo("not perf");
        });
        assertThatThrownBy(() -> read(FOLDED + "a;b x\n")).isInstanceOfSatisfying(TraceFormatException.class,
                e -> assertThat(e.lineNumber()).isEqualTo(3));
    }

    @Test
    void binaryAndOddEncodings() {
        byte[] random = new byte[100_000];
        new Random(42).nextBytes(random);
        random[0] = 'x';
        assertThatThrownBy(() -> read(random)).isInstanceOf(TraceFormatException.class);
        byte[] noNewline = new byte[TraceReader.SNIFF_BYTES + 10];
        Arrays.fill(noNewline, (byte) 'a');
        assertThatThrownBy(() -> read(noNewline)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("no complete line in the first 1 MiB");
        assertThatThrownBy(() -> read(PERF.getBytes(StandardCharsets.UTF_16LE))).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("UTF-16");
        byte[] bom16 = ("\uFEFF" + PERF).getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> read(bom16)).isInstanceOf(TraceFormatException.class).hasMessageContaining("UTF-16");
    }

    @Test
    void corruptAndTruncatedGzip() throws Exception {
        byte[] gz = gzip(PerfScriptParserTest.javaFixture().getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("corrupt or truncated gzip data");
        byte[] corrupt = gz.clone();
        for (int i = 100; i < 200; i++) {
            corrupt[i] ^= 0x5A;
        }
        assertThatThrownBy(() -> read(corrupt)).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("gzip");
        assertThatThrownBy(() -> read(new byte[] {0x1f, (byte) 0x8b})).isInstanceOf(TraceFormatException.class)
                .hasMessageContaining("corrupt or truncated gzip data");
    }

    /**
     * A trace recorded here by perf itself: {@code perf record -e cpu-clock -F 199 -g} of a busy
     * shell loop, then {@code perf script --header}, and the same data in three other output
     * styles ({@code -G}, {@code --ns}, {@code -F comm,tid,time,ip,sym}), which must agree.
     */
    @Test
    void aTraceRecordedByPerf() throws Exception {
        Path data = dir.resolve("perf.data");
        String loop = "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done";
        Run record = run(dir, "perf", "record", "-e", "cpu-clock", "-F", "199", "-g", "-o", data.toString(), "--",
                "sh", "-c", loop);
        if (record.exit != 0 || !Files.exists(data)) {
            String reason = "perf record does not work here (exit " + record.exit + "): " + record.output.strip();
            System.out.println("TraceReaderTest.aTraceRecordedByPerf skipped: " + reason);
            Assumptions.abort(reason);
        }
        Trace t = TraceReader.read(script(data, "--header"));
        SampleStore s = t.samples();
        assertThat(t.format()).isEqualTo(PerfScriptParser.FORMAT);
        assertThat(s.size()).as("samples of a loop of about 0.3 s or more at 199 Hz").isGreaterThan(10);
        assertThat(t.events()).containsExactly("cpu-clock");
        assertThat(t.metadata()).containsKeys("hostname", "captured_on", "time_of_first_sample", "time_of_last_sample",
                "event");
        assertThat(t.metadata().get("cmdline")).contains("perf record -e cpu-clock -F 199 -g");
        Set<String> comms = new HashSet<>();
        for (int row = 0; row < s.size(); row++) {
            comms.add(TraceRows.names(t, row).get(0));
            assertThat(s.weight(row)).isPositive();
            assertThat(s.tid(row)).isPositive();
        }
        assertThat(comms).contains("sh");
        long first = seconds(t.metadata().get("time_of_first_sample"));
        long last = seconds(t.metadata().get("time_of_last_sample"));
        assertThat(t.startNanos()).isEqualTo(first);
        assertThat(t.endNanos()).isEqualTo(last);

        Trace hidden = TraceReader.read(script(data, "-G"));
        Trace nanos = TraceReader.read(script(data, "--ns"));
        Trace fields = TraceReader.read(script(data, "-F", "comm,tid,time,ip,sym"));
        assertThat(hidden.samples().size()).isEqualTo(s.size());
        assertThat(nanos.samples().size()).isEqualTo(s.size());
        assertThat(fields.samples().size()).isEqualTo(s.size());
        List<String> leaves = new ArrayList<>();
        List<String> hiddenLeaves = new ArrayList<>();
        for (int row = 0; row < s.size(); row++) {
            List<String> names = TraceRows.names(t, row);
            leaves.add(names.get(names.size() - 1));
            List<String> hiddenNames = TraceRows.names(hidden, row);
            assertThat(hiddenNames).hasSize(2);
            hiddenLeaves.add(hiddenNames.get(1));
            assertThat(hidden.samples().time(row)).isEqualTo(s.time(row));
            assertThat(nanos.samples().time(row) / 1000).isEqualTo(s.time(row) / 1000);
            assertThat(TraceRows.names(fields, row)).isEqualTo(names);
        }
        assertThat(hiddenLeaves).isEqualTo(leaves);
    }

    private static long seconds(String decimal) {
        String[] parts = decimal.strip().split("\\.");
        return Long.parseLong(parts[0]) * 1_000_000_000L + Long.parseLong((parts[1] + "000000000").substring(0, 9));
    }

    private Path script(Path data, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("perf", "script", "-i", data.toString()));
        command.addAll(List.of(options));
        Path out = Files.createTempFile(dir, "script", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("perf script %s", List.of(options)).isZero();
        return out;
    }

    private record Run(int exit, String output) {}

    private static Run run(Path dir, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out");
            }
            return new Run(p.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
