package dev.flint.bench.report;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.TargetResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The report {@code flint bench} prints on the terminal.
 *
 * <pre>
 * flint bench: closed loop, 64 connections per target, warm-up 5s, 30s measured per target, 3 interleaved rounds
 * started 2025-06-01 10:00:00 UTC
 *   python  GET http://localhost:7071/api/circle  (baseline)
 *   rust    GET http://localhost:7072/api/circle
 *
 *                     python        rust  rust/python
 * Throughput
 *   requests         123,456     400,000        3.24x
 *   requests/s      4,115.20   13,333.33        3.24x
 *   ...
 * Latency
 *   p50               1.00ms    320.00µs        0.32x
 *   ...
 * Outcomes
 *   status 200       123,400     400,000
 *   status 503            56           0
 *   failed        56 (0.05%)           0
 *
 * FAILED python: 56 of 123,456 requests failed (0.05%): status 503: 56
 * </pre>
 *
 * One column per target, then for each target after the first its ratio to the first (the
 * baseline): {@code rust/python 0.32x} means rust's value is 0.32 times python's, for throughput and
 * latency rows alike. Latencies carry the unit that suits each value, as wrk prints them (µs, ms, s,
 * two decimals); {@code -} marks a value that does not exist (no answered request, a ratio to zero).
 * Columns are aligned with spaces, counting one column per character; control characters in names
 * and URLs are replaced, so they cannot drive the terminal.
 */
public final class TextReport {

    private static final String INDENT = "  ";
    private static final String GAP = "  ";

    private TextReport() {}

    public static String render(BenchResult result) {
        Summary summary = Summary.of(result);
        List<TargetResult> targets = result.targets();
        StringBuilder b = new StringBuilder(2048);
        b.append("flint bench: ").append(Summary.settingsLine(result.settings(), targets.size())).append('\n');
        b.append("started ").append(Summary.started(result)).append('\n');

        int nameWidth = 0;
        for (TargetResult t : targets) {
            nameWidth = Math.max(nameWidth, Markup.width(Markup.terminal(t.name())));
        }
        for (int i = 0; i < targets.size(); i++) {
            TargetResult t = targets.get(i);
            b.append(INDENT).append(padRight(Markup.terminal(t.name()), nameWidth)).append(GAP)
                    .append(Markup.terminal(t.method())).append(' ').append(Markup.terminal(t.url()));
            if (i == 0 && targets.size() > 1) {
                b.append("  (baseline)");
            }
            b.append('\n');
            if (t.traceUrl() != null) {
                b.append(INDENT).append(" ".repeat(nameWidth)).append(GAP).append("trace ")
                        .append(Markup.terminal(t.traceUrl())).append('\n');
            }
        }
        b.append('\n');
        table(summary, b);

        List<String> failures = new ArrayList<>();
        for (TargetResult t : targets) {
            String line = Summary.failureLine(t);
            if (line != null) {
                failures.add("FAILED " + Markup.terminal(t.name()) + ": " + Markup.terminal(line));
            }
        }
        if (!failures.isEmpty()) {
            b.append('\n');
            for (String line : failures) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static void table(Summary summary, StringBuilder b) {
        List<String> headers = new ArrayList<>();
        summary.names().forEach(n -> headers.add(Markup.terminal(n)));
        summary.ratioHeaders().forEach(n -> headers.add(Markup.terminal(n)));
        int columns = headers.size();
        int values = summary.names().size();

        int labelWidth = 0;
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = Markup.width(headers.get(c));
        }
        for (Summary.Section section : summary.sections()) {
            labelWidth = Math.max(labelWidth, Markup.width(section.title()));
            for (Summary.Row row : section.rows()) {
                labelWidth = Math.max(labelWidth, INDENT.length() + Markup.width(Markup.terminal(row.label())));
                List<String> cells = cells(row);
                for (int c = 0; c < columns; c++) {
                    widths[c] = Math.max(widths[c], Markup.width(cells.get(c)));
                }
            }
        }

        StringBuilder line = new StringBuilder();
        line.append(" ".repeat(labelWidth));
        for (int c = 0; c < columns; c++) {
            line.append(c == values ? GAP + GAP : GAP).append(padLeft(headers.get(c), widths[c]));
        }
        b.append(stripTrailing(line)).append('\n');
        for (Summary.Section section : summary.sections()) {
            b.append(section.title()).append('\n');
            for (Summary.Row row : section.rows()) {
                line.setLength(0);
                line.append(padRight(INDENT + Markup.terminal(row.label()), labelWidth));
                List<String> cells = cells(row);
                for (int c = 0; c < columns; c++) {
                    line.append(c == values ? GAP + GAP : GAP).append(padLeft(cells.get(c), widths[c]));
                }
                b.append(stripTrailing(line)).append('\n');
            }
        }
    }

    private static List<String> cells(Summary.Row row) {
        List<String> cells = new ArrayList<>(row.values().size() + row.ratios().size());
        row.values().forEach(v -> cells.add(Markup.terminal(v)));
        cells.addAll(row.ratios());
        return cells;
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - Markup.width(s))) + s;
    }

    private static String padRight(String s, int width) {
        return s + " ".repeat(Math.max(0, width - Markup.width(s)));
    }

    private static String stripTrailing(StringBuilder line) {
        return line.toString().stripTrailing();
    }
}
