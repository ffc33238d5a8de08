package dev.flint.bench.report;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.TargetResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latency percentile distribution of every target of a run in one standalone SVG chart, as
 * HdrHistogram's plotter draws {@code .hgrm} files.
 *
 * <ul>
 *   <li>x: the percentile on a log scale of {@code 1/(1-p)}: 0% at the left, then one equal step per
 *       "nine" (90%, 99%, 99.9%, ...), up to the first nine past the deepest percentile the data
 *       reaches (at least 99%). The last point of each line, the maximum at 100%, sits at the right
 *       edge.</li>
 *   <li>y: latency in milliseconds, linear from 0 to a rounded value at or above the largest maximum.</li>
 *   <li>One polyline per target, from HdrHistogram's percentile iteration (5 points per half
 *       distance), at most {@value #MAX_POINTS} points each. Colours are the Okabe-Ito palette, which
 *       reads on white and for colour-blind readers; past seven targets dashes tell lines apart.</li>
 *   <li>A legend with each target's name and p99, a title with the mode, gridlines and axis labels.</li>
 * </ul>
 * No script, no external resource; names are escaped, so any name is only text.
 */
public final class PercentilePlot {

    static final int WIDTH = 900;
    /** The height of the plot area and what is above and below it, without the legend. */
    static final int BASE_HEIGHT = 560;
    static final int LEFT = 80;
    static final int RIGHT = 50;
    static final int TOP = 70;
    /** About what fits across the chart at the subtitle's size. */
    static final int SUBTITLE_CHARS = 140;
    static final int BOTTOM = 70;
    static final int LEGEND_ROW = 18;

    /** The most points one line gets. */
    static final int MAX_POINTS = 400;

    /** The x axis reaches at least 99% and at most this many nines. */
    private static final int MIN_NINES = 2;
    private static final int MAX_NINES = 9;

    /** Okabe-Ito, without its yellow (too light on white). */
    private static final String[] COLORS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
    private static final String[] DASHES = {null, "9 4", "2 3", "9 3 2 3"};

    private static final String FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
    private static final int LEGEND_NAME_MAX = 48;

    private PercentilePlot() {}

    /** The x coordinate in nines of a percentile (0 to 100): {@code log10(1/(1-p))}; infinite at 100. */
    static double nines(double percentile) {
        return percentile >= 100 ? Double.POSITIVE_INFINITY : -Math.log10(1 - percentile / 100);
    }

    public static String svg(BenchResult result) {
        List<TargetResult> targets = result.targets();
        List<List<Distribution.Point>> series = new ArrayList<>();
        double deepest = 0;
        long maxNanos = 0;
        for (TargetResult t : targets) {
            List<Distribution.Point> points = Distribution.of(t.latency());
            series.add(points);
            for (Distribution.Point p : points) {
                double x = nines(p.percentile());
                if (Double.isFinite(x)) {
                    deepest = Math.max(deepest, x);
                }
                maxNanos = Math.max(maxNanos, p.valueNanos());
            }
        }
        int axisNines = Math.max(MIN_NINES, Math.min(MAX_NINES, (int) Math.ceil(deepest - 1e-9)));
        double maxMs = maxNanos / 1e6;
        double step = maxMs > 0 ? niceStep(maxMs) : 0.2;
        double yMax = maxMs > 0 ? Math.ceil(maxMs / step - 1e-9) * step : 1;

        int height = BASE_HEIGHT + LEGEND_ROW * targets.size() + 16;
        double plotLeft = LEFT;
        double plotRight = WIDTH - RIGHT;
        double plotTop = TOP;
        double plotBottom = BASE_HEIGHT - BOTTOM;
        double plotWidth = plotRight - plotLeft;
        double plotHeight = plotBottom - plotTop;

        StringBuilder b = new StringBuilder(16_384);
        String mode = result.settings().mode() == Mode.RATE
                ? "constant rate " + Units.rate(result.settings().rate()) + " requests/s" : "closed loop";
        String title = "Latency by percentile, " + mode;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"").append(Markup.escape(FONT)).append("\" font-size=\"12\">\n");
        b.append("<title>");
        Markup.escape(title, b);
        b.append("</title>\n");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");
        text(b, "title", WIDTH / 2.0, 26, "middle", "font-size=\"17\" font-weight=\"bold\"", title);
        // Two lines at most, split at a comma, so that a long settings line is not cut at the edges.
        String subtitle = Summary.settingsLine(result.settings(), targets.size()) + "; started " + Summary.started(result);
        List<String> lines = subtitleLines(subtitle, SUBTITLE_CHARS);
        for (int i = 0; i < lines.size(); i++) {
            text(b, "subtitle", WIDTH / 2.0, 44 + 14 * i, "middle", "font-size=\"11\" fill=\"#444444\"", lines.get(i));
        }

        // Gridlines and ticks.
        b.append("<g class=\"x-axis\">\n");
        for (int n = 0; n <= axisNines; n++) {
            double x = plotLeft + plotWidth * n / axisNines;
            line(b, "grid", x, plotTop, x, plotBottom, n == 0 ? "#888888" : "#dddddd");
            text(b, "x-tick", x, plotBottom + 18, "middle", "fill=\"#333333\"", ninesLabel(n));
        }
        text(b, "x-label", plotLeft + plotWidth / 2, plotBottom + 44, "middle", "font-size=\"13\"", "percentile");
        b.append("</g>\n");
        b.append("<g class=\"y-axis\">\n");
        int yTicks = (int) Math.round(yMax / step);
        int decimals = decimals(step);
        for (int i = 0; i <= yTicks; i++) {
            double value = i * step;
            double y = plotBottom - plotHeight * value / yMax;
            line(b, "grid", plotLeft, y, plotRight, y, i == 0 ? "#888888" : "#dddddd");
            text(b, "y-tick", plotLeft - 8, y + 4, "end", "fill=\"#333333\"",
                    String.format(Locale.ROOT, "%." + decimals + "f", value));
        }
        double labelY = plotTop + plotHeight / 2;
        b.append("<text class=\"y-label\" x=\"22\" y=\"").append(num(labelY)).append("\" text-anchor=\"middle\" ")
                .append("font-size=\"13\" transform=\"rotate(-90 22 ").append(num(labelY))
                .append(")\">latency (ms)</text>\n");
        b.append("</g>\n");

        // One line per target.
        b.append("<g class=\"lines\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\"")
                .append(" stroke-linecap=\"round\">\n");
        for (int i = 0; i < targets.size(); i++) {
            b.append("<polyline class=\"series\" data-target=\"");
            Markup.escape(targets.get(i).name(), b);
            b.append("\" stroke=\"").append(color(i)).append('"');
            dash(b, i);
            b.append(" points=\"");
            String sep = "";
            String last = null;
            for (Distribution.Point p : thin(series.get(i))) {
                double x = plotLeft + plotWidth * Math.min(nines(p.percentile()), axisNines) / axisNines;
                double y = plotBottom - plotHeight * (p.valueNanos() / 1e6) / yMax;
                String xy = num(x) + "," + num(y);
                if (!xy.equals(last)) {
                    b.append(sep).append(xy);
                    sep = " ";
                    last = xy;
                }
            }
            b.append("\"/>\n");
        }
        b.append("</g>\n");

        legend(b, targets, plotLeft, BASE_HEIGHT - 4);
        b.append("</svg>\n");
        return b.toString();
    }

    /** The legend under the x axis label: one row per target, its line's colour and dash, name and p99. */
    private static void legend(StringBuilder b, List<TargetResult> targets, double x, double y) {
        b.append("<g class=\"legend\">\n");
        for (int i = 0; i < targets.size(); i++) {
            TargetResult t = targets.get(i);
            String name = t.name();
            if (name.codePointCount(0, name.length()) > LEGEND_NAME_MAX) {
                name = name.substring(0, name.offsetByCodePoints(0, LEGEND_NAME_MAX - 1)) + "\u2026";
            }
            String p99 = t.latency().getTotalCount() == 0 ? "no answers" : "p99 " + Units.latency(t.percentileNanos(99));
            double rowY = y + LEGEND_ROW * i + LEGEND_ROW / 2.0;
            b.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(rowY)).append("\" x2=\"")
                    .append(num(x + 28)).append("\" y2=\"").append(num(rowY)).append("\" stroke=\"").append(color(i))
                    .append("\" stroke-width=\"2.5\"");
            dash(b, i);
            b.append("/>\n");
            b.append("<text class=\"legend-entry\" x=\"").append(num(x + 36)).append("\" y=\"").append(num(rowY + 4))
                    .append("\">");
            Markup.escape(name, b);
            b.append("<tspan dx=\"12\" fill=\"#555555\">").append(Markup.escape(p99)).append("</tspan></text>\n");
        }
        b.append("</g>\n");
    }

    /** At most {@link #MAX_POINTS} points, evenly picked, the first and last kept. */
    static List<Distribution.Point> thin(List<Distribution.Point> points) {
        int n = points.size();
        if (n <= MAX_POINTS) {
            return points;
        }
        List<Distribution.Point> kept = new ArrayList<>(MAX_POINTS);
        for (int i = 0; i < MAX_POINTS; i++) {
            kept.add(points.get((int) Math.round((double) i * (n - 1) / (MAX_POINTS - 1))));
        }
        return kept;
    }

    /** A step of 1, 2, 2.5 or 5 times a power of ten that cuts {@code max} into 4 to 10 parts. */
    static double niceStep(double max) {
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** Decimals a tick label needs to show multiples of {@code step} exactly. */
    private static int decimals(double step) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double mantissa = step / magnitude;
        int d = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return Math.abs(mantissa - 2.5) < 1e-6 ? d + 1 : d;
    }

    /** {@code 0%}, {@code 90%}, {@code 99%}, {@code 99.9%}, ... */
    static String ninesLabel(int nines) {
        if (nines == 0) {
            return "0%";
        }
        if (nines == 1) {
            return "90%";
        }
        return nines == 2 ? "99%" : "99." + "9".repeat(nines - 2) + "%";
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    private static void dash(StringBuilder b, int i) {
        String dash = DASHES[(i / COLORS.length) % DASHES.length];
        if (dash != null) {
            b.append(" stroke-dasharray=\"").append(dash).append('"');
        }
    }

    private static void line(StringBuilder b, String cls, double x1, double y1, double x2, double y2, String stroke) {
        b.append("<line class=\"").append(cls).append("\" x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
                .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2)).append("\" stroke=\"")
                .append(stroke).append("\" stroke-width=\"1\"/>\n");
    }

    private static void text(StringBuilder b, String cls, double x, double y, String anchor, String attributes,
            String content) {
        b.append("<text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" text-anchor=\"").append(anchor).append('"');
        if (!attributes.isEmpty()) {
            b.append(' ').append(attributes);
        }
        b.append('>');
        Markup.escape(content, b);
        b.append("</text>\n");
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
    /** {@code text} in one line if it fits in {@code max} characters, else two, split after the comma nearest the middle. */
    static List<String> subtitleLines(String text, int max) {
        if (text.length() <= max) {
            return List.of(text);
        }
        int middle = text.length() / 2;
        int best = -1;
        for (int i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) {
            if (best < 0 || Math.abs(i - middle) < Math.abs(best - middle)) {
                best = i;
            }
        }
        if (best < 0) {
            return List.of(text);
        }
        return List.of(text.substring(0, best + 1).strip(), text.substring(best + 1).strip());
    }
}
