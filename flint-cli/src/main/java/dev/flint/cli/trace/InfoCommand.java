package dev.flint.cli.trace;

import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flint trace info FILE...}: what is in a trace, so that a user knows what to ask of it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Format, samples, events, time span, processes and threads, stacks and frames of each trace.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "JSON instead of text.")
    boolean json;

    @Option(names = "--top", paramLabel = "N", description = "Threads listed (default: 10).")
    int top = 10;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        for (Path file : files) {
            Trace trace = TraceFiles.read(spec, file);
            if (json) {
                TraceJson.info(trace, out);
                out.println();
                continue;
            }
            print(trace, out);
        }
        out.flush();
        return 0;
    }

    private void print(Trace trace, PrintStream out) {
        SampleStore s = trace.samples();
        out.printf("%s: %s%n", trace.source(), trace.format());
        out.printf("  samples  %,d (%,d rows)%n", s.totalCount(), s.size());
        long[] perEvent = new long[trace.events().size()];
        long idle = 0;
        Map<Long, long[]> threads = new HashMap<>();
        for (int row = 0; row < s.size(); row++) {
            perEvent[s.event(row)] += s.count(row);
            if (s.idle(row)) {
                idle += s.count(row);
            }
            long key = ((long) s.pid(row) << 32) | (s.tid(row) & 0xFFFFFFFFL);
            long[] entry = threads.computeIfAbsent(key, k -> new long[] {0, 0});
            entry[0] += s.count(row);
            entry[1] = s.stack(row);
        }
        for (int e = 0; e < perEvent.length; e++) {
            out.printf("  event    %s: %,d samples%s%n", trace.events().get(e), perEvent[e],
                    e == 0 && perEvent.length > 1 ? " (counted by default)" : "");
        }
        out.printf("  idle     %,d samples (%.1f %%; left out unless --idle)%n", idle,
                s.totalCount() == 0 ? 0.0 : 100.0 * idle / s.totalCount());
        if (trace.timed()) {
            double span = (trace.endNanos() - trace.startNanos()) / 1e9;
            out.printf("  time     %.6f s to %.6f s (%.3f s)%n", trace.startNanos() / 1e9, trace.endNanos() / 1e9, span);
        } else {
            out.println("  time     none (the input has no timestamps: no heat map)");
        }
        out.printf("  stacks   %,d distinct, %,d frames%n", trace.stacks().size(), trace.frames().size());
        List<Map.Entry<Long, long[]>> sorted = new ArrayList<>(threads.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        out.printf("  threads  %,d; the busiest:%n", sorted.size());
        for (Map.Entry<Long, long[]> entry : sorted.subList(0, Math.min(top, sorted.size()))) {
            int pid = (int) (entry.getKey() >> 32);
            int tid = (int) (long) entry.getKey();
            out.printf("    %8s/%-8s %-20s %,10d%n", id(pid), id(tid), rootName(trace, (int) entry.getValue()[1]),
                    entry.getValue()[0]);
        }
        trace.metadata().forEach((k, v) -> out.printf("  %-8s %s%n", k, v));
    }

    private static String id(int value) {
        return value == SampleStore.UNKNOWN ? "?" : Integer.toString(value);
    }

    /** The process (comm) frame at the root of a stack, or "" when the format has none. */
    private static String rootName(Trace trace, int stack) {
        StackTable stacks = trace.stacks();
        int s = stack;
        while (stacks.parent(s) != StackTable.ROOT) {
            s = stacks.parent(s);
        }
        int frame = stacks.frame(s);
        return trace.frames().kind(frame) == FrameKind.PROCESS ? trace.frames().name(frame) : "";
    }
}
