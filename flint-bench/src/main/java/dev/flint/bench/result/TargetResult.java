package dev.flint.bench.result;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What the measured phase of one target gave, summed over its rounds.
 *
 * @param name the target's name in reports ({@code python} in {@code --compare python=URL})
 * @param url the URL requests went to
 * @param method the HTTP method
 * @param measuredNanos wall time of the measured phase (all rounds together)
 * @param requests answered requests counted in the results (any status)
 * @param bytesReceived response bytes, headers included
 * @param statuses answered requests by HTTP status code
 * @param errors requests that got no answer, by kind ({@code connect}, {@code timeout}, {@code read},
 *     {@code write}, {@code protocol})
 * @param latency latency in nanoseconds of every answered request; in {@link Mode#RATE} measured from
 *     the request's intended send time
 * @param traceUrl where the trace taken during the measured phase is (with {@code --profile}), or null
 */
public record TargetResult(String name, String url, String method, long measuredNanos, long requests,
        long bytesReceived, SortedMap<Integer, Long> statuses, SortedMap<String, Long> errors, Histogram latency,
        String traceUrl) {

    public TargetResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(latency, "latency");
        statuses = new TreeMap<>(statuses);
        errors = new TreeMap<>(errors);
    }

    /** Answered requests a second over the measured phase. */
    public double requestsPerSecond() {
        return measuredNanos <= 0 ? 0 : requests * 1e9 / measuredNanos;
    }

    /** Requests that failed: no answer, or an answer with a status of 400 or more. */
    public long failures() {
        long failed = errors.values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<Integer, Long> status : statuses.entrySet()) {
            if (status.getKey() >= 400) {
                failed += status.getValue();
            }
        }
        return failed;
    }

    /** The latency at a percentile (0 to 100), in nanoseconds. */
    public long percentileNanos(double percentile) {
        return latency.getValueAtPercentile(percentile);
    }
}
