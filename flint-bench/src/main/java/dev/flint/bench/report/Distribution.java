package dev.flint.bench.report;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A histogram's percentile distribution as HdrHistogram's percentile iteration gives it (the rows of
 * an {@code .hgrm} file): {@value #TICKS_PER_HALF_DISTANCE} reporting points per halving of the
 * distance to 100%, ending with the maximum at 100%.
 */
final class Distribution {

    /** Reporting points per half distance, as {@code outputPercentileDistribution} uses by default. */
    static final int TICKS_PER_HALF_DISTANCE = 5;

    /**
     * One reporting point.
     *
     * @param percentile the percentile level iterated to, 0 to 100
     * @param valueNanos the highest value equivalent to the recorded ones at that level, in nanoseconds
     * @param totalCount values at or below {@code valueNanos} (cumulative)
     */
    record Point(double percentile, long valueNanos, long totalCount) {

        /** {@code 1/(1-p)} for a percentile below 100, infinity at 100. */
        double inverseTail() {
            return percentile >= 100 ? Double.POSITIVE_INFINITY : 1 / (1 - percentile / 100);
        }
    }

    private Distribution() {}

    /** The points of a histogram, lowest first; none for an empty histogram. */
    static List<Point> of(AbstractHistogram histogram) {
        List<Point> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
            // The iterator reuses its value object: copy what is needed now.
            points.add(new Point(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo(), v.getTotalCountToThisValue()));
        }
        return points;
    }
}
