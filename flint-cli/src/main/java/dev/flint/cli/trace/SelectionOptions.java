package dev.flint.cli.trace;

import dev.flint.trace.model.Trace;
import dev.flint.trace.query.SampleFilter;
import picocli.CommandLine.Option;

/** Which samples a {@code flint trace} command looks at: a time range, processes, threads, the event, idle. */
final class SelectionOptions {

    @Option(names = "--start", paramLabel = "SECONDS",
            description = "Start of the range, in seconds from the trace's first whole second (FlameScope's start).")
    Double start;

    @Option(names = "--end", paramLabel = "SECONDS", description = "End of the range (exclusive), in the same seconds.")
    Double end;

    @Option(names = "--pid", paramLabel = "PID", split = ",", description = "Only these processes.")
    int[] pids;

    @Option(names = "--tid", paramLabel = "TID", split = ",", description = "Only these threads.")
    int[] tids;

    @Option(names = "--event", paramLabel = "NAME",
            description = "The event to count (default: the first in the file, as stackcollapse-perf.pl; `all` for every event).")
    String event;

    @Option(names = "--idle", description = "Count idle CPUs (swapper in an idle function) too; left out by default.")
    boolean idle;

    @Option(names = "--invocations", paramLabel = "FILE",
            description = "Only samples inside these invocations: a file of `id start-ns end-ns [pid]` lines, on the "
                    + "trace's clock (perf -k mono = System.nanoTime()).")
    java.nio.file.Path invocations;

    /** The invocations of --invocations; empty without it. */
    java.util.List<dev.flint.trace.query.Invocation> invocations() {
        return invocations == null ? java.util.List.of() : InvocationsFile.read(invocations);
    }

    /** {@code filter} with a range in FlameScope's seconds; either end may be missing (the trace's own). */
    static SampleFilter withRange(SampleFilter filter, Trace trace, Double start, Double end) {
        if (start == null && end == null) {
            return filter;
        }
        if (!trace.timed()) {
            throw new dev.flint.cli.UserError(trace.source() + " has no timestamps, so it has no time range");
        }
        double from = start == null ? 0 : start;
        // The trace's span on the scale of --start: seconds from its first whole second.
        double span = (trace.endNanos() - Math.floorDiv(trace.startNanos(), 1_000_000_000L) * 1_000_000_000L) / 1e9;
        if (from > span) {
            // As the query API's 416: a range past the end is a mistake, not an empty flame graph.
            throw new dev.flint.cli.UserError(String.format(java.util.Locale.ROOT,
                    "--start %s is past the end of %s, which spans 0 to %.3f s", from, trace.source(), span));
        }
        // Without an end: one second past the last sample.
        double to = end != null ? end : Math.ceil(span) + 1;
        return filter.withSeconds(trace, from, to);
    }

    SampleFilter filter(Trace trace) throws java.io.IOException {
        SampleFilter filter = SampleFilter.all();
        if (invocations != null) {
            filter = filter.withInvocations(invocations());
        }
        filter = withRange(filter, trace, start, end);
        if (pids != null) {
            filter = filter.withPids(pids);
        }
        if (tids != null) {
            filter = filter.withTids(tids);
        }
        if (event != null) {
            filter = event.equals("all") ? filter.withAllEvents() : filter.withEvent(event);
        }
        return filter.withIdle(idle);
    }
}
