package dev.flint.trace.export;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A standalone, interactive SVG flame graph of a {@link FlameGraph}, in the spirit of
 * {@code flamegraph.pl} (this is Flint's own code): one file, no external resource, its script
 * inline.
 *
 * <ul>
 *   <li>A title, and a subtitle with the sample count and, when the unit is not samples, the total
 *       in that unit.</li>
 *   <li>Frames are rectangles as wide as their total, root at the bottom, children left to right
 *       in the graph's order (largest first), labelled with their name, cut with {@code ..} to fit.
 *       A frame narrower than {@link Options#minFrameWidth()} pixels is left out with everything
 *       above it (its samples still count in its parent's width); the graph's own "other" nodes
 *       are grey.</li>
 *   <li>Colours by {@link FrameKind}, with a legend: kernel orange, JIT green, inlined aqua,
 *       interpreted blue, user and native code red to yellow, the process lavender. The shade
 *       within a hue comes from a hash of the name, so a function has the same colour in every
 *       graph.</li>
 *   <li>Hovering shows the name, module, value and share in a tooltip and on the bottom line;
 *       clicking a frame zooms to it (its ancestors stay, faded), clicking the root or "Reset Zoom"
 *       zooms out; "Search" or Ctrl-F asks for a regular expression, highlights the matching
 *       frames and shows "Matched: x%" (of the whole graph, nested matches counted once); Ctrl-I
 *       toggles case sensitivity, Escape clears the search.</li>
 * </ul>
 * Every name and module is XML-escaped (characters XML cannot hold become U+FFFD), so a frame
 * named {@code <script>} is only text; the script reads them back from attributes.
 */
public final class SvgFlameGraph {

    /**
     * @param title         the heading; {@code flamegraph.pl}'s default is "Flame Graph"
     * @param subtitle      the line under it, null for the sample count and unit
     * @param width         the image width in pixels (default 1200)
     * @param frameHeight   the height of one frame in pixels (default 16)
     * @param minFrameWidth frames narrower than this many pixels are left out (default 0.1)
     * @param fontSize      label size in pixels (default 12)
     */
    public record Options(String title, String subtitle, int width, int frameHeight, double minFrameWidth,
                          int fontSize) {

        public static final Options DEFAULT = new Options("Flame Graph", null, 1200, 16, 0.1, 12);

        public Options {
            if (width < 100 || frameHeight < 4 || fontSize < 4 || !(minFrameWidth >= 0)) {
                throw new IllegalArgumentException("width >= 100, frameHeight >= 4, fontSize >= 4 and minFrameWidth"
                        + " >= 0 are needed, not " + width + ", " + frameHeight + ", " + fontSize + ", " + minFrameWidth);
            }
            title = title == null ? "Flame Graph" : title;
        }

        public Options withTitle(String t) {
            return new Options(t, subtitle, width, frameHeight, minFrameWidth, fontSize);
        }

        public Options withSubtitle(String s) {
            return new Options(title, s, width, frameHeight, minFrameWidth, fontSize);
        }

        public Options withWidth(int w) {
            return new Options(title, subtitle, w, frameHeight, minFrameWidth, fontSize);
        }

        public Options withMinFrameWidth(double px) {
            return new Options(title, subtitle, width, frameHeight, px, fontSize);
        }
    }

    private static final int PAD = 10;
    private static final int TOP = 56;
    private static final int BOTTOM = 48;
    private static final double CHAR_WIDTH = 0.59;
    private static final String FONT = "Verdana, DejaVu Sans, sans-serif";

    private static final String OTHER_COLOR = "rgb(160,160,160)";
    private static final String ROOT_COLOR = "rgb(200,200,200)";

    /** The legend's entries: label and a representative colour of the kind. */
    private static final String[][] LEGEND = {
            {"kernel", color(FrameKind.KERNEL, 0.5, 0.5)},
            {"JIT", color(FrameKind.JIT, 0.5, 0.5)},
            {"inlined", color(FrameKind.INLINED, 0.5, 0.5)},
            {"interpreted", color(FrameKind.INTERPRETED, 0.5, 0.5)},
            {"user / native", color(FrameKind.USER, 0.5, 0.5)},
            {"process", color(FrameKind.PROCESS, 0.5, 0.5)},
            {"other (merged)", OTHER_COLOR}};

    private SvgFlameGraph() {}

    public static String toSvg(FlameGraph graph, Options options) {
        StringWriter w = new StringWriter();
        try {
            write(graph, options, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    public static void write(FlameGraph graph, Options options, Writer out) throws IOException {
        FlameNode root = graph.root();
        long total = Math.max(0, root.total());
        double usable = options.width() - 2.0 * PAD;
        int depth = total == 0 ? 0 : maxVisibleDepth(root, total, usable, options.minFrameWidth());
        int height = TOP + (depth + 1) * options.frameHeight() + BOTTOM;
        String unit = graph.unit() == null || graph.unit().isEmpty() ? "samples" : graph.unit();

        StringBuilder b = new StringBuilder(4096);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(options.width())
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(options.width()).append(' ')
                .append(height).append("\" data-total=\"").append(total).append("\" data-unit=\"");
        escape(unit, b);
        b.append("\" data-min-width=\"").append(num(options.minFrameWidth())).append("\" data-char-width=\"")
                .append(num(CHAR_WIDTH * options.fontSize())).append("\">\n");
        b.append("<style>\n")
                .append("text { font-family: ").append(FONT).append("; font-size: ").append(options.fontSize())
                .append("px; fill: rgb(0,0,0); }\n")
                .append("#title { font-size: ").append(options.fontSize() + 5).append("px; }\n")
                .append("#subtitle, #details, #matched, .legend text { fill: rgb(80,80,80); }\n")
                .append(".button { cursor: pointer; fill: rgb(40,40,160); }\n")
                .append("#reset { opacity: 0; }\n")
                .append("g.frame { cursor: pointer; }\n")
                .append("g.frame text { pointer-events: none; }\n")
                .append("g.frame:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; }\n")
                .append("g.frame.ancestor { opacity: 0.5; }\n")
                .append("g.frame.match rect { fill: rgb(230,0,230); }\n")
                .append("</style>\n");
        b.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(options.width()).append("\" height=\"")
                .append(height).append("\" fill=\"rgb(248,248,248)\"/>\n");
        text(b, "title", null, options.width() / 2.0, 24, "middle", options.title());
        text(b, "subtitle", null, options.width() / 2.0, 42, "middle",
                options.subtitle() != null ? options.subtitle() : subtitle(graph, total, unit));
        text(b, "reset", "button", PAD, 24, "start", "Reset Zoom");
        text(b, "search", "button", options.width() - PAD, 24, "end", "Search");
        text(b, "matched", null, options.width() - PAD, 42, "end", "");
        out.write(b.toString());
        b.setLength(0);

        if (total == 0) {
            text(b, "empty", null, options.width() / 2.0, TOP + options.frameHeight(), "middle", "No samples");
        } else {
            frames(root, total, unit, options, height, out, b);
        }
        legend(b, options, height - 30);
        text(b, "details", null, PAD, height - 10, "start", " ");
        b.append("<script type=\"text/ecmascript\"><![CDATA[\n").append(SCRIPT).append("]]></script>\n");
        b.append("</svg>\n");
        out.write(b.toString());
    }

    private static String subtitle(FlameGraph graph, long total, String unit) {
        String s = String.format(Locale.ROOT, "%,d samples", graph.samples());
        if (!unit.equals("samples")) {
            s += String.format(Locale.ROOT, ", %,d %s", total, unit);
        }
        if (graph.minTotal() > 0) {
            s += String.format(Locale.ROOT, "; frames under %,d %s merged into \"%s\"", graph.minTotal(), unit,
                    FlameNode.OTHER);
        }
        return s;
    }

    private static void legend(StringBuilder b, Options options, int y) {
        b.append("<g class=\"legend\">\n");
        double x = PAD;
        for (String[] entry : LEGEND) {
            b.append("<rect x=\"").append(num(x)).append("\" y=\"").append(y - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(entry[1]).append("\"/>");
            text(b, null, null, x + 14, y, "start", entry[0]);
            x += 14 + entry[0].length() * CHAR_WIDTH * options.fontSize() + 16;
        }
        b.append("</g>\n");
    }

    /** Writes every visible frame, parents before children, one {@code <g class="frame">} each. */
    private static void frames(FlameNode root, long total, String unit, Options options, int height, Writer out,
                               StringBuilder b) throws IOException {
        double usable = options.width() - 2.0 * PAD;
        double scale = usable / total;
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {root, 0L, 0});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            FlameNode node = (FlameNode) item[0];
            long offset = (Long) item[1];
            int depth = (Integer) item[2];
            double w = node.total() * scale;
            if (w < options.minFrameWidth() || node.total() <= 0) {
                continue;
            }
            double x = PAD + offset * scale;
            double y = height - BOTTOM - (depth + 1.0) * options.frameHeight();
            frame(b, node, depth == 0, offset, depth, x, y, w, total, unit, options);
            if (b.length() > 1 << 16) {
                out.write(b.toString());
                b.setLength(0);
            }
            long childOffset = offset;
            Object[][] children = new Object[node.children().size()][];
            int i = 0;
            for (FlameNode child : node.children()) {
                children[i++] = new Object[] {child, childOffset, depth + 1};
                childOffset += Math.max(0, child.total());
            }
            for (int j = children.length - 1; j >= 0; j--) {
                todo.push(children[j]);
            }
        }
        out.write(b.toString());
        b.setLength(0);
    }

    private static void frame(StringBuilder b, FlameNode node, boolean root, long offset, int depth, double x, double y,
                              double w, long total, String unit, Options options) {
        String info = info(node, total, unit);
        b.append("<g class=\"frame\" data-x=\"").append(offset).append("\" data-w=\"").append(node.total())
                .append("\" data-d=\"").append(depth).append("\" data-n=\"");
        escape(node.name(), b);
        b.append("\" data-info=\"");
        escape(info, b);
        b.append("\"><title>");
        escape(info, b);
        b.append("</title><rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                .append(num(w)).append("\" height=\"").append(options.frameHeight() - 1).append("\" rx=\"2\" fill=\"")
                .append(root ? ROOT_COLOR : node.isOther() || node.kind() == null ? OTHER_COLOR : color(node))
                .append("\"/><text x=\"").append(num(x + 3)).append("\" y=\"")
                .append(num(y + options.frameHeight() / 2.0 + options.fontSize() * 0.35)).append("\">");
        escape(label(node.name(), w, options.fontSize()), b);
        b.append("</text></g>\n");
    }

    /** The tooltip: name, module, value in the unit, and share of the graph. */
    static String info(FlameNode node, long total, String unit) {
        StringBuilder s = new StringBuilder(node.name());
        if (node.module() != null && !node.module().isEmpty()) {
            s.append(" (").append(node.module()).append(')');
        }
        if (node.isOther()) {
            s.append(String.format(Locale.ROOT, " [%,d frames merged]", node.prunedNodes()));
        }
        s.append(String.format(Locale.ROOT, ": %,d %s, %.2f%%", node.total(), unit, 100.0 * node.total() / total));
        return s.toString();
    }

    /** The name cut to the frame's width with {@code ..}, or "" when not even 3 characters fit. */
    static String label(String name, double widthPx, int fontSize) {
        int fit = (int) ((widthPx - 6) / (fontSize * CHAR_WIDTH));
        if (fit < 3) {
            return "";
        }
        if (name.length() <= fit) {
            return name;
        }
        return name.substring(0, fit - 2) + "..";
    }

    private static int maxVisibleDepth(FlameNode root, long total, double usable, double minWidth) {
        int max = 0;
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {root, 0});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            FlameNode node = (FlameNode) item[0];
            int depth = (Integer) item[1];
            if (node.total() <= 0 || node.total() * usable / total < minWidth) {
                continue;
            }
            max = Math.max(max, depth);
            for (FlameNode child : node.children()) {
                todo.push(new Object[] {child, depth + 1});
            }
        }
        return max;
    }

    private static String color(FlameNode node) {
        long h = 0xcbf29ce484222325L;
        String name = node.name();
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        double v1 = ((h >>> 8) & 0xFFFF) / 65536.0;
        double v2 = ((h >>> 32) & 0xFFFF) / 65536.0;
        return color(node.kind(), v1, v2);
    }

    /** A colour of the kind's hue; {@code v1} and {@code v2} in [0, 1) pick the shade. */
    static String color(FrameKind kind, double v1, double v2) {
        int r;
        int g;
        int b;
        switch (kind) {
            case KERNEL -> { // orange
                r = 230 + (int) (25 * v1);
                g = 120 + (int) (60 * v2);
                b = (int) (40 * v1);
            }
            case JIT -> { // green
                r = 50 + (int) (60 * v1);
                g = 175 + (int) (55 * v2);
                b = 50 + (int) (60 * v1);
            }
            case INLINED -> { // aqua
                r = 50 + (int) (60 * v1);
                g = 185 + (int) (45 * v2);
                b = 185 + (int) (45 * v2);
            }
            case INTERPRETED -> { // blue
                r = 105 + (int) (50 * v1);
                g = 150 + (int) (50 * v1);
                b = 220 + (int) (35 * v2);
            }
            case PROCESS -> { // lavender
                r = 175 + (int) (30 * v1);
                g = 150 + (int) (30 * v2);
                b = 215 + (int) (30 * v1);
            }
            default -> { // USER, NATIVE: red to yellow, as flamegraph.pl's "hot"
                r = 205 + (int) (50 * v2);
                g = (int) (230 * v1);
                b = (int) (55 * v2);
            }
        }
        return "rgb(" + r + "," + g + "," + b + ")";
    }

    private static void text(StringBuilder b, String id, String cls, double x, double y, String anchor, String s) {
        b.append("<text ");
        if (id != null) {
            b.append("id=\"").append(id).append("\" ");
        }
        if (cls != null) {
            b.append("class=\"").append(cls).append("\" ");
        }
        b.append("x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor)
                .append("\">");
        escape(s, b);
        b.append("</text>\n");
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * XML text and attribute escaping; characters XML 1.0 cannot hold (controls other than tab and
     * line breaks, lone surrogates, U+FFFE, U+FFFF) become U+FFFD.
     */
    static void escape(String s, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\t', '\n', '\r' -> b.append("&#").append((int) c).append(';');
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    /** The viewer: zoom, search and details, reading each frame's data-* attributes. */
    private static final String SCRIPT = """
            (function () {
              "use strict";
              var svg = document.documentElement;
              var frames = Array.prototype.slice.call(document.querySelectorAll("g.frame"));
              var width = +svg.getAttribute("width"), pad = 10;
              var total = +svg.getAttribute("data-total");
              var minWidth = +svg.getAttribute("data-min-width");
              var charWidth = +svg.getAttribute("data-char-width");
              var details = document.getElementById("details");
              var matched = document.getElementById("matched");
              var reset = document.getElementById("reset");
              var searchButton = document.getElementById("search");
              var zoomed = null, term = null, ignoreCase = false;

              function num(g, name) { return +g.getAttribute(name); }

              function fit(g, w) {
                var name = g.getAttribute("data-n"), n = Math.floor((w - 6) / charWidth);
                var t = g.querySelector("text");
                t.textContent = n < 3 ? "" : name.length <= n ? name : name.substring(0, n - 2) + "..";
              }

              function layout() {
                var zx = 0, zw = total, zd = 0;
                if (zoomed) { zx = num(zoomed, "data-x"); zw = num(zoomed, "data-w"); zd = num(zoomed, "data-d"); }
                var scale = (width - 2 * pad) / zw;
                frames.forEach(function (g) {
                  var x = num(g, "data-x"), w = num(g, "data-w"), d = num(g, "data-d");
                  var above = d >= zd && x >= zx && x + w <= zx + zw;
                  var ancestor = d < zd && x <= zx && x + w >= zx + zw;
                  var px = ancestor ? width - 2 * pad : w * scale;
                  if (!(above || ancestor) || px < minWidth) { g.style.display = "none"; return; }
                  g.style.display = "";
                  var left = ancestor ? pad : pad + (x - zx) * scale;
                  var r = g.querySelector("rect"), t = g.querySelector("text");
                  r.setAttribute("x", left.toFixed(2));
                  r.setAttribute("width", px.toFixed(2));
                  t.setAttribute("x", (left + 3).toFixed(2));
                  if (ancestor) { g.classList.add("ancestor"); } else { g.classList.remove("ancestor"); }
                  fit(g, px);
                });
                reset.style.opacity = zoomed ? "1" : "0";
              }

              function zoom(g) {
                zoomed = g && num(g, "data-d") > 0 ? g : null;
                layout();
              }

              function search(t) {
                term = t;
                if (!term) {
                  frames.forEach(function (g) { g.classList.remove("match"); });
                  matched.textContent = "";
                  searchButton.textContent = "Search";
                  return;
                }
                var re;
                try { re = new RegExp(term, ignoreCase ? "i" : ""); } catch (e) { matched.textContent = "Bad regex"; return; }
                var spans = [];
                frames.forEach(function (g) {
                  if (re.test(g.getAttribute("data-n"))) {
                    g.classList.add("match");
                    spans.push([num(g, "data-x"), num(g, "data-x") + num(g, "data-w")]);
                  } else {
                    g.classList.remove("match");
                  }
                });
                spans.sort(function (a, b) { return a[0] - b[0]; });
                var sum = 0, end = -1;
                spans.forEach(function (s) {
                  if (s[0] >= end) { sum += s[1] - s[0]; end = s[1]; }
                  else if (s[1] > end) { sum += s[1] - end; end = s[1]; }
                });
                matched.textContent = "Matched: " + (total > 0 ? (100 * sum / total).toFixed(1) : "0") + "%"
                    + (ignoreCase ? " (ignoring case)" : "");
                searchButton.textContent = "Clear";
              }

              function ask() {
                var t = window.prompt("Search for a regular expression" + (ignoreCase ? " (ignoring case)" : ""),
                    term || "");
                if (t !== null) { search(t); }
              }

              frames.forEach(function (g) {
                g.addEventListener("click", function () { zoom(g); });
                g.addEventListener("mouseover", function () { details.textContent = g.getAttribute("data-info"); });
                g.addEventListener("mouseout", function () { details.textContent = " "; });
              });
              reset.addEventListener("click", function () { zoom(null); });
              searchButton.addEventListener("click", function () { if (term) { search(null); } else { ask(); } });
              window.addEventListener("keydown", function (e) {
                if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F")) { e.preventDefault(); ask(); }
                else if ((e.ctrlKey || e.metaKey) && (e.key === "i" || e.key === "I")) {
                  e.preventDefault(); ignoreCase = !ignoreCase; if (term) { search(term); }
                }
                else if (e.key === "Escape") { search(null); }
              });
            })();
            """;
}
