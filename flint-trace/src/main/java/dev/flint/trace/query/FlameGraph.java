package dev.flint.trace.query;

/**
 * A flame graph of a selection of samples.
 *
 * @param root        the root node ("all"); its total is the selection's total
 * @param unit        what the values count: {@code samples}, or the weight's unit (perf: {@code ns})
 * @param samples     samples in the selection, whatever the unit, so nobody reads 3 samples as a trend
 * @param minTotal    nodes with a total below this were merged into "other" nodes
 */
public record FlameGraph(FlameNode root, String unit, long samples, long minTotal) {}
