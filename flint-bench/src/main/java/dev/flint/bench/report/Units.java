package dev.flint.bench.report;

import java.time.Duration;
import java.util.Locale;

/**
 * How reports write numbers: latencies with the unit picked per value as wrk does (µs, ms, s, two
 * decimals), byte sizes in binary units, counts with thousands separators, ratios as {@code 0.31x}.
 * Always {@link Locale#ROOT}, so a report reads the same on every machine.
 */
final class Units {

    /** What a value that cannot be computed (no answered request, a ratio to zero) shows. */
    static final String NONE = "-";

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {}

    /**
     * A latency in nanoseconds in the largest of µs, ms and s that keeps it under 1000 (after
     * rounding to two decimals, so 999.999 µs is {@code 1.00ms}, not {@code 1000.00µs}).
     */
    static String latency(double nanos) {
        double micros = nanos / 1e3;
        if (round2(micros) < 1000) {
            return two(micros) + "µs";
        }
        double millis = nanos / 1e6;
        if (round2(millis) < 1000) {
            return two(millis) + "ms";
        }
        return two(nanos / 1e9) + "s";
    }

    /** A byte count: {@code 512B}, {@code 1.50KiB}, {@code 12.34MiB}. */
    static String bytes(double bytes) {
        if (bytes < 1024) {
            return Math.round(bytes) + "B";
        }
        double v = bytes;
        int unit = 0;
        while (unit < BYTE_UNITS.length - 1 && round2(v) >= 1024) {
            v /= 1024;
            unit++;
        }
        return two(v) + BYTE_UNITS[unit];
    }

    /** A count with thousands separators: {@code 123,456}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A rate with thousands separators and two decimals: {@code 4,115.20}. */
    static String perSecond(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    /** {@code other / baseline} as {@code 0.31x}, or {@link #NONE} when the baseline is 0 or a value is missing. */
    static String ratio(double other, double baseline) {
        if (!(baseline > 0) || !(other >= 0) || Double.isInfinite(other)) {
            return NONE;
        }
        return String.format(Locale.ROOT, "%.2fx", other / baseline);
    }

    /** A share of a whole as a percentage with two decimals; a share too small to show is {@code <0.01%}. */
    static String percentOf(long part, long whole) {
        if (whole <= 0) {
            return NONE;
        }
        double pct = 100.0 * part / whole;
        if (pct > 0 && pct < 0.005) {
            return "<0.01%";
        }
        return String.format(Locale.ROOT, "%.2f%%", pct);
    }

    /** A requested rate: {@code 1,000} or {@code 1,000.50}. */
    static String rate(double perSecond) {
        if (perSecond == Math.rint(perSecond) && Math.abs(perSecond) < 1e15) {
            return count((long) perSecond);
        }
        return perSecond(perSecond);
    }

    /**
     * A setting's duration, as people write them: {@code 30s}, {@code 1m30s}, {@code 2h}, {@code 500ms},
     * {@code 1.5s}.
     */
    static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : latency(d.toNanos());
        }
        if (d.getNano() == 0) {
            long s = d.getSeconds();
            StringBuilder b = new StringBuilder();
            if (s >= 3600) {
                b.append(s / 3600).append('h');
            }
            if (s % 3600 >= 60) {
                b.append(s % 3600 / 60).append('m');
            }
            if (s % 60 != 0) {
                b.append(s % 60).append('s');
            }
            return b.toString();
        }
        String s = String.format(Locale.ROOT, "%.3f", d.getSeconds() + d.getNano() / 1e9);
        s = s.replaceAll("0+$", "");
        return (s.endsWith(".") ? s.substring(0, s.length() - 1) : s) + "s";
    }

    /**
     * A percentile (0 to 100) as a label: {@code 50}, {@code 99.9}, {@code 99.99}; the shortest decimal
     * form, at most six decimals.
     */
    static String percentileLabel(double percentile) {
        String s = String.format(Locale.ROOT, "%.6f", percentile).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
