package dev.flint.trace.export;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small {@code perf script} reader for the export tests, so that they can run before (and
 * beside) the real parser, {@code format/PerfScriptParser}: it follows the same contract and the
 * regular expressions of profiling.md section 7. Event lines are told from frame lines by state
 * (the first line after a blank line), the module by balancing parentheses back from the final
 * {@code )}, only a trailing {@code +0x} offset is removed, {@code a->b->c} become frames with the
 * second and later {@link FrameKind#INLINED}, and each stack is {@code [comm, root ... leaf]}.
 * Event names are numbered in input order. Not for production: it keeps no idle flag and no
 * header metadata, and reads the whole file.
 */
final class ReferencePerfReader {

    private static final String HEAD =
            "^(?<comm>\\S.*?)\\s+(?:(?<pid>-?\\d+)/)?(?<tid>-?\\d+)\\s+(?:\\[(?<cpu>\\d+)\\]\\s+)?";
    private static final String TAIL =
            "(?:(?<period>\\d+)\\s+)?(?:(?<event>[^\\s\\d]\\S*?):?(?=\\s|$))?(?:\\s+(?<rest>.*?))?\\s*$";
    private static final Pattern TIMED = Pattern.compile(HEAD
            + "(?:(?<tod>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+)\\s+)?(?<time>\\d+\\.\\d+):(?:\\s+|$)" + TAIL);
    private static final Pattern UNTIMED = Pattern.compile(HEAD + TAIL);
    private static final Pattern FRAME_START = Pattern.compile("^([0-9a-fA-F]+)\\s+(.*)$");
    private static final Pattern OFFSET = Pattern.compile("\\+0x[0-9a-f]+$");

    private ReferencePerfReader() {}

    static Trace read(Path file) throws IOException {
        return read(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    static Trace read(String source, String text) {
        TraceBuilder b = new TraceBuilder("perf-script", source);
        String[] lines = text.split("\n", -1);
        Sample current = null;
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.startsWith("#")) {
                continue;
            }
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                if (current != null) {
                    current.add(b);
                    current = null;
                }
                continue;
            }
            if (current == null) {
                current = eventLine(stripped);
                continue;
            }
            current.frameLine(stripped);
        }
        if (current != null) {
            current.add(b);
        }
        return b.build();
    }

    private static Sample eventLine(String line) {
        Matcher m = TIMED.matcher(line);
        boolean timed = m.matches();
        if (!timed) {
            m = UNTIMED.matcher(line);
            if (!m.matches()) {
                return null;
            }
        }
        String event = m.group("event") == null ? "" : m.group("event");
        if (event.startsWith("PERF_RECORD_")) {
            return null;
        }
        Sample s = new Sample();
        s.comm = m.group("comm");
        s.pid = m.group("pid") == null ? SampleStore.UNKNOWN : Integer.parseInt(m.group("pid"));
        s.tid = Integer.parseInt(m.group("tid"));
        s.cpu = m.group("cpu") == null ? SampleStore.UNKNOWN : Integer.parseInt(m.group("cpu"));
        s.time = timed ? nanos(m.group("time")) : SampleStore.NO_TIME;
        s.period = m.group("period") == null ? 1 : Long.parseLong(m.group("period"));
        s.event = event;
        String rest = m.group("rest");
        if (rest != null && FRAME_START.matcher(rest).matches() && rest.endsWith(")")) {
            s.frameLine(rest); // no call chain: the IP is on the event line
        }
        return s;
    }

    private static long nanos(String seconds) {
        int dot = seconds.indexOf('.');
        String frac = (seconds.substring(dot + 1) + "000000000").substring(0, 9);
        return Long.parseLong(seconds.substring(0, dot)) * 1_000_000_000L + Long.parseLong(frac);
    }

    private record Frame(String name, String module, FrameKind kind) {}

    private static final class Sample {
        String comm;
        int pid;
        int tid;
        int cpu;
        long time;
        long period;
        String event;
        /** Lines leaf first; each line's parts in written order. */
        final List<List<Frame>> lines = new ArrayList<>();

        void frameLine(String line) {
            Matcher m = FRAME_START.matcher(line);
            if (!m.matches()) {
                return; // a srcline or other extra line
            }
            String address = m.group(1);
            String body = m.group(2);
            String module = "";
            String symbol = body;
            if (body.endsWith(")")) {
                int depth = 0;
                int open = -1;
                for (int i = body.length() - 1; i >= 0; i--) {
                    char c = body.charAt(i);
                    if (c == ')') {
                        depth++;
                    } else if (c == '(' && --depth == 0) {
                        open = i;
                        break;
                    }
                }
                if (open > 0 && body.charAt(open - 1) == ' ') {
                    module = body.substring(open + 1, body.length() - 1);
                    symbol = body.substring(0, open - 1);
                } else if (open == 0) {
                    return; // a srcline such as "(inlined)"
                }
            } else if (!address.equals(body) && body.matches("\\S+\\[[0-9a-f]+\\]")) {
                return; // srcline "libc.so.6[27b25]"
            }
            symbol = OFFSET.matcher(symbol).replaceFirst("");
            boolean kernelAddress = address.length() == 16 && address.toLowerCase().startsWith("ffff");
            FrameKind kind = kind(module, kernelAddress);
            List<Frame> parts = new ArrayList<>();
            String[] names = symbol.split("->", -1);
            for (int i = 0; i < names.length; i++) {
                parts.add(new Frame(names[i], module, i == 0 ? kind : FrameKind.INLINED));
            }
            lines.add(parts);
        }

        void add(TraceBuilder b) {
            int stack = b.stack(StackTable.ROOT, b.frame(comm, "", FrameKind.PROCESS));
            for (int i = lines.size() - 1; i >= 0; i--) {
                for (Frame f : lines.get(i)) {
                    stack = b.stack(stack, b.frame(f.name(), f.module(), f.kind()));
                }
            }
            b.sample(time, pid, tid, cpu, b.event(event), 1, period, stack, false);
        }
    }

    private static FrameKind kind(String module, boolean kernelAddress) {
        String m = module.endsWith(" (deleted)") ? module.substring(0, module.length() - 10) : module;
        if (m.isEmpty() || m.equals("[unknown]")) {
            return kernelAddress ? FrameKind.KERNEL : FrameKind.USER;
        }
        if (m.startsWith("[kernel.") || m.endsWith("vmlinux") || m.endsWith(".ko")) {
            return FrameKind.KERNEL;
        }
        if (m.startsWith("[")) {
            return m.equals("[vdso]") || m.equals("[vsyscall]") ? FrameKind.USER : FrameKind.KERNEL;
        }
        if (m.matches(".*/perf-\\d+\\.map") || m.startsWith("/memfd:")) {
            return FrameKind.JIT;
        }
        return FrameKind.USER;
    }
}
