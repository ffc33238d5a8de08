package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code flint trace} commands, as child JVMs, on the shared perf fixtures: what a user
 * types, what comes out, and the errors a wrong file gets.
 */
class TraceCommandTest {

    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FlintCli flint = new FlintCli();

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Repo.root().resolve("flint-trace/src/test/resources/traces").resolve(name);
    }

    private static Path expected(String name) {
        return Repo.root().resolve("flint-trace/src/test/resources/collapse").resolve(name);
    }

    private ChildProcess ran(String... args) {
        ChildProcess child = flint.run(args);
        assertThat(child.awaitExit(EXIT)).as("exit code\n%s", child.report()).isZero();
        return child;
    }

    @Test
    void collapsePrintsWhatStackcollapsePerfPlPrints() throws Exception {
        assertThat(ran("trace", "collapse", fixture("java-loop-200hz.perf.gz").toString()).stdout())
                .isEqualTo(Files.readString(expected("java-loop.folded")));
        Path out = dir.resolve("py.folded");
        ran("trace", "collapse", "--pid", fixture("python-loop-200hz.perf").toString(), "-o", out.toString());
        assertThat(Files.readString(out)).isEqualTo(Files.readString(expected("python-loop.pid.folded")));
    }

    @Test
    void infoSaysWhatATraceHolds() {
        String perf = ran("trace", "info", fixture("java-loop-200hz.perf.gz").toString()).stdout();
        assertThat(perf).contains("perf-script").contains("samples  2,002").contains("cpu-clock")
                .contains("10.028 s").contains("java");
        String folded = ran("trace", "info", fixture("java-loop-async-profiler.collapsed").toString()).stdout();
        assertThat(folded).contains("folded").contains("no timestamps");
    }

    @Test
    void heatmapJsonHasFlameScopesShapeAndCountsEverySample() throws Exception {
        JsonNode map = JSON.readTree(ran("trace", "heatmap", "--json", fixture("python-loop-200hz.perf").toString()).stdout());
        assertThat(map.path("columns").asInt()).isEqualTo(11);
        assertThat(map.path("rows").size()).isEqualTo(50);
        long sum = 0;
        for (JsonNode column : map.path("values")) {
            for (JsonNode cell : column) {
                sum += cell.asLong();
            }
        }
        assertThat(sum).isEqualTo(1989).isEqualTo(map.path("samples").asLong());
        String drawing = ran("trace", "heatmap", "--rows", "10", fixture("python-loop-200hz.perf").toString()).stdout();
        assertThat(drawing.lines().filter(l -> l.contains(" ms |")).count()).isEqualTo(10);
    }

    @Test
    void flameWritesAStandaloneSvgJsonAndSpeedscope() throws Exception {
        Path svg = dir.resolve("flame.svg");
        ran("trace", "flame", fixture("java-loop-200hz.perf.gz").toString(), "--start", "2", "--end", "4", "-o", svg.toString());
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(document.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(Files.readString(svg)).contains("Loop.sortWork");

        JsonNode graph = JSON.readTree(ran("trace", "flame", "--format", "json", fixture("java-loop-200hz.perf.gz").toString()).stdout());
        assertThat(graph.path("root").path("total").asLong()).isEqualTo(2002).isEqualTo(graph.path("samples").asLong());
        assertThat(graph.path("root").path("children").path(0).path("name").asText()).isEqualTo("java");

        JsonNode speedscope = JSON.readTree(ran("trace", "flame", "--format", "speedscope",
                fixture("java-loop-200hz.perf.gz").toString()).stdout());
        assertThat(speedscope.path("$schema").asText()).contains("speedscope");
        assertThat(speedscope.path("profiles").size()).isPositive();
    }

    @Test
    void diffOfTwoRangesStatesItsSemanticsAndListsChanges() throws Exception {
        String text = ran("trace", "diff", fixture("java-loop-200hz.perf.gz").toString(), "--a-start", "0", "--a-end", "5",
                "--b-start", "5", "--b-end", "11", "--top", "5").stdout();
        assertThat(text).startsWith("A is the baseline, B the target").contains("delta");
        assertThat(text.lines().filter(l -> l.matches("\\s*[+-]\\d+\\.\\d{3}%.*")).count()).isEqualTo(5);
        JsonNode json = JSON.readTree(ran("trace", "diff", "--json", fixture("java-loop-200hz.perf.gz").toString(),
                fixture("java-loop-async-profiler.collapsed").toString()).stdout());
        assertThat(json.path("semantics").asText()).isNotEmpty();
        assertThat(json.path("root").path("children").isArray()).isTrue();
    }

    @Test
    void invocationsSelectTheirSamplesAndLineUpInTheInvocationHeatMap() throws Exception {
        // The java fixture runs from 268.010080 s: 20 invocations of 200 ms, one every 500 ms.
        StringBuilder lines = new StringBuilder("# id start-ns end-ns\n");
        for (int i = 0; i < 20; i++) {
            long start = 268_010_080_000L + i * 500_000_000L;
            lines.append("inv").append(i).append(' ').append(start).append(' ').append(start + 200_000_000L).append('\n');
        }
        Path invocations = dir.resolve("invocations.txt");
        Files.writeString(invocations, lines);

        JsonNode graph = JSON.readTree(ran("trace", "flame", "--format", "json", "--invocations", invocations.toString(),
                fixture("java-loop-200hz.perf.gz").toString()).stdout());
        long inside = graph.path("samples").asLong();
        assertThat(inside).as("about 40 %% of 2,002 samples fall inside").isBetween(600L, 1000L);

        String map = ran("trace", "heatmap", "--by-invocation", "--rows", "8", "--invocations", invocations.toString(),
                fixture("java-loop-200hz.perf.gz").toString()).stdout();
        assertThat(map).startsWith(inside + " samples in 20 invocations");
        assertThat(map.lines().filter(l -> l.contains(" ms |")).count()).isEqualTo(8);
        assertThat(map.lines().filter(l -> l.contains(" ms |")).findFirst().orElseThrow())
                .as("a column per invocation").matches(".*\\|.{20}$");

        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "inv0 1 2\ninv1 x 3\n");
        ChildProcess refused = flint.run("trace", "flame", "--invocations", bad.toString(),
                fixture("java-loop-200hz.perf.gz").toString());
        assertThat(refused.awaitExit(EXIT)).isEqualTo(2);
        assertThat(refused.stderr()).contains("bad.txt:2").contains("inv1 x 3").doesNotContain("Usage");
    }

    @Test
    void aMissingOrBrokenFileIsRefusedWithWhereItBroke() throws Exception {
        ChildProcess missing = flint.run("trace", "info", dir.resolve("nope.perf").toString());
        assertThat(missing.awaitExit(EXIT)).isEqualTo(2);
        assertThat(missing.stderr()).contains("nope.perf").contains("no such file");

        Path broken = dir.resolve("broken.txt");
        Files.writeString(broken, "this is not a profile\nnor is this\n");
        ChildProcess garbage = flint.run("trace", "flame", broken.toString());
        assertThat(garbage.awaitExit(EXIT)).isEqualTo(2);
        assertThat(garbage.stderr()).contains("broken.txt:1").contains("this is not a profile");

        ChildProcess pastTheEnd = flint.run("trace", "flame", "--start", "50", "--end", "60",
                fixture("java-loop-200hz.perf.gz").toString());
        assertThat(pastTheEnd.awaitExit(EXIT)).isEqualTo(2);
        assertThat(pastTheEnd.stderr()).contains("--start 50.0 is past the end").contains("spans 0 to 10.");

        ChildProcess untimed = flint.run("trace", "heatmap", fixture("java-loop-async-profiler.collapsed").toString());
        assertThat(untimed.awaitExit(EXIT)).isEqualTo(2);
        assertThat(untimed.stderr()).contains("timestamp");
    }
}
