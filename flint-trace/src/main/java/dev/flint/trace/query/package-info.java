/**
 * Queries over a parsed {@link dev.flint.trace.model.Trace}: heat maps, flame graphs and
 * differentials. Each is a pass over the trace's int and long columns: no text is read except the
 * names of the nodes a result finally shows, no object is made per sample, nothing is boxed on the
 * way. Everything here is immutable or a static function, so one trace serves any number of
 * concurrent queries.
 *
 * <ul>
 *   <li>{@link dev.flint.trace.query.SampleFilter} says which samples (time range, pids, tids, event,
 *       idle, invocations); {@link dev.flint.trace.query.Selection} is a filter bound to a trace.
 *       Default: the trace's first event, idle excluded.</li>
 *   <li>{@link dev.flint.trace.query.HeatMap}: FlameScope's sub-second-offset heat map, exactly.</li>
 *   <li>{@link dev.flint.trace.query.InvocationHeatMap}: one column per invocation, rows since its start.</li>
 *   <li>{@link dev.flint.trace.query.FlameGraphs}: a {@link dev.flint.trace.query.FlameGraph} of a selection,
 *       siblings merged by (name, kind), narrow nodes pruned into "other".</li>
 *   <li>{@link dev.flint.trace.query.Differential}: two selections, matched by normalised name path
 *       ({@link dev.flint.trace.query.NameNormalizer}), normalised by total or per invocation, delta on
 *       self or total.</li>
 * </ul>
 *
 * <p>Every result names its unit ({@link dev.flint.trace.query.Measure}: samples, or the weight's unit)
 * and the event it counted ({@link dev.flint.trace.query.EventChoice}).
 */
package dev.flint.trace.query;
