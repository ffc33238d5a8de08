package dev.flint.trace.export;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folded-stack frame names exactly as Brendan Gregg's {@code stackcollapse-perf.pl} writes them
 * (FlameGraph, at commit 778d6d4; see {@code src/test/resources/collapse/README.md}), computed from
 * a parsed trace instead of the {@code perf script} text.
 *
 * <p>The script reads each frame line as {@code pc rawfunc (mod)} with the pattern
 * {@code ^\s*(\w+)\s*(.+) \((.*)\)}, so the symbol and the module it sees are not always the ones a
 * careful parser finds (the last {@code " ("} followed by a {@code ")"} ends its symbol). Flint
 * rebuilds the line from the frame's name and module, in perf's layout, and applies the script's
 * rules to that, in the script's order:
 * <ol>
 *   <li>a line that does not match the pattern (a frame without a module: {@code perf script -F}
 *       without {@code dso}) is dropped, as the script drops an "Unrecognized line";</li>
 *   <li>a symbol starting with {@code (} is skipped, with all of its {@code a->b} chain;</li>
 *   <li>the symbol is split at {@code ->} (Perl's split, so trailing empty parts vanish); for each
 *       part: {@code [unknown]} becomes {@code [basename of the module]} when the module is not
 *       {@code [unknown]}; {@code ;} becomes {@code :}; unless the name looks like a Go method
 *       ({@code .(...).}, as {@code net/http.(*Client).Do}) everything from the first {@code (} that
 *       does not open {@code (anonymous namespace)} is cut; quotes {@code "} and {@code '} are
 *       removed; and when the process name starts with {@code java} and the name contains a
 *       {@code /}, a leading {@code L} is dropped;</li>
 *   <li>annotations: the second and later parts get {@code _[i]} (unless they already contain it);
 *       the first part gets {@code _[k]} with {@code --kernel} when the module starts with
 *       {@code [} or ends with {@code vmlinux} and does not contain {@code unknown}, else
 *       {@code _[j]} with {@code --jit} when the module contains {@code /tmp/perf-N.map}.</li>
 * </ol>
 * The process frame comes from the script's event-line pattern {@code ^(\S.+?)\s+(\d+)/*(\d+)*\s+}
 * applied to the line perf prints ({@code comm tid} or {@code comm pid/tid}, in perf's widths),
 * then {@code -PID} and {@code /TID} for {@code --pid}/{@code --tid}, {@code ?} when the input had no
 * pid, and spaces become {@code _}. So {@code FS Broker 5858  5791/5860} is {@code FS_Broker} as
 * the script has it, and a one-letter command {@code f  9566} becomes {@code f_}.
 *
 * <p><b>Where the result can differ from the script</b>, because the trace does not keep what the
 * script looks at (each case is also in {@code src/test/resources/collapse/README.md}):
 * <ul>
 *   <li>a module containing {@code " ("}, such as {@code /memfd:x (deleted)}: the script's symbol
 *       then runs into the module and keeps the symbol's {@code +0x} offset, which the trace no
 *       longer has ({@code foo+0x1a } against Flint's {@code foo }); identical when perf printed no
 *       offsets;</li>
 *   <li>a process name that the script's pattern cannot end within {@code comm pid/tid} (a
 *       one-letter command with a 5-digit thread id, a thread id of -1): the script then takes the
 *       rest of the line into the name; Flint rebuilds that rest in perf's default widths
 *       ({@code [cpu]}, time in microseconds, period, event), which is exact only for perf's
 *       default layout;</li>
 *   <li>frame lines without indentation whose symbol has a number between spaces, which the
 *       script takes for event lines (the trace does not keep indentation).</li>
 * </ul>
 * {@link FoldedWriter} lists the differences in which samples are counted.
 *
 * <p>{@link Options#rawNames()} is Flint's own variant: names as stored (only {@code ;} becomes
 * {@code :} and line breaks spaces, which the folded format cannot carry), nothing skipped or
 * cut, annotations from the {@link FrameKind}s, and the process name as the parser read it.
 *
 * <p>An instance is bound to one trace's frame table and caches each frame's folded name by frame
 * id (twice: for Java and other processes). Not thread-safe.
 */
public final class CollapseNames {

    /**
     * The script's naming options.
     *
     * @param pid      {@code --pid}: the process frame is {@code comm-PID}
     * @param tid      {@code --tid}: {@code comm-PID/TID} (wins over {@code pid})
     * @param kernel   {@code --kernel}: {@code _[k]} on kernel frames
     * @param jit      {@code --jit}: {@code _[j]} on frames of a {@code /tmp/perf-N.map}
     * @param rawNames Flint's variant: names as stored instead of the script's tidying
     */
    public record Options(boolean pid, boolean tid, boolean kernel, boolean jit, boolean rawNames) {

        /** The script's defaults. */
        public static final Options DEFAULT = new Options(false, false, false, false, false);

        public Options withPid() {
            return new Options(true, tid, kernel, jit, rawNames);
        }

        public Options withTid() {
            return new Options(pid, true, kernel, jit, rawNames);
        }

        public Options withKernel() {
            return new Options(pid, tid, true, jit, rawNames);
        }

        public Options withJit() {
            return new Options(pid, tid, kernel, true, rawNames);
        }

        /** {@code --all}: {@code --kernel --jit}. */
        public Options withAll() {
            return new Options(pid, tid, true, true, rawNames);
        }

        public Options withRawNames() {
            return new Options(pid, tid, kernel, jit, true);
        }
    }

    /** The script's frame-line pattern; DOTALL because Perl's {@code .} only stops at {@code \n}. */
    private static final Pattern FRAME_LINE = Pattern.compile("^\\s*(\\w+)\\s*(.+) \\((.*)\\)", Pattern.DOTALL);
    /** The script's event-line pattern: a lazy command name of at least two characters, then the ids. */
    private static final Pattern EVENT_LINE = Pattern.compile("^(\\S.+?)\\s+(\\d+)/*(\\d+)*\\s+", Pattern.DOTALL);
    private static final Pattern PERF_MAP = Pattern.compile("/tmp/perf-\\d+\\.map");
    private static final String ANONYMOUS_NAMESPACE = "anonymous namespace)";
    private static final String[] NONE = new String[0];

    private final FrameTable frames;
    private final Options options;
    private final String[][] javaNames;
    private final String[][] otherNames;

    public CollapseNames(FrameTable frames, Options options) {
        this.frames = frames;
        this.options = options;
        this.javaNames = new String[frames.size()][];
        this.otherNames = new String[frames.size()][];
    }

    public Options options() {
        return options;
    }

    /**
     * The folded name of one frame on its own (a chain of one), as the script writes it for a
     * process named {@code processName}: null when the script drops or skips it. An
     * {@link FrameKind#INLINED} frame is taken as the second part of an {@code a->b} chain.
     */
    public static String frameName(String name, String module, FrameKind kind, String processName, Options options) {
        String[] parts = options.rawNames()
                ? new String[] {rawName(name, module, kind, kind == FrameKind.INLINED, options)}
                : chain(List.of(name), module, kind == FrameKind.INLINED, isJava(processName), options);
        return parts.length == 0 ? null : parts[parts.length - 1];
    }

    /**
     * The folded frames of a stack's frames, root first, without its process frame: each
     * {@code a->b->c} chain (a frame followed by its {@link FrameKind#INLINED} frames) is read as
     * one perf line. Each folded frame is appended after a {@code ;}.
     */
    public void appendFrames(int[] framesRootFirst, int from, boolean javaProcess, StringBuilder out) {
        int i = from;
        while (i < framesRootFirst.length) {
            int head = framesRootFirst[i];
            int end = i + 1;
            while (end < framesRootFirst.length && frames.kind(framesRootFirst[end]) == FrameKind.INLINED) {
                end++;
            }
            String[] parts;
            if (options.rawNames()) {
                parts = new String[end - i];
                for (int j = i; j < end; j++) {
                    int f = framesRootFirst[j];
                    parts[j - i] = rawName(frames.name(f), frames.module(f), frames.kind(f), j > i
                            || frames.kind(f) == FrameKind.INLINED, options);
                }
            } else if (end == i + 1) {
                parts = cached(head, javaProcess);
            } else {
                List<String> names = new ArrayList<>(end - i);
                for (int j = i; j < end; j++) {
                    names.add(frames.name(framesRootFirst[j]));
                }
                parts = chain(names, frames.module(head), frames.kind(head) == FrameKind.INLINED, javaProcess, options);
            }
            for (String p : parts) {
                out.append(';').append(p);
            }
            i = end;
        }
    }

    private String[] cached(int frame, boolean javaProcess) {
        String[][] cache = javaProcess ? javaNames : otherNames;
        String[] parts = cache[frame];
        if (parts == null) {
            parts = chain(List.of(frames.name(frame)), frames.module(frame), frames.kind(frame) == FrameKind.INLINED,
                    javaProcess, options);
            cache[frame] = parts;
        }
        return parts;
    }

    /** Whether the script's Java tidying applies: its process name starts with {@code java}. */
    public static boolean isJava(String processName) {
        return processName != null && processName.startsWith("java");
    }

    /**
     * The script's folded names for one perf frame line holding {@code names} joined by {@code ->}
     * in {@code module}; empty when it drops or skips the line.
     *
     * @param headless the first name is itself an inlined part (a chain whose head is missing)
     */
    static String[] chain(List<String> names, String module, boolean headless, boolean javaProcess,
                          Options options) {
        String joined = String.join("->", names);
        String line = "0 " + joined + (module.isEmpty() ? "" : " (" + module + ")");
        String rawfunc;
        String mod;
        if (!joined.isEmpty() && !Character.isWhitespace(joined.charAt(0))) {
            // FRAME_LINE, by hand: it runs once per distinct frame, and the regex backtracks. With the
            // name starting at index 2, (.+) is up to the last " (" that has a ")" after it, and
            // (.*) up to the last ")".
            int close = line.lastIndexOf(')');
            int open = close < 0 ? -1 : line.lastIndexOf(" (", close - 2);
            if (open <= 2) {
                return NONE; // "Unrecognized line"
            }
            rawfunc = line.substring(2, open);
            mod = line.substring(open + 2, close);
        } else {
            Matcher m = FRAME_LINE.matcher(line);
            if (!m.find()) {
                return NONE; // "Unrecognized line"
            }
            rawfunc = m.group(2);
            mod = m.group(3);
        }
        // The script strips a trailing +0x offset here; the parser already has.
        if (rawfunc.startsWith("(")) {
            return NONE; // "skip process names"
        }
        String[] parts = splitInlined(rawfunc);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = tidy(parts[i], mod, i > 0 || headless, javaProcess, options);
        }
        return parts;
    }

    /** Perl's {@code split /->/}: the parts between arrows, trailing empty parts dropped. */
    private static String[] splitInlined(String rawfunc) {
        if (!rawfunc.contains("->")) {
            return new String[] {rawfunc};
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = rawfunc.indexOf("->"); at >= 0; at = rawfunc.indexOf("->", from)) {
            parts.add(rawfunc.substring(from, at));
            from = at + 2;
        }
        parts.add(rawfunc.substring(from));
        int n = parts.size();
        while (n > 0 && parts.get(n - 1).isEmpty()) {
            n--;
        }
        return parts.subList(0, n).toArray(new String[0]);
    }

    /** The script's Go-method test {@code /\.\(.*\)\./}, by hand: a {@code .(} with a {@code ).} somewhere after it. */
    private static boolean isGoMethod(String func) {
        int open = func.indexOf(".(");
        return open >= 0 && func.lastIndexOf(").") >= open + 2;
    }

    private static String tidy(String func, String mod, boolean inlined, boolean javaProcess, Options options) {
        if (func.equals("[unknown]")) {
            func = mod.equals("[unknown]") ? "[unknown]" : "[" + mod.substring(mod.lastIndexOf('/') + 1) + "]";
        }
        func = func.replace(';', ':');
        if (!isGoMethod(func)) {
            func = cutArguments(func);
        }
        if (func.indexOf('"') >= 0 || func.indexOf('\'') >= 0) {
            func = func.replace("\"", "").replace("'", "");
        }
        if (javaProcess && func.startsWith("L") && func.indexOf('/') >= 0) {
            func = func.substring(1);
        }
        if (inlined) {
            if (!func.contains("_[i]")) {
                func += "_[i]";
            }
        } else if (options.kernel() && (mod.startsWith("[") || mod.endsWith("vmlinux")) && !mod.contains("unknown")) {
            func += "_[k]";
        } else if (options.jit() && PERF_MAP.matcher(mod).find()) {
            if (!func.contains("_[j]")) {
                func += "_[j]";
            }
        }
        return func;
    }

    /** The script's {@code s/\((?!anonymous namespace\)).*&#47;/}: cut at the first {@code (} that does not open an anonymous namespace. */
    private static String cutArguments(String func) {
        int from = 0;
        while (true) {
            int p = func.indexOf('(', from);
            if (p < 0) {
                return func;
            }
            if (!func.startsWith(ANONYMOUS_NAMESPACE, p + 1)) {
                return func.substring(0, p);
            }
            from = p + 1;
        }
    }

    private static String rawName(String name, String module, FrameKind kind, boolean inlined, Options options) {
        String n = clean(name);
        if (inlined) {
            return n.endsWith("_[i]") ? n : n + "_[i]";
        }
        if (options.kernel() && kind == FrameKind.KERNEL) {
            return n + "_[k]";
        }
        if (options.jit() && kind == FrameKind.JIT) {
            return n + "_[j]";
        }
        return n;
    }

    /** {@code ;} cannot be in a folded frame, nor a line break in a folded line. */
    private static String clean(String s) {
        if (s.indexOf(';') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace(';', ':').replace('\n', ' ').replace('\r', ' ');
    }

    // ---------------------------------------------------------------------------------------------
    // The process frame

    /**
     * The process frame the script writes for an event line of this command, pid and thread id
     * (each {@link SampleStore#UNKNOWN} when perf did not print it), or null when the script's
     * pattern does not end within {@code comm pid/tid} and needs the rest of the line (see
     * {@link #processFrame(String, String)}).
     */
    public String processFrame(String comm, int pid, int tid) {
        if (options.rawNames()) {
            return rawProcessFrame(comm, pid, tid);
        }
        return processFrame(eventLineHead(comm, pid, tid), null);
    }

    /**
     * The process frame the script writes for the event line {@code line}; when {@code rest} is
     * null only a match inside {@code line} counts (null otherwise), else {@code line + rest} is
     * the whole line and null means the script does not recognise it (the sample is dropped).
     */
    String processFrame(String line, String rest) {
        Matcher m = EVENT_LINE.matcher(rest == null ? line : line + rest);
        if (!m.find() || (rest == null && m.end() > line.length())) {
            return null;
        }
        String comm = m.group(1);
        String pid = m.group(2);
        String tid = m.group(3);
        if (perlFalse(tid)) {
            tid = pid;
            pid = "?";
        }
        String pname;
        if (options.tid()) {
            pname = comm + "-" + pid + "/" + tid;
        } else if (options.pid()) {
            pname = comm + "-" + pid;
        } else {
            pname = comm;
        }
        return pname.replace(' ', '_');
    }

    private String rawProcessFrame(String comm, int pid, int tid) {
        String p = pid == SampleStore.UNKNOWN ? "?" : Integer.toString(pid);
        String t = tid == SampleStore.UNKNOWN ? "?" : Integer.toString(tid);
        String pname = options.tid() ? comm + "-" + p + "/" + t : options.pid() ? comm + "-" + p : comm;
        return clean(pname).replace(' ', '_');
    }

    /**
     * The start of the event line perf prints with a call chain: {@code "%s "} for the command,
     * then {@code "%5d/%-5d "} for pid/tid or {@code "%5d "} for the tid alone. A thread id of -1
     * (perf's {@code :-1}, no task) is printed with its pid.
     */
    static String eventLineHead(String comm, int pid, int tid) {
        StringBuilder b = new StringBuilder(comm.length() + 16).append(comm).append(' ');
        if ((pid == SampleStore.UNKNOWN) == (tid == SampleStore.UNKNOWN)) {
            b.append(String.format(Locale.ROOT, "%5d/%-5d ", pid, tid));
        } else {
            b.append(String.format(Locale.ROOT, "%5d ", tid != SampleStore.UNKNOWN ? tid : pid));
        }
        return b.toString();
    }

    /**
     * The rest of the event line in perf's default layout after {@link #eventLineHead}:
     * {@code "[%03d] "} for the cpu, {@code "%5d.%06d: "} for the time, {@code "%10d "} for the
     * period, then {@code "event: "}.
     */
    static String eventLineRest(int cpu, long timeNanos, long period, String event) {
        StringBuilder b = new StringBuilder(64);
        if (cpu != SampleStore.UNKNOWN) {
            b.append(String.format(Locale.ROOT, "[%03d] ", cpu));
        }
        if (timeNanos != SampleStore.NO_TIME) {
            b.append(String.format(Locale.ROOT, "%5d.%06d: ", timeNanos / 1_000_000_000L,
                    timeNanos % 1_000_000_000L / 1000));
            b.append(String.format(Locale.ROOT, "%10d ", period));
        }
        if (!event.isEmpty()) {
            b.append(event).append(": ");
        }
        return b.toString();
    }

    /** Perl's false strings: undef, "" and "0". */
    private static boolean perlFalse(String s) {
        return s == null || s.isEmpty() || s.equals("0");
    }
}
