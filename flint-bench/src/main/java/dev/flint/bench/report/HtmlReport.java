package dev.flint.bench.report;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.util.List;
import java.util.Locale;

/**
 * A run as one self-contained HTML page: how and when it was made, the targets (with links to their
 * traces), failures, the {@link PercentilePlot} inline, the summary table of the {@link TextReport}
 * (same numbers, ratios to the first target) and, folded, each target's full percentile
 * distribution. No script and no external stylesheet, font or image: the page works from
 * {@code file://} and offline. Everything that comes from users is escaped; a trace URL becomes a
 * link only when it is an absolute http or https URL. The markup is also well-formed XML (void
 * elements closed), so XML tools can read the page.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
                   line-height: 1.45; max-width: 1100px; margin: 1.5em auto; padding: 0 1em; }
            h1 { font-size: 1.6em; margin: 0 0 .2em; }
            h2 { font-size: 1.2em; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 1px solid #ddd; }
            .when { color: #555; margin-top: 0; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
            .wide { overflow-x: auto; }
            th, td { padding: .25em .75em; border-bottom: 1px solid #eee; vertical-align: top; }
            th { text-align: left; font-weight: 600; }
            thead th { border-bottom: 2px solid #ccc; }
            .num { text-align: right; white-space: nowrap; }
            .ratio { color: #555; }
            tr.section th { background: #f5f5f5; }
            td.label { padding-left: 1.5em; }
            code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em;
                   word-break: break-all; }
            dl.run { display: grid; grid-template-columns: max-content auto; gap: .15em 1.2em; }
            dl.run dt { color: #555; }
            dl.run dd { margin: 0; }
            .failed { background: #fdecea; border-left: 4px solid #c62828; padding: .5em 1em; margin: 1em 0; }
            .failed p { margin: .2em 0; }
            .plot svg { max-width: 100%; height: auto; border: 1px solid #eee; }
            details { margin: .5em 0; }
            summary { cursor: pointer; font-weight: 600; }
            details table { margin: .5em 0 1em; }
            """;

    private HtmlReport() {}

    public static String render(BenchResult result) {
        List<TargetResult> targets = result.targets();
        RunSettings settings = result.settings();
        StringBuilder b = new StringBuilder(64 * 1024);
        String title = "flint bench: " + String.join(" vs ", targets.stream().map(TargetResult::name).toList());

        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Markup.escape(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        b.append("<h1>").append(Markup.escape(title)).append("</h1>\n");
        b.append("<p class=\"when\">Started ").append(Markup.escape(Summary.started(result))).append(": ")
                .append(Markup.escape(Summary.settingsLine(settings, targets.size()))).append("</p>\n");

        failures(b, targets);
        run(b, result, targets.size());
        targetTable(b, targets);

        b.append("<h2>Latency by percentile</h2>\n<div class=\"plot\">\n").append(PercentilePlot.svg(result))
                .append("</div>\n");

        b.append("<h2>Summary</h2>\n");
        if (targets.size() > 1) {
            b.append("<p>Ratios are each target's value over ").append(Markup.escape(targets.get(0).name()))
                    .append("'s, the baseline: below 1x is lower latency or less throughput.</p>\n");
        }
        summaryTable(b, Summary.of(result));

        b.append("<h2>Percentile distributions</h2>\n");
        for (TargetResult t : targets) {
            distribution(b, t);
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static void failures(StringBuilder b, List<TargetResult> targets) {
        StringBuilder lines = new StringBuilder();
        for (TargetResult t : targets) {
            String line = Summary.failureLine(t);
            if (line != null) {
                lines.append("<p><strong>").append(Markup.escape(t.name())).append("</strong>: ")
                        .append(Markup.escape(line)).append("</p>\n");
            }
        }
        if (!lines.isEmpty()) {
            b.append("<div class=\"failed\" role=\"alert\">\n").append(lines).append("</div>\n");
        }
    }

    private static void run(StringBuilder b, BenchResult result, int targets) {
        RunSettings s = result.settings();
        String perTarget = targets > 1 ? " per target" : "";
        b.append("<h2>Run</h2>\n<dl class=\"run\">\n");
        item(b, "started", Summary.started(result));
        String mode = s.mode() == Mode.RATE
                ? "constant rate, " + Units.rate(s.rate()) + " requests/s" + perTarget
                        + "; latency counts from each request's intended send time (coordinated omission corrected)"
                : "closed loop: each connection sends its next request when the previous answer is in";
        item(b, "mode", mode);
        item(b, "connections", Units.count(s.connections()) + perTarget);
        item(b, "warm-up", Units.duration(s.warmup()));
        item(b, "ramp", Units.duration(s.ramp()));
        item(b, "measured", (s.duration() != null ? Units.duration(s.duration())
                : Units.count(s.requestLimit()) + " requests") + perTarget);
        item(b, "rounds", s.rounds() + (s.rounds() > 1 ? ", interleaved" : ""));
        b.append("</dl>\n");
    }

    private static void item(StringBuilder b, String term, String value) {
        b.append("<dt>").append(Markup.escape(term)).append("</dt><dd>").append(Markup.escape(value)).append("</dd>\n");
    }

    private static void targetTable(StringBuilder b, List<TargetResult> targets) {
        b.append("<h2>Targets</h2>\n<table class=\"targets\">\n<thead><tr><th>name</th><th>method</th><th>URL</th>")
                .append("<th>trace</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < targets.size(); i++) {
            TargetResult t = targets.get(i);
            b.append("<tr><td>").append(Markup.escape(t.name()));
            if (i == 0 && targets.size() > 1) {
                b.append(" (baseline)");
            }
            b.append("</td><td>").append(Markup.escape(t.method())).append("</td><td><code>")
                    .append(Markup.escape(t.url())).append("</code></td><td>");
            if (t.traceUrl() == null) {
                b.append("-");
            } else if (Markup.linkable(t.traceUrl())) {
                b.append("<a class=\"trace\" href=\"").append(Markup.escape(t.traceUrl())).append("\">trace</a>");
            } else {
                b.append("<code>").append(Markup.escape(t.traceUrl())).append("</code>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void summaryTable(StringBuilder b, Summary summary) {
        int columns = 1 + summary.names().size() + summary.ratioHeaders().size();
        b.append("<div class=\"wide\">\n<table class=\"summary\">\n<thead><tr><th></th>");
        for (String name : summary.names()) {
            b.append("<th class=\"num\">").append(Markup.escape(name)).append("</th>");
        }
        for (String ratio : summary.ratioHeaders()) {
            b.append("<th class=\"num ratio\">").append(Markup.escape(ratio)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (Summary.Section section : summary.sections()) {
            b.append("<tr class=\"section\"><th colspan=\"").append(columns).append("\">")
                    .append(Markup.escape(section.title())).append("</th></tr>\n");
            for (Summary.Row row : section.rows()) {
                b.append("<tr><td class=\"label\">").append(Markup.escape(row.label())).append("</td>");
                for (String v : row.values()) {
                    b.append("<td class=\"num\">").append(Markup.escape(v)).append("</td>");
                }
                for (String r : row.ratios()) {
                    b.append("<td class=\"num ratio\">").append(Markup.escape(r)).append("</td>");
                }
                b.append("</tr>\n");
            }
        }
        b.append("</tbody>\n</table>\n</div>\n");
    }

    private static void distribution(StringBuilder b, TargetResult t) {
        List<Distribution.Point> points = Distribution.of(t.latency());
        b.append("<details class=\"distribution\">\n<summary>").append(Markup.escape(t.name())).append(": ")
                .append(points.size()).append(" percentiles</summary>\n");
        if (points.isEmpty()) {
            b.append("<p>No request was answered.</p>\n</details>\n");
            return;
        }
        b.append("<table>\n<thead><tr><th class=\"num\">percentile</th><th class=\"num\">latency (ms)</th>")
                .append("<th class=\"num\">count</th><th class=\"num\">1/(1-p)</th></tr></thead>\n<tbody>\n");
        for (Distribution.Point p : points) {
            double inverse = p.inverseTail();
            b.append("<tr><td class=\"num\">").append(Units.percentileLabel(p.percentile()))
                    .append("%</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f", p.valueNanos() / 1e6)).append("</td><td class=\"num\">")
                    .append(Units.count(p.totalCount())).append("</td><td class=\"num\">")
                    .append(Double.isInfinite(inverse) ? "∞" : String.format(Locale.ROOT, "%,.2f", inverse))
                    .append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</details>\n");
    }
}
