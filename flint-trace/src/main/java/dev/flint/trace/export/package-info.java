/**
 * Exports of traces and flame graphs to the formats other tools read:
 * <ul>
 *   <li>{@link dev.flint.trace.export.FoldedWriter}: folded stacks, identical to
 *       {@code stackcollapse-perf.pl} for the same perf input (names by
 *       {@link dev.flint.trace.export.CollapseNames}), with Flint's {@code --counts} and raw-name
 *       variants;</li>
 *   <li>{@link dev.flint.trace.export.SvgFlameGraph}: a standalone interactive SVG of a
 *       {@link dev.flint.trace.query.FlameGraph};</li>
 *   <li>{@link dev.flint.trace.export.SpeedscopeWriter}: speedscope's JSON file format, one sampled
 *       profile per thread.</li>
 * </ul>
 */
package dev.flint.trace.export;
