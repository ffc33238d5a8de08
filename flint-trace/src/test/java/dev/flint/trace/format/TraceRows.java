package dev.flint.trace.format;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Readable views of a parsed trace, for assertions, and parse helpers for inline test inputs. */
final class TraceRows {

    private TraceRows() {}

    /** Parses perf script text with a tiny buffer, so that every input crosses buffer boundaries. */
    static Trace perf(String text) throws IOException, TraceFormatException {
        return perf(text, 64);
    }

    static Trace perf(String text, int bufferSize) throws IOException, TraceFormatException {
        return new PerfScriptParser("test.perf", bufferSize)
                .read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static Trace folded(String text) throws IOException, TraceFormatException {
        return new FoldedParser("test.folded", 64).read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The frame names of a row's stack, root first (for perf: the comm first). */
    static List<String> names(Trace trace, int row) {
        List<String> names = new ArrayList<>();
        for (int frame : trace.stacks().framesRootFirst(trace.samples().stack(row))) {
            names.add(trace.frames().name(frame));
        }
        return names;
    }

    static List<FrameKind> kinds(Trace trace, int row) {
        List<FrameKind> kinds = new ArrayList<>();
        for (int frame : trace.stacks().framesRootFirst(trace.samples().stack(row))) {
            kinds.add(trace.frames().kind(frame));
        }
        return kinds;
    }

    static List<String> modules(Trace trace, int row) {
        List<String> modules = new ArrayList<>();
        for (int frame : trace.stacks().framesRootFirst(trace.samples().stack(row))) {
            modules.add(trace.frames().module(frame));
        }
        return modules;
    }

    /** The leaf frame's name, kind and module, as {@code name|kind|module}. */
    static String leaf(Trace trace, int row) {
        int frame = trace.stacks().frame(trace.samples().stack(row));
        return trace.frames().name(frame) + "|" + trace.frames().kind(frame).wireName() + "|"
                + trace.frames().module(frame);
    }

    static String eventName(Trace trace, int row) {
        return trace.events().get(trace.samples().event(row));
    }

    /** Distinct stacks that samples end in. */
    static int distinctSampleStacks(Trace trace) {
        Set<Integer> stacks = new HashSet<>();
        for (int row = 0; row < trace.samples().size(); row++) {
            stacks.add(trace.samples().stack(row));
        }
        return stacks.size();
    }

    static long totalWeight(Trace trace) {
        long total = 0;
        for (int row = 0; row < trace.samples().size(); row++) {
            total += trace.samples().weight(row);
        }
        return total;
    }

    /** Every row as one line: time pid tid cpu event count weight idle | names. */
    static List<String> dump(Trace trace) {
        List<String> lines = new ArrayList<>();
        SampleStore s = trace.samples();
        for (int row = 0; row < s.size(); row++) {
            lines.add(s.time(row) + " " + s.pid(row) + " " + s.tid(row) + " " + s.cpu(row) + " " + eventName(trace, row)
                    + " " + s.count(row) + " " + s.weight(row) + " " + s.idle(row) + " | " + names(trace, row) + " "
                    + modules(trace, row) + " " + kinds(trace, row));
        }
        return lines;
    }
}
