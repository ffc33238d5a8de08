package dev.flint.bench.report;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The numbers of a run's summary, formatted, in the shape both the text and the HTML report show:
 * sections of rows, one value per target, and for each target after the first its ratio to the first
 * (the baseline) where a ratio means something. The strings are raw: each report escapes them its way.
 */
final class Summary {

    /** The latency percentiles the summary shows, besides max, mean and stdev. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    /**
     * @param label what the row shows
     * @param values one per target
     * @param ratios one per target after the first ({@code value / baseline}), empty strings when the
     *     row has no ratios
     */
    record Row(String label, List<String> values, List<String> ratios) {}

    record Section(String title, List<Row> rows) {}

    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final List<String> names;
    private final List<String> ratioHeaders;
    private final List<Section> sections;

    private Summary(List<String> names, List<String> ratioHeaders, List<Section> sections) {
        this.names = names;
        this.ratioHeaders = ratioHeaders;
        this.sections = sections;
    }

    static Summary of(BenchResult result) {
        List<TargetResult> targets = result.targets();
        List<String> names = targets.stream().map(TargetResult::name).toList();
        List<String> ratioHeaders = new ArrayList<>();
        for (int i = 1; i < names.size(); i++) {
            ratioHeaders.add(names.get(i) + "/" + names.get(0));
        }
        List<Section> sections = new ArrayList<>();

        List<Row> throughput = new ArrayList<>();
        throughput.add(row(targets, "requests", t -> t.requests(), v -> Units.count((long) v), true));
        throughput.add(row(targets, "requests/s", TargetResult::requestsPerSecond, Units::perSecond, true));
        throughput.add(row(targets, "transfer", t -> t.bytesReceived(), Units::bytes, true));
        throughput.add(row(targets, "transfer/s", Summary::bytesPerSecond, Units::bytes, true));
        throughput.add(row(targets, "measured", t -> t.measuredNanos(), Units::latency, false));
        sections.add(new Section("Throughput", throughput));

        List<Row> latency = new ArrayList<>();
        for (double p : PERCENTILES) {
            latency.add(latencyRow(targets, "p" + Units.percentileLabel(p), t -> t.percentileNanos(p)));
        }
        latency.add(latencyRow(targets, "max", t -> t.latency().getMaxValue()));
        latency.add(latencyRow(targets, "mean", t -> t.latency().getMean()));
        latency.add(latencyRow(targets, "stdev", t -> t.latency().getStdDeviation()));
        sections.add(new Section("Latency", latency));

        List<Row> outcomes = new ArrayList<>();
        SortedSet<Integer> statuses = new TreeSet<>();
        SortedSet<String> errors = new TreeSet<>();
        for (TargetResult t : targets) {
            statuses.addAll(t.statuses().keySet());
            errors.addAll(t.errors().keySet());
        }
        for (int status : statuses) {
            outcomes.add(row(targets, "status " + status, t -> t.statuses().getOrDefault(status, 0L),
                    v -> Units.count((long) v), false));
        }
        for (String kind : errors) {
            outcomes.add(row(targets, "error " + kind, t -> t.errors().getOrDefault(kind, 0L),
                    v -> Units.count((long) v), false));
        }
        List<String> failed = new ArrayList<>();
        for (TargetResult t : targets) {
            long f = t.failures();
            failed.add(f == 0 ? "0" : Units.count(f) + " (" + Units.percentOf(f, attempted(t)) + ")");
        }
        outcomes.add(new Row("failed", failed, blankRatios(targets.size())));
        sections.add(new Section("Outcomes", outcomes));

        return new Summary(names, List.copyOf(ratioHeaders), List.copyOf(sections));
    }

    /** The target names, baseline first. */
    List<String> names() {
        return names;
    }

    /** {@code other/baseline} for each target after the first. */
    List<String> ratioHeaders() {
        return ratioHeaders;
    }

    List<Section> sections() {
        return sections;
    }

    /**
     * How the run was made, in one line: {@code closed loop, 64 connections, warm-up 5s, 30s measured,
     * 1 round}.
     */
    static String settingsLine(RunSettings s, int targets) {
        String perTarget = targets > 1 ? " per target" : "";
        StringBuilder b = new StringBuilder();
        if (s.mode() == Mode.RATE) {
            b.append("constant rate ").append(Units.rate(s.rate())).append(" requests/s").append(perTarget)
                    .append(" (latency from intended send times)");
        } else {
            b.append("closed loop");
        }
        b.append(", ").append(Units.count(s.connections())).append(s.connections() == 1 ? " connection" : " connections")
                .append(perTarget);
        b.append(", warm-up ").append(Units.duration(s.warmup()));
        if (!s.ramp().isZero()) {
            b.append(", ramp ").append(Units.duration(s.ramp()));
        }
        if (s.duration() != null) {
            b.append(", ").append(Units.duration(s.duration())).append(" measured").append(perTarget);
        } else {
            b.append(", ").append(Units.count(s.requestLimit())).append(" requests measured").append(perTarget);
        }
        b.append(", ").append(s.rounds()).append(s.rounds() == 1 ? " round" : " interleaved rounds");
        return b.toString();
    }

    /** When the run started, to the second, in UTC. */
    static String started(BenchResult result) {
        return STARTED.format(result.started().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Requests sent whose outcome is known: answered, or failed without an answer. */
    static long attempted(TargetResult t) {
        return t.requests() + t.errors().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@code 59 of 123,515 requests failed (0.05%): status 503: 56, timeout: 3}, or null when none
     * failed.
     */
    static String failureLine(TargetResult t) {
        long failed = t.failures();
        if (failed == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        b.append(Units.count(failed)).append(" of ").append(Units.count(attempted(t))).append(" requests failed (")
                .append(Units.percentOf(failed, attempted(t))).append(')');
        String sep = ": ";
        for (Map.Entry<Integer, Long> status : t.statuses().entrySet()) {
            if (status.getKey() >= 400 && status.getValue() != 0) {
                b.append(sep).append("status ").append(status.getKey()).append(": ").append(Units.count(status.getValue()));
                sep = ", ";
            }
        }
        for (Map.Entry<String, Long> error : t.errors().entrySet()) {
            if (error.getValue() != 0) {
                b.append(sep).append(error.getKey()).append(": ").append(Units.count(error.getValue()));
                sep = ", ";
            }
        }
        return b.toString();
    }

    private static double bytesPerSecond(TargetResult t) {
        return t.measuredNanos() <= 0 ? 0 : t.bytesReceived() * 1e9 / t.measuredNanos();
    }

    /** A latency row: {@link Units#NONE} for a target without answered requests, ratios between targets that have. */
    private static Row latencyRow(List<TargetResult> targets, String label, ToDoubleFunction<TargetResult> nanos) {
        List<String> values = new ArrayList<>();
        double[] raw = new double[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            TargetResult t = targets.get(i);
            boolean empty = t.latency().getTotalCount() == 0;
            raw[i] = empty ? Double.NaN : nanos.applyAsDouble(t);
            values.add(empty ? Units.NONE : Units.latency(raw[i]));
        }
        return new Row(label, values, ratios(raw));
    }

    private static Row row(List<TargetResult> targets, String label, ToDoubleFunction<TargetResult> value,
            DoubleFunction<String> format, boolean withRatios) {
        List<String> values = new ArrayList<>();
        double[] raw = new double[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            raw[i] = value.applyAsDouble(targets.get(i));
            values.add(format.apply(raw[i]));
        }
        return new Row(label, values, withRatios ? ratios(raw) : blankRatios(targets.size()));
    }

    private static List<String> ratios(double[] raw) {
        List<String> ratios = new ArrayList<>();
        for (int i = 1; i < raw.length; i++) {
            ratios.add(Double.isNaN(raw[0]) || Double.isNaN(raw[i]) ? Units.NONE : Units.ratio(raw[i], raw[0]));
        }
        return ratios;
    }

    private static List<String> blankRatios(int targets) {
        List<String> ratios = new ArrayList<>();
        for (int i = 1; i < targets; i++) {
            ratios.add("");
        }
        return ratios;
    }
}
