package dev.flint.cli.trace;

import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.DiffNode;
import dev.flint.trace.query.Differential;
import dev.flint.trace.query.Measure;
import dev.flint.trace.query.NameNormalizer;
import dev.flint.trace.query.SampleFilter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flint trace diff A [B]}: what changed between two selections, two ranges of one trace or two
 * traces (two machines, two versions). A is the baseline, B the target: a positive delta is more in B.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What changed from A (the baseline) to B: two ranges of one trace (--a-start ... --b-end),",
                "or two traces. Values are normalised by each side's total samples (or per invocation), the delta",
                "is on self time (or total), and names are normalised for cross-machine diffs when there are two",
                "files (offsets, DSO paths, symbol versions, lambda suffixes)."})
final class DiffCommand implements Callable<Integer> {

    enum Names { none, cross_machine }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..2", paramLabel = "FILE", description = "A, then B (default: A again).")
    List<Path> files;

    @Option(names = "--a-start", paramLabel = "SECONDS") Double aStart;
    @Option(names = "--a-end", paramLabel = "SECONDS") Double aEnd;
    @Option(names = "--b-start", paramLabel = "SECONDS") Double bStart;
    @Option(names = "--b-end", paramLabel = "SECONDS") Double bEnd;

    @Option(names = "--event", paramLabel = "NAME", description = "The event on both sides (default: each side's first).")
    String event;

    @Option(names = "--normalize", paramLabel = "HOW", description = "total (default: fractions of each side's samples) or per_invocation.")
    Differential.Normalization normalization = Differential.Normalization.TOTAL;

    @Option(names = "--a-invocations", paramLabel = "N", description = "Invocations in A, for --normalize per_invocation.")
    long aInvocations;

    @Option(names = "--b-invocations", paramLabel = "N", description = "Invocations in B, for --normalize per_invocation.")
    long bInvocations;

    @Option(names = "--delta", paramLabel = "ON", description = "self (default) or total.")
    Differential.Delta delta = Differential.Delta.SELF;

    @Option(names = "--names", paramLabel = "RULES",
            description = "none, or cross_machine (default when A and B are different files).")
    Names names;

    @Option(names = "--weight", description = "Compare weights (perf's period) instead of sample counts.")
    boolean weight;

    @Option(names = "--top", paramLabel = "N", description = "Changes listed in the text output (default: 20).")
    int top = 20;

    @Option(names = "--json", description = "The whole differential tree as JSON.")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Trace a = TraceFiles.read(spec, files.get(0));
        Trace b = files.size() > 1 ? TraceFiles.read(spec, files.get(1)) : a;
        Differential diff;
        try {
            Differential.Side sideA = Differential.Side.of(a, filter(a, aStart, aEnd));
            Differential.Side sideB = Differential.Side.of(b, filter(b, bStart, bEnd));
            if (normalization == Differential.Normalization.PER_INVOCATION) {
                sideA = sideA.withInvocations(aInvocations);
                sideB = sideB.withInvocations(bInvocations);
            }
            boolean crossMachine = names != null ? names == Names.cross_machine : files.size() > 1;
            diff = Differential.compare(sideA, sideB, Differential.Options.DEFAULT
                    .withMeasure(weight ? Measure.WEIGHT : Measure.SAMPLES)
                    .withNormalization(normalization).withDelta(delta)
                    .withNames(crossMachine ? NameNormalizer.CROSS_MACHINE : NameNormalizer.NONE));
        } catch (IllegalArgumentException e) {
            throw new dev.flint.cli.UserError(e.getMessage());
        }
        try (OutputStream out = Output.open(output)) {
            if (json) {
                TraceJson.differential(diff, out);
                out.write('\n');
            } else {
                text(diff, new PrintStream(out, false, StandardCharsets.UTF_8));
            }
        }
        return 0;
    }

    private SampleFilter filter(Trace trace, Double start, Double end) {
        SampleFilter filter = SelectionOptions.withRange(SampleFilter.all(), trace, start, end);
        return event == null ? filter : filter.withEvent(event);
    }

    private void text(Differential diff, PrintStream out) {
        out.println(diff.semantics());
        out.printf("A: %d samples (%s); B: %d samples (%s)%n", diff.samplesA(), diff.eventA().describe(),
                diff.samplesB(), diff.eventB().describe());
        List<String[]> rows = new ArrayList<>();
        List<double[]> keys = new ArrayList<>();
        collect(diff.root(), "", rows, keys);
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(Math.abs(keys.get(y)[0]), Math.abs(keys.get(x)[0])));
        String scale = diff.normalization() == Differential.Normalization.TOTAL ? "%" : "/inv";
        out.printf("%10s %10s %10s  %-9s %s%n", "delta", "A", "B", "", "frame (its callers)");
        for (int k = 0; k < Math.min(top, order.length); k++) {
            double[] v = keys.get(order[k]);
            String[] r = rows.get(order[k]);
            out.printf("%+9.3f%s %9.3f%s %9.3f%s  %-9s %s%n", value(v[0], diff), scale, value(v[1], diff), scale,
                    value(v[2], diff), scale, r[0], r[1]);
        }
        out.flush();
    }

    private static double value(double normalised, Differential diff) {
        return diff.normalization() == Differential.Normalization.TOTAL ? normalised * 100 : normalised;
    }

    private void collect(DiffNode node, String path, List<String[]> rows, List<double[]> keys) {
        for (DiffNode child : node.children()) {
            String childPath = path.isEmpty() ? child.name() : path + ";" + child.name();
            if (!child.isOther()) {
                boolean self = delta == Differential.Delta.SELF;
                rows.add(new String[] {child.presence() == DiffNode.Presence.BOTH ? "" : child.presence().name().toLowerCase(),
                        shorten(childPath)});
                keys.add(new double[] {child.delta(), self ? child.normSelfA() : child.normTotalA(),
                        self ? child.normSelfB() : child.normTotalB()});
            }
            collect(child, childPath, rows, keys);
        }
    }

    /** The frame and its two nearest callers: enough to tell it apart, short enough for a terminal. */
    private static String shorten(String path) {
        String[] parts = path.split(";");
        if (parts.length <= 3) {
            return path;
        }
        return parts[parts.length - 1] + "  (" + parts[parts.length - 2] + " < " + parts[parts.length - 3] + " ...)";
    }
}
