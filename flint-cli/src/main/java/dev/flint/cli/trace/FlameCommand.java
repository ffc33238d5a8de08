package dev.flint.cli.trace;

import dev.flint.trace.export.SpeedscopeWriter;
import dev.flint.trace.export.SvgFlameGraph;
import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameGraphs;
import dev.flint.trace.query.FlameNode;
import dev.flint.trace.query.Measure;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flint trace flame FILE}: the flame graph of a selection, as SVG, JSON, text or speedscope JSON. */
@Command(name = "flame", mixinStandardHelpOptions = true,
        description = {"The flame graph of the samples selected (a time range, processes, threads, the event).",
                "Nodes narrower than --min-width of the total are merged into one `other` node per parent."})
final class FlameCommand implements Callable<Integer> {

    enum Format { svg, json, text, speedscope }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "svg (default: a standalone, clickable flame graph), json, text (an indented tree), or "
                    + "speedscope (the whole trace, one profile per thread, for speedscope.app).")
    Format format = Format.svg;

    @Option(names = "--min-width", paramLabel = "FRACTION",
            description = "Nodes below this fraction of the total become `other` (default: 0.001; text: 0.01).")
    Double minWidth;

    @Option(names = "--weight", description = "Sum the samples' weight (perf's period, ns for cpu-clock) instead of counting them.")
    boolean weight;

    @Option(names = "--title", paramLabel = "TEXT", description = "The SVG's title (default: the file name).")
    String title;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Trace trace = TraceFiles.read(spec, file);
        if (format == Format.speedscope) {
            try (OutputStream out = Output.open(output)) {
                SpeedscopeWriter.Options options = SpeedscopeWriter.Options.DEFAULT;
                if (weight) {
                    options = options.withNanoseconds();
                }
                if (selection.event != null && !selection.event.equals("all")) {
                    options = options.withEvent(selection.event);
                }
                SpeedscopeWriter.write(trace, options, out);
            }
            return 0;
        }
        double width = minWidth != null ? minWidth : format == Format.text ? 0.01 : FlameGraphs.Options.DEFAULT.minWidth();
        FlameGraph graph;
        try {
            graph = FlameGraphs.build(trace, selection.filter(trace),
                    new FlameGraphs.Options(weight ? Measure.WEIGHT : Measure.SAMPLES, width));
        } catch (IllegalArgumentException e) {
            throw new dev.flint.cli.UserError(file + ": " + e.getMessage());
        }
        try (OutputStream out = Output.open(output)) {
            switch (format) {
                case json -> {
                    TraceJson.flameGraph(graph, out);
                    out.write('\n');
                }
                case text -> {
                    PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
                    print.printf("%d samples, values in %s%s%n", graph.samples(), graph.unit(),
                            graph.event() == null ? "" : ", event " + graph.event().describe());
                    text(graph.root(), graph.root().total(), 0, print);
                    print.flush();
                }
                default -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    SvgFlameGraph.write(graph, SvgFlameGraph.Options.DEFAULT.withTitle(title != null ? title
                            : file.getFileName().toString()), writer);
                    writer.flush();
                }
            }
        }
        return 0;
    }

    private static void text(FlameNode node, long total, int depth, PrintStream out) {
        out.printf("%6.2f%% %10d  %s%s%s%n", total == 0 ? 0.0 : 100.0 * node.total() / total, node.total(),
                "  ".repeat(depth), node.name(), node.kind() == null ? "" : " [" + node.kind().wireName() + "]");
        for (FlameNode child : node.children()) {
            text(child, total, depth + 1, out);
        }
    }
}
