/**
 * {@code flint bench}: HTTP load and what it measured. {@code load} sends requests (closed loop or at a
 * constant rate), {@code result} holds what one run measured, {@code report} renders results as text,
 * JSON, .hgrm, SVG and HTML.
 */
package dev.flint.bench;
