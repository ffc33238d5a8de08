package dev.flint.bench.report;

import static dev.flint.bench.report.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flint.bench.result.TargetResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HgrmExportTest {

    private static final Pattern ROW = Pattern.compile(" *([0-9]+\\.[0-9]{3}) ([0-9]\\.[0-9]{12}) +([0-9]+) +([0-9]+\\.[0-9]{2})");
    private static final Pattern LAST_ROW = Pattern.compile(" *([0-9]+\\.[0-9]{3}) (1\\.0{12}) +([0-9]+)");
    private static final Pattern MEAN = Pattern.compile(
            "#\\[Mean {4}= +([0-9]+\\.[0-9]{3}), StdDeviation {3}= +([0-9]+\\.[0-9]{3})]");
    private static final Pattern MAX = Pattern.compile("#\\[Max {5}= +([0-9]+\\.[0-9]{3}), Total count {4}= +([0-9]+)]");

    private record Row(double millis, double percentile, long totalCount, double inverse) {}

    private static String hgrm(TargetResult t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HgrmExport.write(t, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDistributionIsHdrHistogramsTextInMilliseconds() throws IOException {
        Histogram h = Fixtures.twoValues(10_000, MS, 100, 50 * MS);
        List<String> lines = hgrm(Fixtures.ok("python", h)).lines().toList();

        assertThat(lines.get(0).trim().split(" +")).containsExactly("Value", "Percentile", "TotalCount", "1/(1-Percentile)");
        assertThat(lines.get(1)).isEmpty();

        List<Row> rows = new ArrayList<>();
        int i = 2;
        for (; i < lines.size(); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            if (!m.matches()) {
                break;
            }
            rows.add(new Row(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)),
                    Double.parseDouble(m.group(4))));
        }
        Matcher last = LAST_ROW.matcher(lines.get(i));
        assertThat(last.matches()).as(lines.get(i)).isTrue();
        assertThat(rows).hasSizeGreaterThan(20);

        // Values in ms: 1 ms (1.000, HdrHistogram's 1,000,447 ns) up to 50 ms (50.004), as wrk2 prints them.
        assertThat(rows.get(0)).isEqualTo(new Row(1.000, 0.0, 10_000, 1.00));
        assertThat(rows).filteredOn(r -> r.percentile() <= 0.99).allMatch(r -> r.millis() == 1.000);
        assertThat(rows).filteredOn(r -> r.percentile() > 0.990099).allMatch(r -> r.millis() == 50.004)
                .isNotEmpty();
        assertThat(last.group(1)).isEqualTo("50.004");
        assertThat(last.group(3)).isEqualTo("10100");
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            assertThat(row.inverse()).isCloseTo(1 / (1 - row.percentile()), within(0.006));
            if (r > 0) {
                assertThat(row.percentile()).isGreaterThan(rows.get(r - 1).percentile());
            }
        }

        Matcher mean = MEAN.matcher(lines.get(i + 1));
        assertThat(mean.matches()).as(lines.get(i + 1)).isTrue();
        assertThat(mean.group(1)).isEqualTo(String.format(Locale.ROOT, "%.3f", h.getMean() / 1e6)).isEqualTo("1.485");
        assertThat(mean.group(2)).isEqualTo(String.format(Locale.ROOT, "%.3f", h.getStdDeviation() / 1e6));
        Matcher max = MAX.matcher(lines.get(i + 2));
        assertThat(max.matches()).as(lines.get(i + 2)).isTrue();
        assertThat(max.group(1)).isEqualTo("50.004");
        assertThat(max.group(2)).isEqualTo("10100");
        assertThat(lines.get(i + 3)).startsWith("#[Buckets = ");
        assertThat(lines).hasSize(i + 4);
    }

    @Test
    void uniformMicrosecondsComeOutAsFractionsOfAMillisecond() throws IOException {
        List<String> lines = hgrm(Fixtures.ok("u", Fixtures.uniformMicros(1000))).lines().toList();

        assertThat(lines.get(2)).isEqualTo("       0.001 0.000000000000          1           1.00");
        assertThat(lines).contains("       0.500 0.500000000000        500           2.00",
                "       0.900 0.900000000000        900          10.00");
    }

    @Test
    void theCallersStreamStaysOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        HgrmExport.write(Fixtures.ok("a", Fixtures.twoValues(10, MS, 0, 0)), out);
        assertThat(closed[0]).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("#[Mean");
    }

    @Test
    void aWriteThatFailsIsReported() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(
                        () -> HgrmExport.write(Fixtures.ok("a", Fixtures.twoValues(10, MS, 0, 0)), broken))
                .isInstanceOf(IOException.class).hasMessage("writing the .hgrm distribution of a failed");
    }
}
