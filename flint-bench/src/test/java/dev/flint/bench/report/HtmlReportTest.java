package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String EVIL = "rust <&\"x'>";
    private static final String TRACE = "http://localhost:7071/admin/traces/t1?from=1&to=2";

    /** A baseline with p99 2 ms and failures, against a target of 1 ms throughout with a trace. */
    private static BenchResult compare(String traceUrl) {
        TargetResult python = new TargetResult("python", "http://localhost:7071/api/python", "GET", 10_000_000_000L,
                10_000, 2_500_000, new TreeMap<>(Map.of(200, 9990L, 503, 10L)), new TreeMap<>(Map.of("timeout", 2L)),
                Fixtures.twoValues(9000, MS, 1000, 2 * MS), null);
        TargetResult rust = new TargetResult(EVIL, "http://localhost:7071/api/rust?a=1&b=<2>", "GET", 5_000_000_000L,
                10_000, 2_500_000, new TreeMap<>(Map.of(200, 10_000L)), new TreeMap<>(), Fixtures.twoValues(10_000, MS, 0, 0),
                traceUrl);
        RunSettings s = new RunSettings(Mode.RATE, 64, 1000, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(10),
                0, 3);
        return Fixtures.result(s, python, rust);
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> all(Document d) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = d.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    private static List<Element> html(Document d, String tag) {
        return all(d).stream().filter(e -> XHTML.equals(e.getNamespaceURI()) && e.getLocalName().equals(tag)).toList();
    }

    private static List<String> cells(Element row) {
        List<String> cells = new ArrayList<>();
        NodeList children = row.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                cells.add(e.getTextContent());
            }
        }
        return cells;
    }

    /** The summary table's rows by label, cells without the blank ratio cells. */
    private static Map<String, List<String>> summaryRows(Document d) {
        Element table = html(d, "table").stream().filter(t -> t.getAttribute("class").equals("summary")).findFirst()
                .orElseThrow();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        NodeList trs = table.getElementsByTagNameNS(XHTML, "tr");
        for (int i = 0; i < trs.getLength(); i++) {
            List<String> cells = cells((Element) trs.item(i));
            if (cells.size() > 1 && !cells.get(0).isEmpty()) { // not the header row
                rows.put(cells.get(0), cells.subList(1, cells.size()).stream().filter(c -> !c.isEmpty()).toList());
            }
        }
        return rows;
    }

    @Test
    void aWellFormedPageWithThePlotInline() throws Exception {
        BenchResult result = compare(TRACE);
        String page = HtmlReport.render(result);
        Document d = parse(page);

        assertThat(page).startsWith("<!DOCTYPE html>\n");
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(html(d, "title").get(0).getTextContent()).isEqualTo("flint bench: python vs " + EVIL);
        assertThat(html(d, "h1").get(0).getTextContent()).isEqualTo("flint bench: python vs " + EVIL);
        List<Element> svgs = all(d).stream().filter(e -> e.getLocalName().equals("svg")).toList();
        assertThat(svgs).hasSize(1);
        assertThat(svgs.get(0).getNamespaceURI()).isEqualTo(PercentilePlotTest.SVG);
        assertThat(((Element) svgs.get(0).getParentNode()).getAttribute("class")).isEqualTo("plot");
        assertThat(PercentilePlotTest.elements(d, "polyline", "series")).extracting(e -> e.getAttribute("data-target"))
                .containsExactly("python", EVIL);
    }

    @Test
    void nothingIsLoadedFromElsewhereAndOnlyTracesAreLinks() throws Exception {
        String page = HtmlReport.render(compare(TRACE));
        Document d = parse(page);

        List<String> urls = new ArrayList<>();
        for (Element e : all(d)) {
            NamedNodeMap attributes = e.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                boolean namespace = a.getName().equals("xmlns") || a.getName().startsWith("xmlns:");
                if (!namespace && (a.getValue().contains("://") || a.getLocalName().equals("href")
                        || a.getLocalName().equals("src"))) {
                    urls.add(e.getLocalName() + "." + e.getAttribute("class") + " " + a.getName() + "=" + a.getValue());
                }
            }
        }
        assertThat(urls).containsExactly("a.trace href=" + TRACE);
        assertThat(page).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContain("@import").doesNotContain("url(").doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<iframe");
    }

    @Test
    void aTraceUrlThatIsNotHttpIsOnlyText() throws Exception {
        Document d = parse(HtmlReport.render(compare("javascript:alert(1)")));

        assertThat(html(d, "a")).isEmpty();
        assertThat(html(d, "code")).extracting(Element::getTextContent).contains("javascript:alert(1)");
    }

    @Test
    void everythingFromUsersIsEscaped() {
        String page = HtmlReport.render(compare(TRACE));

        assertThat(page).doesNotContain(EVIL).doesNotContain("b=<2>").doesNotContain("from=1&to")
                .contains("rust &lt;&amp;&quot;x&#39;&gt;").contains("b=&lt;2&gt;").contains("from=1&amp;to=2");
    }

    @Test
    void theSummaryHasTheNumbersOfTheTextReport() throws Exception {
        BenchResult result = compare(TRACE);
        Map<String, List<String>> rows = summaryRows(parse(HtmlReport.render(result)));

        assertThat(rows.get("p99")).containsExactly("2.00ms", "1.00ms", "0.50x");
        assertThat(rows.get("p50")).containsExactly("1.00ms", "1.00ms", "1.00x");
        assertThat(rows.get("requests/s")).containsExactly("1,000.00", "2,000.00", "2.00x");
        assertThat(rows.get("status 503")).containsExactly("10", "0");
        assertThat(rows.get("error timeout")).containsExactly("2", "0");
        assertThat(rows.get("failed")).containsExactly("12 (0.12%)", "0");

        // Row for row, cell for cell, what the terminal shows.
        int compared = 0;
        for (String line : TextReport.render(result).lines().toList()) {
            List<String> tokens = Arrays.asList(line.trim().split("\\s{2,}"));
            if (line.startsWith("  ") && rows.containsKey(tokens.get(0)) && tokens.size() > 1) {
                assertThat(rows.get(tokens.get(0))).as(line).isEqualTo(tokens.subList(1, tokens.size()));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(rows.size()).isGreaterThan(15);
    }

    @Test
    void runDetailsFailuresAndDistributions() throws Exception {
        BenchResult result = compare(TRACE);
        Document d = parse(HtmlReport.render(result));

        Map<String, String> run = new LinkedHashMap<>();
        List<Element> dts = html(d, "dt");
        List<Element> dds = html(d, "dd");
        for (int i = 0; i < dts.size(); i++) {
            run.put(dts.get(i).getTextContent(), dds.get(i).getTextContent());
        }
        assertThat(run).containsEntry("started", "2025-06-01 10:00:00 UTC")
                .containsEntry("connections", "64 per target")
                .containsEntry("warm-up", "5s")
                .containsEntry("measured", "10s per target")
                .containsEntry("rounds", "3, interleaved");
        assertThat(run.get("mode")).startsWith("constant rate, 1,000 requests/s per target");

        List<Element> alerts = all(d).stream().filter(e -> e.getAttribute("class").equals("failed")).toList();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).getTextContent().trim())
                .isEqualTo("python: 12 of 10,002 requests failed (0.12%): status 503: 10, timeout: 2");

        List<Element> details = html(d, "details");
        assertThat(details).hasSize(2);
        for (int i = 0; i < 2; i++) {
            TargetResult t = result.targets().get(i);
            int points = Distribution.of(t.latency()).size();
            Element table = (Element) details.get(i).getElementsByTagNameNS(XHTML, "table").item(0);
            assertThat(((Element) table.getElementsByTagNameNS(XHTML, "tbody").item(0)).getElementsByTagNameNS(XHTML, "tr")
                    .getLength()).isEqualTo(points);
            assertThat(details.get(i).getElementsByTagNameNS(XHTML, "summary").item(0).getTextContent())
                    .isEqualTo(t.name() + ": " + points + " percentiles");
        }
        // python's last row is its maximum at 100%.
        NodeList pythonRows = details.get(0).getElementsByTagNameNS(XHTML, "tr");
        assertThat(cells((Element) pythonRows.item(pythonRows.getLength() - 1)))
                .containsExactly("100%", "2.001", "10,000", "∞");
    }

    @Test
    void noFailureBannerWhenNothingFailed() throws Exception {
        BenchResult ok = Fixtures.result(Fixtures.ok("a", Fixtures.twoValues(100, MS, 0, 0)));
        Document d = parse(HtmlReport.render(ok));

        assertThat(all(d)).noneMatch(e -> e.getAttribute("class").equals("failed"));
        assertThat(html(d, "title").get(0).getTextContent()).isEqualTo("flint bench: a");
    }
}
