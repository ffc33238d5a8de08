package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The SVG is well-formed XML, draws exactly the visible frames, escapes names and has its legend. */
class SvgFlameGraphTest {

    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final String NASTY = "<script>alert(\"x\" & 'y')</script>";

    private static FlameNode node(String name, FrameKind kind, String module, long self, FlameNode... children) {
        long total = self;
        for (FlameNode c : children) {
            total += c.total();
        }
        return new FlameNode(name, kind, module, self, total, List.of(children), 0);
    }

    /** all (1,000,000) > java > [<script>, Interpreter > putVal], do_idle, a frame too narrow to draw, other. */
    private static FlameGraph graph() {
        FlameNode putVal = node("java/util/HashMap.putVal", FrameKind.INLINED, "/tmp/perf-1.map", 100_000);
        FlameNode interpreter = node("Interpreter", FrameKind.JIT, "/tmp/perf-1.map", 200_000, putVal);
        FlameNode nasty = node(NASTY, FrameKind.USER, "/tmp/a&b.so", 150_000);
        FlameNode java = node("java", FrameKind.PROCESS, "", 0, interpreter, nasty);
        FlameNode idle = node("do_idle", FrameKind.KERNEL, "[kernel.kallsyms]", 300_000,
                node("interpreted", FrameKind.INTERPRETED, "", 20_000));
        FlameNode tiny = node("tiny", FrameKind.USER, "", 10, node("tinier", FrameKind.USER, "", 5));
        FlameNode other = new FlameNode(FlameNode.OTHER, null, "", 229_985, 229_985, List.of(), 7);
        FlameNode root = node("all", null, "", 0, java, idle, other, tiny);
        return new FlameGraph(root, "ns", 200, 1000);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> frames(Document doc) {
        List<Element> out = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS(SVG, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("frame")) {
                out.add(g);
            }
        }
        return out;
    }

    /** Visible nodes counted independently: at least minWidth pixels of the usable width, and a visible parent. */
    private static int visible(FlameNode n, long total, double usable, double minWidth) {
        if (n.total() * usable / total < minWidth) {
            return 0;
        }
        int count = 1;
        for (FlameNode c : n.children()) {
            count += visible(c, total, usable, minWidth);
        }
        return count;
    }

    @Test
    void drawsOneRectPerVisibleNode() throws Exception {
        FlameGraph g = graph();
        Document doc = parse(SvgFlameGraph.toSvg(g, SvgFlameGraph.Options.DEFAULT));
        List<Element> frames = frames(doc);
        int expected = visible(g.root(), g.root().total(), 1200 - 20, 0.1);
        assertThat(expected).isEqualTo(8); // tiny and tinier are 0.01 px wide
        assertThat(frames).hasSize(expected);
        for (Element frame : frames) {
            assertThat(frame.getElementsByTagNameNS(SVG, "rect").getLength()).isEqualTo(1);
        }
        assertThat(frames).extracting(e -> e.getAttribute("data-n")).doesNotContain("tiny", "tinier");

        // a wider minimum hides more
        Document wide = parse(SvgFlameGraph.toSvg(g, SvgFlameGraph.Options.DEFAULT.withMinFrameWidth(100)));
        assertThat(frames(wide)).hasSize(visible(g.root(), g.root().total(), 1180, 100));
    }

    @Test
    void framesAreAsWideAsTheirTotal() throws Exception {
        Document doc = parse(SvgFlameGraph.toSvg(graph(), SvgFlameGraph.Options.DEFAULT.withWidth(810)));
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("810");
        for (Element f : frames(doc)) {
            Element rect = (Element) f.getElementsByTagNameNS(SVG, "rect").item(0);
            double expected = Long.parseLong(f.getAttribute("data-w")) * 790.0 / 1_000_000;
            assertThat(Double.parseDouble(rect.getAttribute("width"))).isCloseTo(expected, org.assertj.core.data.Offset
                    .offset(0.01));
        }
    }

    @Test
    void namesAreEscapedNotInjected() throws Exception {
        String svg = SvgFlameGraph.toSvg(graph(), SvgFlameGraph.Options.DEFAULT);
        assertThat(svg).doesNotContain(NASTY).contains("&lt;script&gt;");
        Document doc = parse(svg);
        assertThat(doc.getElementsByTagNameNS(SVG, "script").getLength()).isEqualTo(1); // the viewer's own
        Element nasty = frames(doc).stream().filter(e -> e.getAttribute("data-n").equals(NASTY)).findFirst().orElseThrow();
        assertThat(nasty.getElementsByTagNameNS(SVG, "title").item(0).getTextContent())
                .isEqualTo(NASTY + " (/tmp/a&b.so): 150,000 ns, 15.00%");
        assertThat(nasty.getElementsByTagNameNS(SVG, "text").item(0).getTextContent()).startsWith("<script>");
    }

    @Test
    void charactersXmlCannotHoldAreReplaced() throws Exception {
        FlameNode bad = node("a\u0001b\uD800c\tend", FrameKind.USER, "", 10);
        FlameGraph g = new FlameGraph(node("all", null, "", 0, bad), "samples", 10, 0);
        Document doc = parse(SvgFlameGraph.toSvg(g, SvgFlameGraph.Options.DEFAULT));
        assertThat(frames(doc).get(1).getAttribute("data-n")).isEqualTo("a\uFFFDb\uFFFDc\tend");
    }

    @Test
    void hasTheLegendTitleSubtitleAndControls() throws Exception {
        Document doc = parse(SvgFlameGraph.toSvg(graph(), SvgFlameGraph.Options.DEFAULT.withTitle("CPU <java>")));
        assertThat(text(doc, "title")).isEqualTo("CPU <java>");
        assertThat(text(doc, "subtitle")).isEqualTo("200 samples, 1,000,000 ns; frames under 1,000 ns merged into \"other\"");
        assertThat(text(doc, "reset")).isEqualTo("Reset Zoom");
        assertThat(text(doc, "search")).isEqualTo("Search");
        assertThat(doc.getElementById("matched")).isNull(); // ids are not declared without a DTD: look them up
        Element legend = null;
        NodeList gs = doc.getElementsByTagNameNS(SVG, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            if (((Element) gs.item(i)).getAttribute("class").equals("legend")) {
                legend = (Element) gs.item(i);
            }
        }
        assertThat(legend).isNotNull();
        List<String> labels = new ArrayList<>();
        NodeList texts = legend.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < texts.getLength(); i++) {
            labels.add(texts.item(i).getTextContent());
        }
        assertThat(labels).containsExactly("kernel", "JIT", "inlined", "interpreted", "user / native", "process",
                "other (merged)");
        assertThat(legend.getElementsByTagNameNS(SVG, "rect").getLength()).isEqualTo(labels.size());
    }

    @Test
    void coloursFollowTheKindAndStayTheSamePerName() throws Exception {
        Document doc = parse(SvgFlameGraph.toSvg(graph(), SvgFlameGraph.Options.DEFAULT));
        assertThat(rgb(fill(doc, "do_idle"))).satisfies(c -> assertThat(c[0] > c[1] && c[1] > c[2]).isTrue()); // orange
        assertThat(rgb(fill(doc, "Interpreter"))).satisfies(c -> assertThat(c[1] > c[0] && c[1] > c[2]).isTrue()); // green
        int[] aqua = rgb(fill(doc, "java/util/HashMap.putVal"));
        assertThat(aqua[1] > aqua[0] && aqua[2] > aqua[0]).isTrue();
        assertThat(fill(doc, FlameNode.OTHER)).isEqualTo("rgb(160,160,160)");
        Document again = parse(SvgFlameGraph.toSvg(graph(), SvgFlameGraph.Options.DEFAULT.withWidth(600)));
        assertThat(fill(again, "do_idle")).isEqualTo(fill(doc, "do_idle"));
    }

    @Test
    void labelsAreCutToFit() {
        assertThat(SvgFlameGraph.label("Interpreter", 200, 12)).isEqualTo("Interpreter");
        assertThat(SvgFlameGraph.label("Interpreter", 6 + 7 * 12 * 0.59 + 0.01, 12)).isEqualTo("Inter..");
        assertThat(SvgFlameGraph.label("Interpreter", 20, 12)).isEmpty();
    }

    @Test
    void anEmptyGraphSaysSo() throws Exception {
        FlameGraph empty = new FlameGraph(new FlameNode("all", null, "", 0, 0, List.of(), 0), "samples", 0, 0);
        Document doc = parse(SvgFlameGraph.toSvg(empty, SvgFlameGraph.Options.DEFAULT));
        assertThat(frames(doc)).isEmpty();
        assertThat(text(doc, "empty")).isEqualTo("No samples");
    }

    @Test
    void refusesSillyOptions() {
        assertThatThrownBy(() -> SvgFlameGraph.Options.DEFAULT.withWidth(10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(Document doc, String id) {
        NodeList texts = doc.getElementsByTagNameNS(SVG, "text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if (t.getAttribute("id").equals(id)) {
                return t.getTextContent();
            }
        }
        return null;
    }

    private static String fill(Document doc, String name) {
        for (Element f : frames(doc)) {
            if (f.getAttribute("data-n").equals(name)) {
                Node rect = f.getElementsByTagNameNS(SVG, "rect").item(0);
                return ((Element) rect).getAttribute("fill");
            }
        }
        throw new AssertionError("no frame " + name);
    }

    private static int[] rgb(String fill) {
        String[] p = fill.substring(4, fill.length() - 1).split(",");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }
}
