package dev.flint.trace.export;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Folded stacks ({@code comm;root;...;leaf count}, one line per distinct stack, sorted) from a
 * trace, identical to what Brendan Gregg's {@code stackcollapse-perf.pl} (FlameGraph, commit
 * 778d6d4) writes for the same {@code perf script} input, in its default mode and with
 * {@code --pid}, {@code --tid}, {@code --kernel}, {@code --jit}, {@code --all} and
 * {@code --event-filter}. {@link CollapseNames} makes the names; this class decides which samples
 * count and how much:
 * <ul>
 *   <li><b>Count</b>: the sum of the samples' periods (perf's {@code period} field; FlameGraph
 *       PR #250), 1 for a sample whose period is missing or 0, and 1 for a sample whose event the
 *       script cannot see (below). {@link Options#counts()} is Flint's {@code --counts} (proposed
 *       in FlameGraph PR #297): the number of samples instead, so that the unit is "samples".</li>
 *   <li><b>Events</b>: the script sees a sample's event only on a line with a timestamp and an
 *       event name ({@code TIME: [PERIOD] EVENT:}). By default it keeps only the first event seen
 *       (the trace's event with the lowest id that such a sample has: parsers number events in
 *       input order) and, once, reports {@code Filtering for events of type: E} through the
 *       warnings consumer, where E is the first <em>other</em> event met: the script's own
 *       wording (it names the event being left out). A sample whose event it cannot see is never
 *       filtered.</li>
 *   <li><b>Stacks</b>: two stacks of the trace that fold to the same text (frames the script
 *       skips, names that its tidying makes equal) add up into one line.</li>
 *   <li><b>Order</b>: the script's {@code sort { $a cmp $b } keys}: the stack text alone (not the
 *       line), compared by code point, which is the byte order of its UTF-8.</li>
 * </ul>
 *
 * <p><b>Where the output differs from the script's</b>, because the input was one the script
 * misreads and the trace keeps only what it meant (each case is tested against the script's own
 * output, see {@code src/test/resources/collapse/README.md}):
 * <ul>
 *   <li>samples without a call chain ({@code perf record} without {@code -g}, or
 *       {@code perf script -G}: the command is printed right-aligned and the IP on the event line)
 *       and right-aligned tracepoint lines (FlameGraph #164): the script drops them, Flint counts
 *       them (a trace cannot tell a one-frame chain from an IP on the event line);</li>
 *   <li>an event line without the colon after the event ({@code 33 cycles:uppp}, old perf) or with
 *       a tracepoint payload after it: the script sees no event there, so it counts the sample as
 *       1 and never filters it, where Flint counts its period and filters it by event;</li>
 *   <li>Windows line ends: the script never sees the blank line between samples ({@code "\r"}),
 *       so it merges them; and a last sample without a blank line after it, which the script
 *       never writes;</li>
 *   <li>a {@code PERF_RECORD_*} line ({@code --show-mmap-events}) followed by a blank line or by a
 *       sample of a filtered event: the script takes it for a sample of its own;</li>
 *   <li>bytes that are not UTF-8: the parser decodes names as UTF-8 (with replacement
 *       characters), the script keeps the bytes;</li>
 *   <li>the naming cases listed in {@link CollapseNames}.</li>
 * </ul>
 * {@link CollapseNames.Options#rawNames()} and {@link Options#counts()} are Flint's own variants
 * and differ from the script on purpose.
 */
public final class FoldedWriter {

    /** The script's warning when its default event filter drops samples. */
    public static final String FILTER_WARNING = "Filtering for events of type: ";

    /**
     * @param names       how frames are named ({@code --pid}, {@code --tid}, {@code --kernel}, ...)
     * @param counts      Flint's {@code --counts}: sample counts instead of period sums
     * @param eventFilter {@code --event-filter}: the only event to keep; null for the script's
     *                    default, the first event seen
     */
    public record Options(CollapseNames.Options names, boolean counts, String eventFilter) {

        /** {@code stackcollapse-perf.pl} with no options. */
        public static final Options DEFAULT = new Options(CollapseNames.Options.DEFAULT, false, null);

        public Options withNames(CollapseNames.Options n) {
            return new Options(n, counts, eventFilter);
        }

        public Options withCounts() {
            return new Options(names, true, eventFilter);
        }

        public Options withEventFilter(String event) {
            return new Options(names, counts, event);
        }
    }

    private FoldedWriter() {}

    /** Writes the folded lines; {@code warnings} receives what the script prints on stderr. */
    public static void write(Trace trace, Options options, Writer out, Consumer<String> warnings) throws IOException {
        for (Map.Entry<String, Long> e : fold(trace, options, warnings).entrySet()) {
            out.write(e.getKey());
            out.write(' ');
            out.write(Long.toString(e.getValue()));
            out.write('\n');
        }
    }

    /** The folded text, warnings dropped. */
    public static String toString(Trace trace, Options options) {
        StringWriter w = new StringWriter();
        try {
            write(trace, options, w, message -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Each folded stack and its count, in the script's output order. */
    public static LinkedHashMap<String, Long> fold(Trace trace, Options options, Consumer<String> warnings) {
        SampleStore samples = trace.samples();
        StackTable stacks = trace.stacks();
        FrameTable frames = trace.frames();
        List<String> events = trace.events();
        // stackcollapse-perf.pl's naming rules read perf frame lines (with their "(dso)"); a folded
        // or JFR trace has none, so its names are written as they are.
        CollapseNames.Options naming = trace.format().equals("perf-script") ? options.names() : options.names().withRawNames();
        CollapseNames names = new CollapseNames(frames, naming);

        int filter = eventFilter(trace, options, warnings);
        int[] roots = rootFrames(stacks);

        Map<ProcessKey, Integer> processIds = new HashMap<>();
        Map<String, Integer> processIndex = new HashMap<>();
        List<String> processes = new ArrayList<>();
        Map<Long, long[]> sums = new HashMap<>();
        for (int row = 0; row < samples.size(); row++) {
            int event = samples.event(row);
            boolean visible = eventVisible(samples, events, row);
            if (visible && filter != ANY && event != filter) {
                continue;
            }
            long count = samples.count(row);
            if (!options.counts() && visible && samples.weight(row) > 0) {
                count = samples.weight(row);
            }
            int stack = samples.stack(row);
            int root = roots[stack];
            int process = NO_PROCESS;
            if (frames.kind(root) == FrameKind.PROCESS) {
                ProcessKey key = new ProcessKey(root, samples.pid(row), samples.tid(row));
                Integer cached = processIds.get(key);
                if (cached != null && cached.intValue() != UNCACHED) {
                    process = cached;
                } else {
                    String comm = frames.name(root);
                    String name = cached == null ? names.processFrame(comm, key.pid(), key.tid()) : null;
                    boolean wholeLine = name == null;
                    if (wholeLine) {
                        // The script's pattern runs past "comm pid/tid": it depends on the whole line.
                        processIds.put(key, UNCACHED);
                        name = names.processFrame(CollapseNames.eventLineHead(comm, key.pid(), key.tid()),
                                CollapseNames.eventLineRest(samples.cpu(row), samples.time(row), samples.weight(row),
                                        events.get(event)));
                        if (name == null) {
                            continue; // an "Unrecognized line": the script skips the sample's frames
                        }
                    }
                    process = processIndex.computeIfAbsent(name, n -> {
                        processes.add(n);
                        return processes.size() - 1;
                    });
                    if (!wholeLine) {
                        processIds.put(key, process);
                    }
                }
            }
            sums.computeIfAbsent(((long) stack << 32) | (process & 0xFFFFFFFFL), k -> new long[1])[0] += count;
        }

        Map<Long, String> frameParts = new HashMap<>();
        Map<String, long[]> folded = new HashMap<>();
        for (Map.Entry<Long, long[]> e : sums.entrySet()) {
            int stack = (int) (e.getKey() >>> 32);
            int process = (int) (long) e.getKey();
            String processName = process == NO_PROCESS ? null : processes.get(process);
            boolean java = !naming.rawNames() && CollapseNames.isJava(processName);
            String part = frameParts.computeIfAbsent(((long) stack << 1) | (java ? 1 : 0), k -> {
                int[] path = stacks.framesRootFirst(stack);
                StringBuilder b = new StringBuilder();
                names.appendFrames(path, frames.kind(path[0]) == FrameKind.PROCESS ? 1 : 0, java, b);
                return b.toString();
            });
            String line;
            if (processName == null) {
                line = part.isEmpty() ? "" : part.substring(1);
            } else {
                line = processName + part;
            }
            folded.computeIfAbsent(line, k -> new long[1])[0] += e.getValue()[0];
        }

        List<String> keys = new ArrayList<>(folded.keySet());
        // UTF-16 order is code point (so UTF-8 byte) order unless a surrogate is involved; then,
        // and only then, the slower comparison is needed.
        // A line is made of frame and process names: scanning those is cheaper than scanning every line.
        boolean surrogates = processes.stream().anyMatch(FoldedWriter::hasSurrogate);
        for (int f = 0; f < frames.size() && !surrogates; f++) {
            surrogates = hasSurrogate(frames.name(f)) || hasSurrogate(frames.module(f));
        }
        keys.sort(surrogates ? FoldedWriter::compareCodePoints : String::compareTo);
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, folded.get(k)[0]);
        }
        return out;
    }

    private static final int ANY = -1;
    private static final int NONE = -2;
    private static final int NO_PROCESS = -1;
    /** A process whose name the script reads from its whole event line, so from each sample. */
    private static final int UNCACHED = Integer.MIN_VALUE;

    private record ProcessKey(int root, int pid, int tid) {}

    /**
     * Whether the script sees this sample's event: only on an event line with a timestamp, where
     * its pattern {@code :\s*(\d+)*\s+(\S+):\s*$} finds {@code TIME: [PERIOD] EVENT:}.
     */
    private static boolean eventVisible(SampleStore samples, List<String> events, int row) {
        return samples.time(row) != SampleStore.NO_TIME && !events.get(samples.event(row)).isEmpty();
    }

    /** The id of the one event kept, {@link #ANY} when no sample shows an event, {@link #NONE} for an unknown name. */
    private static int eventFilter(Trace trace, Options options, Consumer<String> warnings) {
        List<String> events = trace.events();
        SampleStore samples = trace.samples();
        if (options.eventFilter() != null) {
            int id = events.indexOf(options.eventFilter());
            return id >= 0 ? id : NONE;
        }
        boolean[] seen = new boolean[events.size()];
        for (int row = 0; row < samples.size(); row++) {
            if (eventVisible(samples, events, row)) {
                seen[samples.event(row)] = true;
            }
        }
        int first = ANY;
        for (int e = 0; e < seen.length; e++) {
            if (seen[e]) {
                if (first == ANY) {
                    first = e;
                } else {
                    warnings.accept(FILTER_WARNING + events.get(e));
                    break;
                }
            }
        }
        return first;
    }

    /** The root frame of every stack: one pass, since a parent's id is below its children's. */
    private static int[] rootFrames(StackTable stacks) {
        int[] roots = new int[stacks.size()];
        for (int s = 0; s < roots.length; s++) {
            int parent = stacks.parent(s);
            roots[s] = parent == StackTable.ROOT ? stacks.frame(s) : roots[parent];
        }
        return roots;
    }

    /** Perl's {@code cmp} on the UTF-8 bytes: code point order. */
    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
