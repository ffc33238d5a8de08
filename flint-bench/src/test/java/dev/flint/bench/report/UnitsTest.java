package dev.flint.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void latencyPicksTheUnitPerValueAsWrkDoes() {
        assertThat(Units.latency(0)).isEqualTo("0.00µs");
        assertThat(Units.latency(850)).isEqualTo("0.85µs");
        assertThat(Units.latency(123_456)).isEqualTo("123.46µs");
        assertThat(Units.latency(999_990)).isEqualTo("999.99µs");
        // Rounds to 1000.00µs: shown in the next unit instead.
        assertThat(Units.latency(999_996)).isEqualTo("1.00ms");
        assertThat(Units.latency(1_000_447)).isEqualTo("1.00ms");
        assertThat(Units.latency(12_345_678)).isEqualTo("12.35ms");
        assertThat(Units.latency(999_999_999)).isEqualTo("1.00s");
        assertThat(Units.latency(2_500_000_000L)).isEqualTo("2.50s");
        assertThat(Units.latency(1_234_567_890_123L)).isEqualTo("1234.57s");
    }

    @Test
    void bytesUseBinaryUnits() {
        assertThat(Units.bytes(0)).isEqualTo("0B");
        assertThat(Units.bytes(1023)).isEqualTo("1023B");
        assertThat(Units.bytes(1024)).isEqualTo("1.00KiB");
        assertThat(Units.bytes(1536)).isEqualTo("1.50KiB");
        assertThat(Units.bytes(1024 * 1024 - 1)).isEqualTo("1.00MiB");
        assertThat(Units.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.00GiB");
    }

    @Test
    void ratiosAreOtherOverBaselineAndMissingWhenTheBaselineIsZero() {
        assertThat(Units.ratio(1, 2)).isEqualTo("0.50x");
        assertThat(Units.ratio(3, 1)).isEqualTo("3.00x");
        assertThat(Units.ratio(0.31, 1)).isEqualTo("0.31x");
        assertThat(Units.ratio(1, 0)).isEqualTo("-");
        assertThat(Units.ratio(Double.NaN, 1)).isEqualTo("-");
    }

    @Test
    void durationsReadAsTheyAreWritten() {
        assertThat(Units.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(Units.duration(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Units.duration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Units.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Units.duration(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.duration(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
        assertThat(Units.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }

    @Test
    void countsPercentagesAndPercentileLabels() {
        assertThat(Units.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(Units.perSecond(4115.2)).isEqualTo("4,115.20");
        assertThat(Units.percentOf(1, 200)).isEqualTo("0.50%");
        assertThat(Units.percentOf(1, 1_000_000)).isEqualTo("<0.01%");
        assertThat(Units.percentOf(0, 10)).isEqualTo("0.00%");
        assertThat(Units.percentileLabel(50)).isEqualTo("50");
        assertThat(Units.percentileLabel(99.9)).isEqualTo("99.9");
        assertThat(Units.percentileLabel(99.99)).isEqualTo("99.99");
        assertThat(Units.rate(1000)).isEqualTo("1,000");
        assertThat(Units.rate(12.5)).isEqualTo("12.50");
    }
}
