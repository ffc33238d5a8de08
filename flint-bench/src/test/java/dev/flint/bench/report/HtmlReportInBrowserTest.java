package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.bench.result.BenchResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened from a file in a real browser (headless Chromium), offline: the DOM it
 * builds has the inline plot with one line per target, and the summary table with the ratio column.
 * Skips, saying why, where Chromium is not installed (CI installs it).
 */
class HtmlReportInBrowserTest {

    @TempDir
    Path dir;

    @Test
    void theReportRendersFromAFileWithItsPlotAndTable() throws Exception {
        Optional<String> chromium = chromium();
        if (chromium.isEmpty()) {
            System.out.println("HtmlReportInBrowserTest skipped: no chromium or chromium-browser on PATH (apt-get install chromium)");
        }
        assumeTrue(chromium.isPresent(), "no chromium");
        BenchResult result = Fixtures.result(Fixtures.ok("python", Fixtures.twoValues(9000, MS, 1000, 2 * MS)),
                Fixtures.ok("rust", Fixtures.twoValues(10_000, MS, 0, 0)));
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(result));

        Process browser = new ProcessBuilder(chromium.get(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", page.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] dom = browser.getInputStream().readAllBytes();
        assertThat(browser.waitFor(60, TimeUnit.SECONDS)).as("chromium ends").isTrue();
        String rendered = new String(dom, StandardCharsets.UTF_8);

        assertThat(rendered).as("the DOM chromium built").contains("<svg").contains("flint bench");
        int lines = rendered.split("<polyline class=\"series\"", -1).length - 1;
        assertThat(lines).as("one plotted line per target").isEqualTo(2);
        assertThat(rendered).contains("rust/python");
    }

    private static Optional<String> chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }
}
