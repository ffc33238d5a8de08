package dev.flint.trace.query;

/**
 * A flame graph of a selection of samples.
 *
 * @param root        the root node ("all"); its total is the selection's total
 * @param unit        what the values count: {@code samples}, or the weight's unit (perf: {@code ns})
 * @param samples     samples in the selection, whatever the unit, so nobody reads 3 samples as a trend
 * @param minTotal    nodes with a total below this were merged into "other" nodes
 * @param event       the event whose samples were counted (the trace's first unless the filter chose),
 *                    or null when the graph was not built by {@link FlameGraphs}
 */
public record FlameGraph(FlameNode root, String unit, long samples, long minTotal, EventChoice event) {

    /** A graph with no record of its event (built outside {@link FlameGraphs}, e.g. from folded text). */
    public FlameGraph(FlameNode root, String unit, long samples, long minTotal) {
        this(root, unit, samples, minTotal, null);
    }
}
