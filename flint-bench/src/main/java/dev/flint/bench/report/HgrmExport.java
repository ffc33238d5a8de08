package dev.flint.bench.report;

import dev.flint.bench.result.TargetResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A target's latency as an {@code .hgrm} file: HdrHistogram's own percentile distribution text
 * ({@code outputPercentileDistribution}), 5 reporting points per half distance, values in
 * milliseconds. This is what wrk2 prints and what HdrHistogram's online plotter
 * ({@code plotFiles.html}) and other HdrHistogram tooling read:
 *
 * <pre>
 *        Value     Percentile TotalCount 1/(1-Percentile)
 *
 *        1.000 0.000000000000      10000           1.00
 *        ...
 *       50.004 1.000000000000      10100
 * #[Mean    =        1.485, StdDeviation   =        4.876]
 * #[Max     =       50.004, Total count    =        10100]
 * #[Buckets =           22, SubBuckets     =         2048]
 * </pre>
 */
public final class HgrmExport {

    /** Nanoseconds in the unit of the file (milliseconds). */
    static final double NANOS_PER_MILLI = 1e6;

    private HgrmExport() {}

    /** Writes the distribution as UTF-8 (plain ASCII in practice); leaves {@code out} open. */
    public static void write(TargetResult target, OutputStream out) throws IOException {
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
        target.latency().outputPercentileDistribution(print, Distribution.TICKS_PER_HALF_DISTANCE, NANOS_PER_MILLI);
        print.flush(); // not closed: the caller's stream stays open
        if (print.checkError()) {
            // PrintStream swallows the IOException; all that is left is that it happened.
            throw new IOException("writing the .hgrm distribution of " + target.name() + " failed");
        }
    }
}
