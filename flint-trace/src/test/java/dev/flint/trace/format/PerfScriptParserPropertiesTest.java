package dev.flint.trace.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of the text parsers: (a) random well-formed {@code perf script} traces, written the
 * way perf writes them in one of its styles, read back to exactly what was generated; (b) the
 * same for folded stacks; (c) random, truncated and mutated inputs never make a parser throw
 * anything but {@link TraceFormatException}, nor run long ({@link TryTimeout}).
 *
 * <p>Properties are checked with QuickTheories, which shrinks a failing case before reporting it
 * (with the seed). Each property has a fixed seed, so that a build is reproducible; run with
 * {@code -DQT_SEED=n} to explore another one (the seed a failure reports reproduces it).
 */
class PerfScriptParserPropertiesTest {

    /** The bound of one case; a case that takes longer fails. */
    private static final Duration PER_TRY = Duration.ofSeconds(5);

    /** How long a failing case is shrunk at most (it may hang up to {@link #PER_TRY} per attempt). */
    private static final Duration SHRINKING = Duration.ofSeconds(20);

    /** Failed assumptions ({@link Gen#assuming}) allowed in generating one case: generators filter. */
    private static final int GENERATE_ATTEMPTS = 100_000;

    /** QuickTheories with {@code examples} cases and this property's own fixed seed, unless QT_SEED is set. */
    private static QuickTheory qt(int examples, long seed) {
        QuickTheory qt = QuickTheory.qt().withExamples(examples).withGenerateAttempts(GENERATE_ATTEMPTS);
        return System.getProperty("QT_SEED") == null ? qt.withFixedSeed(seed) : qt;
    }

    private static TryTimeout bound() {
        return TryTimeout.of(PER_TRY, SHRINKING);
    }

    /** The generated model of a perf frame; {@code module} null when the style writes none. */
    record Frame(String address, String symbol, String offset, String module) {

        String expectedName() {
            return symbol.isEmpty() ? "[unknown]" : symbol;
        }
    }

    record Sample(String comm, int pid, int tid, int cpu, long seconds, long fraction, long period, String event,
                  List<Frame> frames) {}

    /** What perf's -F, -G, --ns and --header choose, fixed for a whole file as perf fixes them. */
    record Style(boolean header, boolean crlf, boolean timed, boolean nanos, boolean pid, boolean cpu, boolean period,
                 boolean events, boolean inlineIp, boolean modules, String indent, boolean finalBlank) {}

    record PerfCase(Style style, List<Sample> samples, String headerEvent) {

        String text() {
            StringBuilder out = new StringBuilder();
            String nl = style.crlf ? "\r\n" : "\n";
            if (style.header) {
                out.append("# ========").append(nl).append("# captured on    : Tue Dec  1 08:31:43 2026").append(nl)
                        .append("# hostname : generated").append(nl);
                if (headerEvent != null) {
                    out.append("# event : name = ").append(headerEvent).append(", , id = { 1, 2 }, type = 1").append(nl);
                }
                out.append("# ========").append(nl).append('#').append(nl);
            }
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                if (style.inlineIp) {
                    out.append("          ");
                }
                out.append(s.comm).append(' ');
                if (style.pid) {
                    out.append(s.pid).append('/');
                }
                out.append(s.tid);
                if (style.cpu) {
                    out.append(String.format(Locale.ROOT, " [%03d]", s.cpu));
                }
                if (style.timed) {
                    out.append(String.format(Locale.ROOT, style.nanos ? " %6d.%09d:" : " %6d.%06d:", s.seconds,
                            s.fraction));
                }
                if (style.period) {
                    out.append(String.format(Locale.ROOT, " %10d", s.period));
                }
                if (s.event != null) {
                    out.append(' ').append(s.event).append(':');
                }
                if (style.inlineIp) {
                    Frame f = s.frames.get(0);
                    out.append("      ").append(frameText(f)).append(nl);
                    continue;
                }
                out.append(' ').append(nl);
                for (Frame f : s.frames) {
                    out.append(style.indent).append(String.format(Locale.ROOT, style.indent.isEmpty() ? "%s" : "%16s",
                            f.address)).append(' ').append(frameText(f).substring(f.address.length() + 1)).append(nl);
                }
                if (i < samples.size() - 1 || style.finalBlank) {
                    out.append(nl);
                }
            }
            return out.toString();
        }

        private static String frameText(Frame f) {
            return f.address + " " + f.symbol + f.offset + (f.module == null ? "" : " (" + f.module + ")");
        }

        String expectedEvent(Sample s) {
            if (s.event != null) {
                return s.event;
            }
            return headerEvent != null && style.header ? headerEvent : PerfScriptParser.UNKNOWN_EVENT;
        }
    }

    @Test
    void wellFormedPerfScriptReadsBackExactly() {
        TryTimeout bound = bound();
        qt(300, 0x5eed_0001L).forAll(perfCases()).checkAssert(c -> bound.run(() -> readsBackExactly(c)));
    }

    private static void readsBackExactly(PerfCase c) throws Exception {
        String text = c.text();
        Trace t = TraceRows.perf(text, 37);
        SampleStore s = t.samples();
        assertThat(s.size()).as(text).isEqualTo(c.samples.size());
        for (int row = 0; row < s.size(); row++) {
            Sample g = c.samples.get(row);
            String where = "row " + row + " of\n" + text;
            List<String> names = new ArrayList<>();
            List<String> modules = new ArrayList<>();
            names.add(g.comm);
            modules.add("");
            for (int i = g.frames.size() - 1; i >= 0; i--) {
                names.add(g.frames.get(i).expectedName());
                modules.add(g.frames.get(i).module == null ? "" : g.frames.get(i).module);
            }
            assertThat(TraceRows.names(t, row)).as(where).isEqualTo(names);
            assertThat(TraceRows.modules(t, row)).as(where).isEqualTo(modules);
            long nanos = c.style.nanos ? g.fraction : g.fraction * 1000;
            assertThat(s.time(row)).as(where)
                    .isEqualTo(c.style.timed ? g.seconds * 1_000_000_000L + nanos : SampleStore.NO_TIME);
            assertThat(s.tid(row)).as(where).isEqualTo(g.tid);
            assertThat(s.pid(row)).as(where).isEqualTo(c.style.pid ? g.pid : SampleStore.UNKNOWN);
            assertThat(s.cpu(row)).as(where).isEqualTo(c.style.cpu ? g.cpu : SampleStore.UNKNOWN);
            assertThat(s.weight(row)).as(where).isEqualTo(c.style.period ? g.period : 1);
            assertThat(s.count(row)).isEqualTo(1);
            assertThat(TraceRows.eventName(t, row)).as(where).isEqualTo(c.expectedEvent(g));
        }
    }

    @Test
    void foldedReadsBackExactly() {
        TryTimeout bound = bound();
        qt(300, 0x5eed_0002L).forAll(foldedCases(), booleans().all())
                .checkAssert((lines, crlf) -> bound.run(() -> foldedReadsBack(lines, crlf)));
    }

    private static void foldedReadsBack(List<FoldedLine> lines, boolean crlf) throws Exception {
        String text = foldedText(lines, crlf ? "\r\n" : "\n");
        Trace t = TraceRows.folded(text);
        assertThat(t.samples().size()).as(text).isEqualTo(lines.size());
        for (int row = 0; row < lines.size(); row++) {
            FoldedLine line = lines.get(row);
            assertThat(TraceRows.names(t, row)).as(text).isEqualTo(line.names());
            assertThat(TraceRows.kinds(t, row)).as(text).isEqualTo(line.kinds());
            assertThat(t.samples().weight(row)).as(text).isEqualTo(line.count());
            assertThat(t.samples().count(row)).as(text).isEqualTo((int) Math.min(line.count(), Integer.MAX_VALUE));
            assertThat(t.samples().time(row)).as(text).isEqualTo(SampleStore.NO_TIME);
        }
    }

    private static String foldedText(List<FoldedLine> lines, String nl) {
        StringBuilder text = new StringBuilder();
        for (FoldedLine line : lines) {
            text.append(line.text()).append(nl);
        }
        return text.toString();
    }

    @Test
    void anyBytesFailOnlyWithTraceFormatException() {
        TryTimeout bound = bound();
        qt(400, 0x5eed_0003L).forAll(byteArrays(3000)).checkAssert(bytes -> bound.run(() -> readEveryWay(bytes)));
    }

    @Test
    void mutatedPerfScriptFailsOnlyWithTraceFormatException() {
        TryTimeout bound = bound();
        qt(300, 0x5eed_0004L).forAll(perfCases(), mutations(), booleans().all())
                .checkAssert((c, mutations, gzip) -> bound.run(() -> {
                    byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
                    if (gzip) {
                        bytes = gzip(bytes);
                    }
                    for (Mutation m : mutations) {
                        bytes = m.apply(bytes);
                    }
                    readEveryWay(bytes);
                }));
    }

    @Test
    void mutatedFoldedFailsOnlyWithTraceFormatException() {
        TryTimeout bound = bound();
        qt(200, 0x5eed_0005L).forAll(foldedCases(), mutations()).checkAssert((lines, mutations) -> bound.run(() -> {
            byte[] bytes = foldedText(lines, "\n").getBytes(StandardCharsets.UTF_8);
            for (Mutation m : mutations) {
                bytes = m.apply(bytes);
            }
            readEveryWay(bytes);
        }));
    }

    @Test
    void truncatedPerfScriptFailsOnlyWithTraceFormatException() {
        TryTimeout bound = bound();
        qt(100, 0x5eed_0006L).forAll(perfCases(), integers().between(0, 100))
                .checkAssert((c, percent) -> bound.run(() -> {
                    byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
                    readEveryWay(Arrays.copyOf(bytes, bytes.length * percent / 100));
                }));
    }

    /** Reads {@code bytes} by content, and with each text parser directly: only TraceFormatException may come out. */
    private static void readEveryWay(byte[] bytes) {
        try {
            TraceReader.read(new ByteArrayInputStream(bytes), "random");
        } catch (TraceFormatException expected) {
            assertThat(expected.getMessage()).startsWith("random");
        } catch (IOException e) {
            throw new AssertionError("an IOException from memory", e);
        }
        try {
            new PerfScriptParser("random", 29).read(new ByteArrayInputStream(bytes));
        } catch (TraceFormatException expected) {
            assertThat(expected.lineNumber()).isPositive();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try {
            new FoldedParser("random", 29).read(new ByteArrayInputStream(bytes));
        } catch (TraceFormatException expected) {
            assertThat(expected.lineNumber()).isPositive();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    // --- generators ---------------------------------------------------------------------------

    /** Strings of {@code min} to {@code max} characters drawn from {@code alphabet}. */
    private static Gen<String> strings(String alphabet, int min, int max) {
        return lists().of(integers().between(0, alphabet.length() - 1).map(alphabet::charAt)).ofSizeBetween(min, max)
                .map(chars -> {
                    StringBuilder out = new StringBuilder(chars.size());
                    chars.forEach(out::append);
                    return out.toString();
                });
    }

    private static Gen<byte[]> byteArrays(int maxLength) {
        return Generate.byteArrays(integers().between(0, maxLength), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE,
                (byte) 0)).describedAs(Arrays::toString);
    }

    static Gen<PerfCase> perfCases() {
        return styles().<PerfCase>flatMap(style -> samples(style).zip(arbitrary().pick("cpu-clock", "cycles:ppp"),
                        (samples, headerEvent) -> new PerfCase(style, withIncreasingTimes(style, samples), headerEvent)))
                .describedAs(c -> c + "\n" + c.text());
    }

    /** The generated gaps as strictly increasing timestamps, so that the builder's sort keeps file order. */
    private static List<Sample> withIncreasingTimes(Style style, List<Sample> samples) {
        long unitsPerSecond = style.nanos ? 1_000_000_000L : 1_000_000L;
        List<Sample> out = new ArrayList<>();
        long units = 0;
        for (Sample s : samples) {
            units += 1 + s.seconds * unitsPerSecond + s.fraction;
            out.add(new Sample(s.comm, s.pid, s.tid, s.cpu, units / unitsPerSecond, units % unitsPerSecond, s.period,
                    s.event, s.frames));
        }
        return out;
    }

    private static Gen<Style> styles() {
        return lists().of(booleans().all()).ofSize(11).zip(arbitrary().pick("\t", "", "    "), (b, indent) -> {
            boolean timed = b.get(2);
            boolean inlineIp = b.get(8);
            // perf writes -G lines with an event name; untimed lines need one to be recognised
            return new Style(b.get(0), b.get(1), timed, b.get(3), b.get(4), b.get(5), b.get(6),
                    b.get(7) || inlineIp || !timed, inlineIp, b.get(9), indent, b.get(10));
        });
    }

    private static Gen<List<Sample>> samples(Style style) {
        Gen<String> event = style.events
                ? arbitrary().pick("cpu-clock", "cpu-clock:pppH", "cycles:ppp", "instructions:u", "sched:sched_switch")
                : Generate.constant((String) null);
        Gen<List<Frame>> frames = lists().of(frame(style)).ofSizeBetween(style.inlineIp ? 1 : 0, style.inlineIp ? 1 : 8);
        Gen<Sample> sample = comm(style)
                .zip(integers().between(-1, 4_194_304), integers().between(-1, 4_194_304), integers().between(0, 255),
                        (comm, pid, tid, cpu) -> new Sample(comm, pid, tid, cpu, 0, 0, 0, null, List.of()))
                .zip(longs().between(0, 3), longs().between(0, 999_999), longs().between(0, 99_999_999_999L), event,
                        (s, seconds, fraction, period, ev) -> new Sample(s.comm, s.pid, s.tid, s.cpu, seconds,
                                style.nanos ? fraction * 1000 + fraction % 1000 : fraction, period, ev, List.of()))
                .zip(frames, (s, f) -> new Sample(s.comm, s.pid, s.tid, s.cpu, s.seconds, s.fraction, s.period, s.event,
                        f));
        return lists().of(sample).ofSizeBetween(0, 12);
    }

    /** Command names: up to 15 characters, spaces and digits included, as perf prints them. */
    private static Gen<String> comm(Style style) {
        return strings("abcxyzQ0129 /:._-#", 1, 15)
                .assuming(c -> !c.startsWith(" ") && !c.endsWith(" ") && !c.startsWith("#") && !c.contains(": ")
                        && !c.endsWith(":"))
                // without a timestamp, "worker 5 1234 cpu-clock:" has no anchor telling comm from tid
                .assuming(c -> style.timed || style.cpu || !c.substring(c.lastIndexOf(' ') + 1).matches("-?[0-9/]+"));
    }

    private static Gen<Frame> frame(Style style) {
        String hex = "0123456789abcdef";
        Gen<String> address = strings(hex, 1, 12).mix(strings(hex, 8, 8).map(s -> "ffffffff" + s));
        Gen<String> offset = Generate.constant("").mix(strings(hex, 1, 8).map(h -> "+0x" + h));
        Gen<String> module = style.modules
                ? arbitrary().pick("/tmp/perf-123.map", "[kernel.kallsyms]", "/usr/lib/x86_64-linux-gnu/libc.so.6",
                        "[unknown]", "/memfd:doublemapper (deleted)", "[vdso]", "/opt/My App/lib (x86).so", "//anon",
                        "[nf_conntrack_ipv4]", "/lib/modules/6.1/vmlinux")
                : Generate.constant((String) null);
        return address.zip(symbol(style), offset, module,
                (a, sym, off, m) -> new Frame(a, sym, sym.isEmpty() ? "" : off, m));
    }

    /** Symbols of every language perf meets: C++ arguments and operators, Java, Go, Rust, JIT stubs. */
    private static Gen<String> symbol(Style style) {
        Gen<String> part = strings("abcdefXYZ_0123456789", 1, 10).mix(
                arbitrary().pick("::", "(", ")", " ", "<", ">", "*", "&", ", ", "$", "/", ".", "[", "]", "+", "-", ";",
                        "@@GLIBC_2.3.2", "operator+", "operator()", "(anonymous namespace)", "Ljava/io/OutputStream;",
                        "(long)", "StubRoutines (1)", "[unknown]", "{{closure}}", "=", "'", "\"", "%", "1.5", ":"));
        return lists().of(part).ofSizeBetween(0, 6).map(parts -> String.join("", parts))
                .assuming(s -> s.isEmpty() || (!s.startsWith(" ") && !s.endsWith(" ")))
                .assuming(s -> !s.contains(": ") && !s.endsWith(":") && !s.contains("->"))
                // an offset-like end would be cut as perf's offset
                .assuming(s -> !s.matches(".*\\+0x[0-9a-fA-F]+"))
                // without a module, a symbol's last "(...)" would read as one
                .assuming(s -> style.modules || !s.endsWith(")"));
    }

    record FoldedLine(List<String> names, List<FrameKind> kinds, List<String> suffixes,
                      long count) {

        String text() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(';');
                }
                out.append(names.get(i)).append(suffixes.get(i));
            }
            return out.append(' ').append(count).toString();
        }
    }

    /** A folded frame: its name, and which annotation suffix follows it (0: none). */
    record FoldedFrame(String name, int suffix) {

        private static final String[] SUFFIXES = {"", "_[k]", "_[j]", "_[i]", "_[0]", "_[1]", "_[w]"};
        private static final FrameKind[] KINDS = {FrameKind.USER, FrameKind.KERNEL, FrameKind.JIT, FrameKind.INLINED,
                FrameKind.INTERPRETED, FrameKind.JIT, FrameKind.USER};
    }

    static Gen<List<FoldedLine>> foldedCases() {
        Gen<String> name = strings("abcXYZ019 ./$()<>[]_:-", 1, 12)
                .assuming(s -> !s.startsWith(" ") && !s.endsWith(" ") && !s.startsWith("#"))
                .assuming(s -> !s.matches(".*_\\[.\\]"))
                // "worker 5" as the leaf of a first line reads as a differential file
                .assuming(s -> !s.matches("(.* )?[0-9]+(\\.[0-9]+)?"));
        Gen<FoldedFrame> frame = name.zip(integers().between(0, FoldedFrame.SUFFIXES.length - 1), FoldedFrame::new);
        Gen<Long> count = longs().between(0, 1000).mix(longs().between(0, 10_000_000_000_000L));
        Gen<FoldedLine> line = lists().of(frame).ofSizeBetween(1, 10).zip(count, (frames, n) -> {
            List<String> names = new ArrayList<>();
            List<FrameKind> kinds = new ArrayList<>();
            List<String> suffixes = new ArrayList<>();
            for (FoldedFrame f : frames) {
                names.add(f.name());
                suffixes.add(FoldedFrame.SUFFIXES[f.suffix()]);
                kinds.add(FoldedFrame.KINDS[f.suffix()]);
            }
            return new FoldedLine(names, kinds, suffixes, n);
        });
        return lists().of(line).ofSizeBetween(0, 15).describedAs(lines -> lines + "\n" + foldedText(lines, "\n"));
    }

    /** One random edit of a byte array: replace, insert or delete a byte, or cut the array. */
    record Mutation(int kind, int position, byte value) {

        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return new byte[] {value};
            }
            int at = Math.floorMod(position, in.length);
            switch (kind) {
                case 0 -> {
                    byte[] out = in.clone();
                    out[at] = value;
                    return out;
                }
                case 1 -> {
                    byte[] out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = value;
                    System.arraycopy(in, at, out, at + 1, in.length - at);
                    return out;
                }
                case 2 -> {
                    byte[] out = new byte[in.length - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                    return out;
                }
                default -> {
                    byte[] out = new byte[at];
                    System.arraycopy(in, 0, out, 0, at);
                    return out;
                }
            }
        }
    }

    static Gen<List<Mutation>> mutations() {
        Gen<Byte> interesting = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0).mix(
                arbitrary().pick((byte) '\n', (byte) ' ', (byte) '\t', (byte) ':', (byte) '(', (byte) ')', (byte) '#',
                        (byte) '[', (byte) '.', (byte) '0', (byte) '9', (byte) ';', (byte) '\r', (byte) 0));
        return lists().of(integers().between(0, 3).zip(integers().all(), interesting, Mutation::new))
                .ofSizeBetween(1, 8);
    }
}
