package dev.flint.trace.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the text parsers: (a) random well-formed {@code perf script} traces, written the
 * way perf writes them in one of its styles, read back to exactly what was generated; (b) the
 * same for folded stacks; (c) random and mutated inputs never make a parser throw anything but
 * {@link TraceFormatException}, nor run long ({@link TryTimeout}).
 */
class PerfScriptParserPropertiesTest {

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

    @Property(tries = 300)
    @TryTimeout(millis = 5_000)
    void wellFormedPerfScriptReadsBackExactly(@ForAll("perfCases") PerfCase c) throws Exception {
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

    @Property(tries = 300)
    @TryTimeout(millis = 5_000)
    void foldedReadsBackExactly(@ForAll("foldedCases") List<FoldedLine> lines, @ForAll boolean crlf) throws Exception {
        StringBuilder text = new StringBuilder();
        for (FoldedLine line : lines) {
            text.append(line.text()).append(crlf ? "\r\n" : "\n");
        }
        Trace t = TraceRows.folded(text.toString());
        assertThat(t.samples().size()).isEqualTo(lines.size());
        for (int row = 0; row < lines.size(); row++) {
            FoldedLine line = lines.get(row);
            assertThat(TraceRows.names(t, row)).as(text.toString()).isEqualTo(line.names());
            assertThat(TraceRows.kinds(t, row)).as(text.toString()).isEqualTo(line.kinds());
            assertThat(t.samples().weight(row)).isEqualTo(line.count());
            assertThat(t.samples().count(row)).isEqualTo((int) Math.min(line.count(), Integer.MAX_VALUE));
            assertThat(t.samples().time(row)).isEqualTo(SampleStore.NO_TIME);
        }
    }

    @Property(tries = 400)
    @TryTimeout(millis = 5_000)
    void anyBytesFailOnlyWithTraceFormatException(@ForAll @Size(max = 3000) byte[] bytes) {
        readEveryWay(bytes);
    }

    @Property(tries = 300)
    @TryTimeout(millis = 5_000)
    void mutatedPerfScriptFailsOnlyWithTraceFormatException(@ForAll("perfCases") PerfCase c,
                                                             @ForAll("mutations") List<Mutation> mutations,
                                                             @ForAll boolean gzip) throws IOException {
        byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            bytes = gzip(bytes);
        }
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        readEveryWay(bytes);
    }

    @Property(tries = 200)
    @TryTimeout(millis = 5_000)
    void mutatedFoldedFailsOnlyWithTraceFormatException(@ForAll("foldedCases") List<FoldedLine> lines,
                                                        @ForAll("mutations") List<Mutation> mutations) {
        StringBuilder text = new StringBuilder();
        for (FoldedLine line : lines) {
            text.append(line.text()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        readEveryWay(bytes);
    }

    @Property(tries = 100)
    @TryTimeout(millis = 5_000)
    void truncatedPerfScriptFailsOnlyWithTraceFormatException(@ForAll("perfCases") PerfCase c,
                                                              @ForAll @IntRange(max = 100) int percent) {
        byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
        byte[] cut = new byte[bytes.length * percent / 100];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        readEveryWay(cut);
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

    @Provide
    Arbitrary<PerfCase> perfCases() {
        return styles().flatMap(style -> Combinators.combine(samples(style), Arbitraries.of("cpu-clock", "cycles:ppp"))
                .as((samples, headerEvent) -> new PerfCase(style, withIncreasingTimes(style, samples), headerEvent)));
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

    private Arbitrary<Style> styles() {
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, b, b, b, b, b, b, b).flatAs((header, crlf, timed, nanos, pid, cpu, period, events) ->
                Combinators.combine(b, b, Arbitraries.of("\t", "", "    "), b).as((inlineIp, modules, indent, finalBlank) ->
                        // perf writes -G lines with an event name; untimed lines need one to be recognised
                        new Style(header, crlf, timed, nanos, pid, cpu, period, events || inlineIp || !timed, inlineIp,
                                modules, indent, finalBlank)));
    }

    private Arbitrary<List<Sample>> samples(Style style) {
        Arbitrary<String> event = style.events
                ? Arbitraries.of("cpu-clock", "cpu-clock:pppH", "cycles:ppp", "instructions:u", "sched:sched_switch")
                : Arbitraries.just(null);
        Arbitrary<List<Frame>> frames = frame(style).list().ofMinSize(style.inlineIp ? 1 : 0)
                .ofMaxSize(style.inlineIp ? 1 : 8);
        Arbitrary<Sample> sample = Combinators.combine(comm(style), Arbitraries.integers().between(-1, 4_194_304),
                        Arbitraries.integers().between(-1, 4_194_304), Arbitraries.integers().between(0, 255),
                        Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 999_999),
                        Arbitraries.longs().between(0, 99_999_999_999L), event)
                .as((comm, pid, tid, cpu, seconds, fraction, period, ev) -> new Sample(comm, pid, tid, cpu, seconds,
                        style.nanos ? fraction * 1000 + fraction % 1000 : fraction, period, ev, List.of()));
        return Combinators.combine(sample.list().ofMaxSize(12), frames.list().ofSize(12))
                .as((list, frameLists) -> {
                    List<Sample> out = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        Sample s = list.get(i);
                        out.add(new Sample(s.comm, s.pid, s.tid, s.cpu, s.seconds, s.fraction, s.period, s.event,
                                frameLists.get(i)));
                    }
                    return out;
                });
    }

    /** Command names: up to 15 characters, spaces and digits included, as perf prints them. */
    private Arbitrary<String> comm(Style style) {
        return Arbitraries.strings().withChars("abcxyzQ0129 /:._-#").ofMinLength(1).ofMaxLength(15)
                .filter(c -> !c.startsWith(" ") && !c.endsWith(" ") && !c.startsWith("#") && !c.contains(": ")
                        && !c.endsWith(":"))
                // without a timestamp, "worker 5 1234 cpu-clock:" has no anchor telling comm from tid
                .filter(c -> style.timed || style.cpu || !c.substring(c.lastIndexOf(' ') + 1).matches("-?[0-9/]+"));
    }

    private Arbitrary<Frame> frame(Style style) {
        Arbitrary<String> address = Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(8).map(s -> "ffffffff" + s));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(8).map(h -> "+0x" + h));
        Arbitrary<String> module = style.modules
                ? Arbitraries.of("/tmp/perf-123.map", "[kernel.kallsyms]", "/usr/lib/x86_64-linux-gnu/libc.so.6",
                        "[unknown]", "/memfd:doublemapper (deleted)", "[vdso]", "/opt/My App/lib (x86).so", "//anon",
                        "[nf_conntrack_ipv4]", "/lib/modules/6.1/vmlinux")
                : Arbitraries.just(null);
        return Combinators.combine(address, symbol(style), offset, module)
                .as((a, sym, off, m) -> new Frame(a, sym, sym.isEmpty() ? "" : off, m));
    }

    /** Symbols of every language perf meets: C++ arguments and operators, Java, Go, Rust, JIT stubs. */
    private Arbitrary<String> symbol(Style style) {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcdefXYZ_0123456789").ofMinLength(1).ofMaxLength(10),
                Arbitraries.of("::", "(", ")", " ", "<", ">", "*", "&", ", ", "$", "/", ".", "[", "]", "+", "-", ";",
                        "@@GLIBC_2.3.2", "operator+", "operator()", "(anonymous namespace)", "Ljava/io/OutputStream;",
                        "(long)", "StubRoutines (1)", "[unknown]", "{{closure}}", "=", "'", "\"", "%", "1.5", ":"));
        return part.list().ofMinSize(0).ofMaxSize(6).map(parts -> String.join("", parts))
                .filter(s -> s.isEmpty() || (!s.startsWith(" ") && !s.endsWith(" ")))
                .filter(s -> !s.contains(": ") && !s.endsWith(":") && !s.contains("->"))
                // an offset-like end would be cut as perf's offset
                .filter(s -> !s.matches(".*\\+0x[0-9a-fA-F]+"))
                // without a module, a symbol's last "(...)" would read as one
                .filter(s -> style.modules || !s.endsWith(")"));
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

    @Provide
    Arbitrary<List<FoldedLine>> foldedCases() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ019 ./$()<>[]_:-").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.startsWith(" ") && !s.endsWith(" ") && !s.startsWith("#"))
                .filter(s -> !s.matches(".*_\\[.\\]"))
                // "worker 5" as the leaf of a first line reads as a differential file
                .filter(s -> !s.matches("(.* )?[0-9]+(\\.[0-9]+)?"));
        Arbitrary<Integer> suffix = Arbitraries.integers().between(0, 6);
        Arbitrary<FoldedLine> line = Combinators.combine(Combinators.combine(name, suffix).as(List::<Object>of).list()
                        .ofMinSize(1).ofMaxSize(10), Arbitraries.oneOf(Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 10_000_000_000_000L)))
                .as((frames, count) -> {
                    List<String> names = new ArrayList<>();
                    List<FrameKind> kinds = new ArrayList<>();
                    List<String> suffixes = new ArrayList<>();
                    for (List<Object> f : frames) {
                        names.add((String) f.get(0));
                        int k = (Integer) f.get(1);
                        suffixes.add(new String[] {"", "_[k]", "_[j]", "_[i]", "_[0]", "_[1]", "_[w]"}[k]);
                        kinds.add(new FrameKind[] {FrameKind.USER,
                                FrameKind.KERNEL, FrameKind.JIT,
                                FrameKind.INLINED, FrameKind.INTERPRETED,
                                FrameKind.JIT, FrameKind.USER}[k]);
                    }
                    return new FoldedLine(names, kinds, suffixes, count);
                });
        return line.list().ofMaxSize(15);
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

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Byte> interesting = Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) '\n', (byte) ' ', (byte) '\t', (byte) ':', (byte) '(', (byte) ')', (byte) '#',
                        (byte) '[', (byte) '.', (byte) '0', (byte) '9', (byte) ';', (byte) '\r', (byte) 0));
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers(), interesting)
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(8);
    }
}
