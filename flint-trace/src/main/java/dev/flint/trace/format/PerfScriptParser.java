package dev.flint.trace.format;

import static dev.flint.trace.format.TextBytes.isBlank;
import static dev.flint.trace.format.TextBytes.isHex;
import static dev.flint.trace.format.TextBytes.skipBlanks;
import static dev.flint.trace.format.TextBytes.trimEnd;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code perf script} text (perf 4.x to 6.x, with or without {@code --header}) into a
 * {@link Trace}, as a stream: memory grows with distinct frames and stacks and with the sample
 * rows, never with the file. Lines are parsed as bytes in the read buffer: no regex, no String per
 * line; a frame line costs one hash of its symbol and module bytes (see {@link FrameBytesTable}).
 * Reference: perf's {@code tools/perf/builtin-script.c} ({@code process_event},
 * {@code perf_sample__fprintf_callchain}), and the corpus of profiling.md section 7.
 *
 * <p><b>Structure.</b> A sample is an event line followed by its frame lines, leaf first, and a
 * blank line. Event and frame lines are told apart by state, not by indentation: the first
 * non-blank line after a blank line is an event line. Within a sample, a line that is not a frame
 * line but is an event line starts the next sample (output without callchains has no blank lines).
 * Lines starting with {@code #} are comments ({@link PerfHeader} reads the header's). CRLF line
 * ends, a UTF-8 byte order mark and a missing final blank line are accepted.
 *
 * <p><b>Event lines</b> ({@link PerfEventLine}): {@code comm [pid/]tid [[cpu]] [tod] [time:] [period]
 * [event:] [rest]}. Time is nanoseconds ({@code --ns} digits are kept, longer fractions cut), or
 * {@link SampleStore#NO_TIME} for untimed output; the first event line fixes which, and a file
 * that mixes both is rejected. The period is the row's weight (count 1); without one, the weight is
 * 1. Event names keep perf's modifiers ({@code cpu-clock:pppH}); a line without one gets the
 * header's only event, else {@code [unknown]}. With {@code -G} or without {@code -g} the rest of the
 * event line is the IP frame ({@code 56073fca81cc leaf+0x1c (/tmp/exp/burn)}), and it becomes the
 * stack's single frame; a tracepoint's payload is ignored. {@code PERF_RECORD_*} lines
 * ({@code --show-mmap-events} and the like) are not samples and are skipped.
 *
 * <p><b>Frame lines</b>: {@code addr [sym[+0xoff]] [(module)]}. The module is found by scanning back
 * from the final {@code )} with parentheses balanced, and must follow a blank, so that
 * {@code long Burn.hash(long)+0xe1 (/tmp/perf-11079.map)}, {@code StubRoutines (1)+0xc9 (...)} and
 * {@code /memfd:doublemapper (deleted)} come out whole. Only a trailing {@code +0x<hex>} is cut from
 * the symbol ({@code operator+} survives); the name is otherwise kept as perf wrote it (C++
 * arguments, Java {@code L} prefixes: folded-output tidying is an exporter's job). An empty symbol
 * becomes {@code [unknown]}. The kind comes from the module ({@link PerfFrameKinds}); an
 * {@code a->b->c} chain in JIT code (perf-map-agent's unfoldall) becomes frames a, b, c, root to
 * leaf, b and c {@link FrameKind#INLINED}. Chains are split only in JIT modules, where C++'s
 * {@code operator->} does not occur. The stack of a sample is [comm (kind PROCESS, module ""),
 * root, ..., leaf]; a sample without a command name (perf {@code -F} without comm) gets the
 * process name {@code [unknown]}.
 *
 * <p><b>Leniency.</b> Inside a sample, a line indented with spaces that is neither a frame nor an
 * event line is taken for a {@code -F +srcline} line ({@code "  libc-start.c:74"}) and skipped.
 * Anything else that is not a valid variant is a {@link TraceFormatException} naming the line: a
 * frame line right after a blank line, a line that is neither a frame nor an event line, text
 * after a timestamp that is neither an event name nor an IP, numbers out of range, a line over
 * {@link TextLines#MAX_LINE_BYTES}.
 *
 * <p><b>Idle.</b> A sample is idle when it is the kernel's idle task (comm {@code swapper}, or pid
 * or tid 0) and its <em>leaf</em> frame is one of the idle functions or the halt/mwait primitives
 * they end in ({@code pv_native_safe_halt}, {@code intel_idle}, {@code cpuidle_enter_state},
 * {@code do_idle}, ...: {@link PerfFrameKinds#isIdleFunction}). Only the leaf decides: an interrupt
 * or softirq that runs on an idle CPU has the idle functions below it, but its own handler at the
 * leaf, and is not idle (FlameScope drops such samples along with idle, its issue #143). A swapper
 * sample without frames is not idle.
 *
 * <p>Not thread-safe; one instance reads one input.
 */
public final class PerfScriptParser {

    public static final String FORMAT = "perf-script";
    /** The event name of samples whose line names none, when the header does not either. */
    public static final String UNKNOWN_EVENT = "[unknown]";

    static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private static final String UNKNOWN_NAME = "[unknown]";

    /** Waiting for an event line: at the start and after a blank line. */
    private static final int EXPECT_EVENT = 0;
    /** After an event line without IP: frame lines, or the next event line. */
    private static final int FRAMES = 1;
    /** After an event line that carried its IP: the sample is complete. */
    private static final int INLINE = 2;

    /** Frame-table classes: the same bytes mean a different frame in each. */
    private static final int USER_ADDRESS = 0;
    private static final int KERNEL_ADDRESS = 1;
    private static final int PROCESS = 2;

    private static final byte IDLE_FUNCTION = 1;
    private static final byte IDLE_TASK = 2;

    private final String source;
    private final int bufferSize;
    private final TraceBuilder builder;
    private final PerfHeader header;
    private final PerfEventLine event = new PerfEventLine();
    private final FrameBytesTable frameTable = new FrameBytesTable();
    private final Map<String, String> modules = new HashMap<>();
    /** Inline chains, root part first; a frame-table value {@code v < 0} is chain {@code ~v}. */
    private int[][] chains = new int[16][];
    private int chainCount;
    /** {@link #IDLE_FUNCTION} and {@link #IDLE_TASK} bits, by frame id. */
    private byte[] frameFlags = new byte[1024];
    private byte[][] eventNames = new byte[4][];
    private int[] eventIds = new int[4];
    private int eventCount;
    private int lastEvent = -1;
    private int noNameEvent = -1;

    /** Whether the input's event lines have timestamps: null until the first one. */
    private Boolean timed;

    private boolean inSample;
    private long time;
    private int pid;
    private int tid;
    private int cpu;
    private long period;
    private int eventId;
    private int commFrame;
    private int[] frames = new int[128];
    private int frameCount;

    /** Reads a whole {@code perf script} text. The caller decompresses (gzip) and closes {@code in}. */
    public static Trace parse(InputStream in, String source) throws IOException, TraceFormatException {
        return new PerfScriptParser(source, DEFAULT_BUFFER_BYTES).read(in);
    }

    /** Whether [from, to) is a {@code perf script} event line: how {@link TraceReader} detects the format. */
    static boolean isEventLine(byte[] b, int from, int to) {
        PerfEventLine line = new PerfEventLine();
        return line.parseAny(b, from, to);
    }

    /** @param bufferSize bytes read at a time; small values let tests cross every buffer boundary */
    PerfScriptParser(String source, int bufferSize) {
        this.source = source;
        this.bufferSize = bufferSize;
        this.builder = new TraceBuilder(FORMAT, source);
        this.header = new PerfHeader(builder);
    }

    Trace read(InputStream in) throws IOException, TraceFormatException {
        TextLines lines = new TextLines(in, source, bufferSize);
        int state = EXPECT_EVENT;
        boolean more = lines.next();
        while (more) {
            byte[] b = lines.buf;
            int s = lines.start;
            int e = lines.end;
            int first = skipBlanks(b, s, e);
            if (first == e) {
                endSample();
                state = EXPECT_EVENT;
            } else if (state == FRAMES) {
                // A frame line, unless the sample has none yet and this is the next sample's event
                // line (output without callchains): "dd 123 1.5: ..." would otherwise pass for a frame.
                if (frameCount == 0 && Boolean.TRUE.equals(timed) && event.parseTimed(b, first, e)) {
                    state = begin(lines);
                } else if (frameLine(b, first, e)) {
                    more = frameLines(lines);
                    continue;
                } else {
                    state = notAFrame(lines, state);
                }
            } else if (b[s] == '#') {
                header.comment(lines.text());
            } else {
                state = notAFrame(lines, state);
            }
            more = lines.next();
        }
        endSample();
        return builder.build();
    }

    /**
     * The rest of a sample's frame lines, the hot loop of the parser: returns at the first line that
     * is not a frame line (left current for {@link #read}), or false at the end of the input.
     */
    private boolean frameLines(TextLines lines) throws IOException, TraceFormatException {
        while (lines.next()) {
            byte[] b = lines.buf;
            int e = lines.end;
            int first = skipBlanks(b, lines.start, e);
            if (first == e || !frameLine(b, first, e)) {
                return true;
            }
        }
        return false;
    }

    /** A line that is not a frame line: an event line, a comment, a srcline line, or an error. Returns the next state. */
    private int notAFrame(TextLines lines, int state) throws TraceFormatException {
        byte[] b = lines.buf;
        int s = lines.start;
        int e = lines.end;
        if (b[s] == '#') {
            header.comment(lines.text());
            return state;
        }
        boolean isTimed = event.parseTimed(b, s, e);
        if (isTimed || event.parseUntimed(b, s, e)) {
            if (timed == null) {
                timed = isTimed;
            } else if (timed != isTimed) {
                throw error(lines, isTimed ? "an event line with a timestamp, but the first samples had none"
                        : "an event line without a timestamp, but the first samples had one");
            }
            return begin(lines);
        }
        if (state != EXPECT_EVENT && b[s] == ' ') {
            return state; // perf script -F +srcline: "  libc-start.c:74" after a frame
        }
        if (state == EXPECT_EVENT && frameShaped(b, skipBlanks(b, s, e), e)) {
            throw error(lines, "a frame line where an event line was expected (the first line after a blank"
                    + " line starts a sample: comm [pid/]tid [cpu] time: [period] event:)");
        }
        if (state == EXPECT_EVENT) {
            throw error(lines, "not a perf script event line (expected comm [pid/]tid [cpu] time: [period] event:)");
        }
        throw error(lines, "neither a frame line (address symbol (module)) nor an event line");
    }

    /** Starts the sample of the event line just parsed; returns the next state. */
    private int begin(TextLines lines) {
        return startSample(lines) ? (event.inlineIp ? INLINE : FRAMES) : EXPECT_EVENT;
    }

    /** Starts the sample of the event line just parsed; false for a PERF_RECORD line, which is none. */
    private boolean startSample(TextLines lines) {
        endSample();
        if (event.perfRecord) {
            return false;
        }
        byte[] b = lines.buf;
        inSample = true;
        time = event.time;
        pid = event.pid;
        tid = event.tid;
        cpu = event.cpu;
        period = event.period;
        eventId = eventId(b, event.eventStart, event.eventEnd);
        commFrame = processFrame(b, event.commStart, event.commEnd);
        frameCount = 0;
        if (event.inlineIp) {
            frameLine(b, event.restStart, event.restEnd);
        }
        return true;
    }

    private void endSample() {
        if (!inSample) {
            return;
        }
        inSample = false;
        int stack = builder.stack(StackTable.ROOT, commFrame);
        for (int i = frameCount - 1; i >= 0; i--) {
            stack = builder.stack(stack, frames[i]);
        }
        boolean idleTask = (frameFlags[commFrame] & IDLE_TASK) != 0 || pid == 0 || tid == 0;
        boolean idle = idleTask && frameCount > 0 && (frameFlags[frames[0]] & IDLE_FUNCTION) != 0;
        builder.sample(time, pid, tid, cpu, eventId, 1, period >= 0 ? period : 1, stack, idle);
    }

    /** {@code addr} then a blank or the end: how a frame line starts. */
    private static boolean frameShaped(byte[] b, int s, int e) {
        int a = s;
        while (a < e && isHex(b[a])) {
            a++;
        }
        return a > s && a - s <= 16 && (a == e || isBlank(b[a]));
    }

    /** Parses [from, to) as {@code addr [sym[+0xoff]] [(module)]} and adds its frames; false if it is not one. */
    private boolean frameLine(byte[] b, int from, int to) {
        int s = skipBlanks(b, from, to);
        int e = trimEnd(b, s, to);
        int a = s;
        while (a < e && isHex(b[a])) {
            a++;
        }
        if (a == s || a - s > 16 || (a < e && !isBlank(b[a]))) {
            return false;
        }
        boolean kernelAddress = a - s == 16 && b[s] == 'f' && b[s + 1] == 'f' && b[s + 2] == 'f' && b[s + 3] == 'f';
        int symStart = skipBlanks(b, a, e);
        int symEnd = e;
        int moduleStart = e;
        int moduleEnd = e;
        if (symStart < e && b[e - 1] == ')') {
            int open = matchingOpen(b, symStart, e - 1);
            if (open >= 0 && (open == symStart || isBlank(b[open - 1]))) {
                moduleStart = open + 1;
                moduleEnd = e - 1;
                symEnd = trimEnd(b, symStart, open);
            }
        }
        symEnd = withoutOffset(b, symStart, symEnd);
        int cls = kernelAddress ? KERNEL_ADDRESS : USER_ADDRESS;
        long hash = FrameBytesTable.hash(b, symStart, symEnd, moduleStart, moduleEnd, cls);
        int value = frameTable.get(b, symStart, symEnd, moduleStart, moduleEnd, cls, hash);
        if (value == FrameBytesTable.MISSING) {
            value = newFrame(b, symStart, symEnd, moduleStart, moduleEnd, kernelAddress);
            frameTable.put(b, symStart, symEnd, moduleStart, moduleEnd, cls, hash, value);
        }
        if (value >= 0) {
            push(value);
        } else {
            int[] chain = chains[~value];
            for (int k = chain.length - 1; k >= 0; k--) {
                push(chain[k]);
            }
        }
        return true;
    }

    /** The index of the {@code (} that matches the {@code )} at {@code close}, not before {@code from}; -1 if none. */
    private static int matchingOpen(byte[] b, int from, int close) {
        int depth = 0;
        for (int i = close; i >= from; i--) {
            byte c = b[i];
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The end of the symbol [from, to) without a trailing {@code +0x<hex>} offset. */
    private static int withoutOffset(byte[] b, int from, int to) {
        int i = to;
        while (i > from && isHex(b[i - 1])) {
            i--;
        }
        if (i < to && i - 3 > from && b[i - 1] == 'x' && b[i - 2] == '0' && b[i - 3] == '+') {
            return i - 3;
        }
        return to;
    }

    private void push(int frame) {
        if (frameCount == frames.length) {
            frames = Arrays.copyOf(frames, frameCount * 2);
        }
        frames[frameCount++] = frame;
    }

    /** A frame seen for the first time: its frame id, or {@code ~chain} for an inline chain. */
    private int newFrame(byte[] b, int symStart, int symEnd, int moduleStart, int moduleEnd, boolean kernelAddress) {
        String module = modules.computeIfAbsent(TextBytes.utf8(b, moduleStart, moduleEnd), m -> m);
        String name = symStart == symEnd ? UNKNOWN_NAME : TextBytes.utf8(b, symStart, symEnd);
        FrameKind kind = PerfFrameKinds.kind(module, kernelAddress);
        if (kind == FrameKind.JIT && name.contains("->")) {
            String[] parts = name.split("->", -1);
            if (Arrays.stream(parts).noneMatch(String::isEmpty)) {
                int[] chain = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    chain[i] = frame(parts[i], module, i == 0 ? kind : FrameKind.INLINED);
                }
                if (chainCount == chains.length) {
                    chains = Arrays.copyOf(chains, chainCount * 2);
                }
                chains[chainCount] = chain;
                return ~chainCount++;
            }
        }
        return frame(name, module, kind);
    }

    private int frame(String name, String module, FrameKind kind) {
        int id = builder.frame(name, module, kind);
        if (id >= frameFlags.length) {
            frameFlags = Arrays.copyOf(frameFlags, Math.max(id + 1, frameFlags.length * 2));
        }
        if (kind == FrameKind.PROCESS) {
            frameFlags[id] |= PerfFrameKinds.isIdleTask(name) ? IDLE_TASK : 0;
        } else {
            frameFlags[id] |= PerfFrameKinds.isIdleFunction(name) ? IDLE_FUNCTION : 0;
        }
        return id;
    }

    private int processFrame(byte[] b, int from, int to) {
        long hash = FrameBytesTable.hash(b, from, to, to, to, PROCESS);
        int value = frameTable.get(b, from, to, to, to, PROCESS, hash);
        if (value == FrameBytesTable.MISSING) {
            value = frame(from == to ? UNKNOWN_NAME : TextBytes.utf8(b, from, to), "", FrameKind.PROCESS);
            frameTable.put(b, from, to, to, to, PROCESS, hash, value);
        }
        return value;
    }

    /** The id of the event named [from, to), or of the unnamed event when from is -1. */
    private int eventId(byte[] b, int from, int to) {
        if (from < 0) {
            if (noNameEvent < 0) {
                List<String> names = header.eventNames();
                noNameEvent = builder.event(names.size() == 1 && !names.get(0).isEmpty() ? names.get(0) : UNKNOWN_EVENT);
            }
            return noNameEvent;
        }
        if (lastEvent >= 0 && Arrays.equals(eventNames[lastEvent], 0, eventNames[lastEvent].length, b, from, to)) {
            return eventIds[lastEvent];
        }
        for (int i = 0; i < eventCount; i++) {
            if (Arrays.equals(eventNames[i], 0, eventNames[i].length, b, from, to)) {
                lastEvent = i;
                return eventIds[i];
            }
        }
        if (eventCount == eventNames.length) {
            eventNames = Arrays.copyOf(eventNames, eventCount * 2);
            eventIds = Arrays.copyOf(eventIds, eventCount * 2);
        }
        eventNames[eventCount] = Arrays.copyOfRange(b, from, to);
        eventIds[eventCount] = builder.event(TextBytes.utf8(b, from, to));
        lastEvent = eventCount;
        return eventIds[eventCount++];
    }

    private TraceFormatException error(TextLines lines, String problem) {
        return new TraceFormatException(source, lines.number, lines.text(), problem);
    }
}
