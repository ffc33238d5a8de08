package dev.flint.cli.trace;

import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.HeatMap;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flint trace heatmap FILE}: FlameScope's sub-second heat map, one column per second and
 * {@code --rows} rows per second (50: 20 ms each), drawn in the terminal or written as JSON.
 */
@Command(name = "heatmap", mixinStandardHelpOptions = true,
        description = {"FlameScope's sub-second heat map: a column per second, ROWS rows of 1000/ROWS ms each (the top",
                "row is the end of the second), each cell the samples in it. Shades . : - = + * # % @ grow with the",
                "count; the darkest is the largest cell."})
final class HeatmapCommand implements Callable<Integer> {

    private static final String SHADES = " .:-=+*#%@";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--rows", paramLabel = "ROWS", description = "Rows per second (default: 50).")
    int rows = HeatMap.DEFAULT_ROWS;

    @Option(names = "--json", description = "FlameScope-shaped JSON instead of the drawing.")
    boolean json;

    @Option(names = "--by-invocation",
            description = "With --invocations: a column per invocation and rows of time since its start, so that cold "
                    + "starts and phases line up (ROWS rows over the longest invocation).")
    boolean byInvocation;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Trace trace = TraceFiles.read(spec, file);
        if (byInvocation) {
            return invocationMap(trace);
        }
        HeatMap map;
        try {
            map = HeatMap.of(trace, selection.filter(trace), new HeatMap.Options(rows, dev.flint.trace.query.Measure.SAMPLES,
                    HeatMap.Axis.SELECTION));
        } catch (IllegalArgumentException e) {
            throw new dev.flint.cli.UserError(file + ": " + e.getMessage());
        }
        try (OutputStream out = Output.open(output)) {
            if (json) {
                TraceJson.heatMap(map, out);
                out.write('\n');
            } else {
                draw(map, new PrintStream(out, false, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return 0;
    }

    private int invocationMap(Trace trace) throws Exception {
        if (selection.invocations == null) {
            throw new dev.flint.cli.UserError("--by-invocation needs --invocations FILE");
        }
        dev.flint.trace.query.InvocationHeatMap map;
        try {
            var invocations = selection.invocations();
            selection.invocations = null; // the map places samples by invocation itself
            map = dev.flint.trace.query.InvocationHeatMap.of(trace, selection.filter(trace), invocations,
                    dev.flint.trace.query.InvocationHeatMap.Options.DEFAULT.withRows(rows));
        } catch (IllegalArgumentException e) {
            throw new dev.flint.cli.UserError(e.getMessage());
        }
        try (OutputStream out = Output.open(output)) {
            PrintStream print = new PrintStream(out, false, java.nio.charset.StandardCharsets.UTF_8);
            print.printf("%d samples in %d invocations (%d outside any), rows of %.3f ms since each start; the largest"
                    + " cell has %d%n", map.samples(), map.invocations().size(), map.outside(), map.bucketNanos() / 1e6,
                    map.maxValue());
            for (int row = 0; row < map.rows(); row++) {
                StringBuilder line = new StringBuilder(String.format("%9.3f ms |", map.rowOffsetsMs()[row]));
                for (int col = 0; col < map.invocations().size(); col++) {
                    line.append(shade(map.values()[col][row], map.maxValue()));
                }
                print.println(line);
            }
            print.println("             " + "-".repeat(map.invocations().size()) + "  (invocations, in start order)");
            print.flush();
        }
        return 0;
    }

    private static char shade(long v, long max) {
        int shade = v == 0 ? 0 : 1 + (int) ((SHADES.length() - 2) * (v - 1) / Math.max(1, max - 1));
        return SHADES.charAt(Math.min(shade, SHADES.length() - 1));
    }

    private static void draw(HeatMap map, PrintStream out) {
        out.printf("%s samples of %s, %d s from second %d, %d rows per second; the largest cell has %d%n", map.samples(),
                map.event() == null ? "every event" : map.event().describe(), map.columns(), map.startSecond(), map.rows(),
                map.maxValue());
        for (int row = 0; row < map.rows(); row++) {
            StringBuilder line = new StringBuilder();
            line.append(String.format("%7.1f ms |", map.rowOffsetsMs()[row]));
            for (int col = 0; col < map.columns(); col++) {
                line.append(shade(map.values()[col][row], map.maxValue()));
            }
            out.println(line);
        }
        StringBuilder axis = new StringBuilder("           +");
        char[] labels = new char[map.columns() + 8];
        java.util.Arrays.fill(labels, ' ');
        for (int col = 0; col < map.columns(); col++) {
            axis.append(col % 10 == 0 ? '|' : '-');
            if (col % 10 == 0) {
                String label = Integer.toString(col);
                label.getChars(0, label.length(), labels, col);
            }
        }
        out.println(axis);
        out.println("            " + new String(labels).stripTrailing() + "  (seconds; pass --start and --end to flint trace flame)");
        out.flush();
    }
}
