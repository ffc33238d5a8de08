/** What a run measured: settings, and per target the counts and the latency histogram. */
package dev.flint.bench.result;
