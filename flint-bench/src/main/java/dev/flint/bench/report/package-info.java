/**
 * Reports of a {@code flint bench} run: {@link dev.flint.bench.report.TextReport} for the terminal,
 * {@link dev.flint.bench.report.JsonReport} (schema {@code flint-bench/1}, read back losslessly),
 * {@link dev.flint.bench.report.HgrmExport} for HdrHistogram tooling,
 * {@link dev.flint.bench.report.PercentilePlot} (SVG) and {@link dev.flint.bench.report.HtmlReport}
 * (one self-contained page).
 */
package dev.flint.bench.report;
