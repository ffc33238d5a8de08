package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PercentilePlotTest {

    static final String SVG = "http://www.w3.org/2000/svg";

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document d, String tag, String cls) {
        NodeList nodes = d.getElementsByTagNameNS(SVG, tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls == null || e.getAttribute("class").equals(cls)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The points of a polyline as {x, y} pairs. */
    static List<double[]> points(Element polyline) {
        List<double[]> points = new ArrayList<>();
        String text = polyline.getAttribute("points").trim();
        if (text.isEmpty()) {
            return points;
        }
        for (String pair : text.split(" ")) {
            String[] xy = pair.split(",");
            points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return points;
    }

    /** The x of each x-axis tick label, by label. */
    static Map<String, Double> xTicks(Document d) {
        Map<String, Double> ticks = new HashMap<>();
        for (Element e : elements(d, "text", "x-tick")) {
            ticks.put(e.getTextContent(), Double.parseDouble(e.getAttribute("x")));
        }
        return ticks;
    }

    private static BenchResult twoTargets() {
        return Fixtures.result(
                Fixtures.ok("python", Fixtures.twoValues(10_000, MS, 100, 50 * MS)),
                Fixtures.ok("rust", Fixtures.uniformMicros(1000)));
    }

    @Test
    void aValidStandaloneSvgWithOneLinePerTarget() throws Exception {
        String svg = PercentilePlot.svg(twoTargets());
        Document d = parse(svg);

        Element root = d.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(SVG);
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("viewBox")).matches("0 0 \\d+ \\d+");
        List<Element> lines = elements(d, "polyline", "series");
        assertThat(lines).extracting(e -> e.getAttribute("data-target")).containsExactly("python", "rust");
        assertThat(lines).extracting(e -> e.getAttribute("stroke")).doesNotHaveDuplicates();
        assertThat(svg).doesNotContain("<script").doesNotContain("href");
    }

    @Test
    void xIsTheLogOfOneOverOneMinusPAndMonotonic() throws Exception {
        Document d = parse(PercentilePlot.svg(twoTargets()));
        Map<String, Double> ticks = xTicks(d);

        // rust's 1,000 values have reporting points past 99.9% (python's stop near 99.06%): the axis
        // ends at the next nine, 99.99%.
        assertThat(ticks).containsOnlyKeys("0%", "90%", "99%", "99.9%", "99.99%");
        double zero = ticks.get("0%");
        double nine = ticks.get("90%") - zero;
        assertThat(nine).isPositive();
        assertThat(ticks.get("99%") - zero).isCloseTo(2 * nine, within(0.11));
        assertThat(ticks.get("99.9%") - zero).isCloseTo(3 * nine, within(0.11));
        assertThat(ticks.get("99.99%") - zero).isCloseTo(4 * nine, within(0.11));

        for (Element line : elements(d, "polyline", "series")) {
            List<double[]> points = points(line);
            assertThat(points).hasSizeGreaterThan(10);
            assertThat(points.get(0)[0]).isEqualTo(zero);
            for (int i = 1; i < points.size(); i++) {
                assertThat(points.get(i)[0]).as(line.getAttribute("data-target") + " point " + i)
                        .isGreaterThanOrEqualTo(points.get(i - 1)[0]);
            }
            // The maximum, at 100%, sits at the right edge.
            assertThat(points.get(points.size() - 1)[0]).isEqualTo(ticks.get("99.99%"));
        }
        // Reporting points land where log10(1/(1-p)) puts them: 50% (1/(1-p) = 2), 90% (10), and
        // 98.4375% (64), all ticks of HdrHistogram's iteration.
        List<double[]> rust = points(elements(d, "polyline", "series").get(1));
        for (double inverse : new double[] {2, 10, 64}) {
            double x = zero + nine * Math.log10(inverse);
            assertThat(rust).as("a point at 1/(1-p) = " + inverse).anyMatch(p -> Math.abs(p[0] - x) < 0.051);
        }
        assertThat(rust).anyMatch(p -> Math.abs(p[0] - ticks.get("90%")) < 0.051);
    }

    @Test
    void yIsLinearInMillisecondsUpToARoundedMaximum() throws Exception {
        Document d = parse(PercentilePlot.svg(twoTargets()));
        Map<Double, Double> yOfLabel = new TreeMap<>();
        for (Element e : elements(d, "text", "y-tick")) {
            yOfLabel.put(Double.parseDouble(e.getTextContent()), Double.parseDouble(e.getAttribute("y")));
        }
        // Largest maximum 50.004 ms: ticks every 20 ms up to 60.
        assertThat(yOfLabel).containsOnlyKeys(0.0, 20.0, 40.0, 60.0);
        double per20 = yOfLabel.get(0.0) - yOfLabel.get(20.0);
        assertThat(yOfLabel.get(0.0) - yOfLabel.get(60.0)).isCloseTo(3 * per20, within(0.11));

        // python's line: 1 ms at the start, 50.004 ms at the end (labels sit 4 px under their line).
        List<double[]> python = points(elements(d, "polyline", "series").get(0));
        double zeroY = yOfLabel.get(0.0) - 4;
        double pxPerMs = per20 / 20;
        assertThat(python.get(0)[1]).isCloseTo(zeroY - 1.000447 * pxPerMs, within(0.11));
        assertThat(python.get(python.size() - 1)[1]).isCloseTo(zeroY - 50.003967 * pxPerMs, within(0.11));
    }

    @Test
    void namesFromUsersAreEscaped() throws Exception {
        String name = "a<b>&\"c'</text><script>x</script>";
        BenchResult r = Fixtures.result(Fixtures.ok(name, Fixtures.twoValues(100, MS, 0, 0)),
                Fixtures.ok("ctl\u0001", Fixtures.twoValues(100, MS, 0, 0)));
        String svg = PercentilePlot.svg(r);

        assertThat(svg).doesNotContain(name).doesNotContain("<script").contains("a&lt;b&gt;&amp;&quot;c&#39;");
        Document d = parse(svg);
        assertThat(elements(d, "polyline", "series")).extracting(e -> e.getAttribute("data-target"))
                .containsExactly(name, "ctl\uFFFD");
        assertThat(elements(d, "text", "legend-entry")).extracting(Element::getTextContent)
                .containsExactly(name + "p99 1.00ms", "ctl\uFFFDp99 1.00ms");
    }

    @Test
    void theLegendAndTitleSayWhatIsPlotted() throws Exception {
        RunSettings rate = new RunSettings(Mode.RATE, 8, 2000, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), 0, 1);
        BenchResult r = Fixtures.result(rate, Fixtures.ok("python", Fixtures.twoValues(10_000, MS, 100, 50 * MS)),
                new TargetResult("down", "http://localhost:1/", "GET", 1, 0, 0, new TreeMap<>(),
                        new TreeMap<>(Map.of("connect", 3L)), Fixtures.histogram(), null));
        Document d = parse(PercentilePlot.svg(r));

        assertThat(elements(d, "text", "title").get(0).getTextContent())
                .isEqualTo("Latency by percentile, constant rate 2,000 requests/s");
        assertThat(elements(d, "text", "legend-entry")).extracting(Element::getTextContent)
                .containsExactly("pythonp99 1.00ms", "downno answers");
        assertThat(elements(d, "text", "x-label").get(0).getTextContent()).isEqualTo("percentile");
        assertThat(elements(d, "text", "y-label").get(0).getTextContent()).isEqualTo("latency (ms)");
        assertThat(elements(d, "line", "grid")).hasSizeGreaterThan(6);
        // The target without answers still has its (empty) line, so lines and legend match one to one.
        assertThat(elements(d, "polyline", "series")).hasSize(2);
        assertThat(points(elements(d, "polyline", "series").get(1))).isEmpty();
    }

    @Test
    void linesAreCappedInPoints() {
        List<Distribution.Point> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new Distribution.Point(100.0 * i / 1000, i, i));
        }
        List<Distribution.Point> thin = PercentilePlot.thin(many);

        assertThat(thin).hasSize(PercentilePlot.MAX_POINTS);
        assertThat(thin.get(0)).isSameAs(many.get(0));
        assertThat(thin.get(thin.size() - 1)).isSameAs(many.get(999));
        assertThat(thin).isSortedAccordingTo((a, b) -> Double.compare(a.percentile(), b.percentile()));
        assertThat(PercentilePlot.thin(many.subList(0, 300))).hasSize(300);
    }

    @Test
    void aLargeRunStaysSmall() throws Exception {
        Histogram h = Fixtures.histogram();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200_000; i++) {
            h.recordValue(200_000 + (long) (random.nextDouble() * random.nextDouble() * 80 * MS));
        }
        String svg = PercentilePlot.svg(Fixtures.result(Fixtures.ok("big", h)));
        Document d = parse(svg);

        assertThat(points(elements(d, "polyline", "series").get(0))).hasSizeBetween(50, PercentilePlot.MAX_POINTS);
        assertThat(svg.length()).isLessThan(40_000);
    }

    @Test
    void niceStepsAndNinesLabels() {
        assertThat(PercentilePlot.niceStep(50.004)).isEqualTo(20);
        assertThat(PercentilePlot.niceStep(1.0)).isEqualTo(0.2);
        assertThat(PercentilePlot.niceStep(12)).isEqualTo(2.5);
        assertThat(PercentilePlot.niceStep(333.45)).isEqualTo(100);
        assertThat(PercentilePlot.ninesLabel(0)).isEqualTo("0%");
        assertThat(PercentilePlot.ninesLabel(2)).isEqualTo("99%");
        assertThat(PercentilePlot.ninesLabel(5)).isEqualTo("99.999%");
        assertThat(PercentilePlot.nines(90)).isCloseTo(1, within(1e-9));
        assertThat(PercentilePlot.nines(99.9)).isCloseTo(3, within(1e-9));
    }
    @Test
    void aLongSubtitleIsSplitAtTheCommaNearestItsMiddle() {
        assertThat(PercentilePlot.subtitleLines("short, line", 140)).containsExactly("short, line");
        String longLine = "constant rate 2,000 requests/s per target (latency from intended send times), 8 connections per"
                + " target, warm-up 2s, 6s measured per target, 5 interleaved rounds; started 2026-12-01 11:21:00 UTC";
        java.util.List<String> lines = PercentilePlot.subtitleLines(longLine, 140);
        assertThat(lines).hasSize(2);
        assertThat(String.join(" ", lines)).isEqualTo(longLine);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(110));
    }
}
