package dev.flint.trace.format;

import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Parsing speed of {@link PerfScriptParser} on a generated file (not a test: run by hand).
 *
 * <pre>java -cp ... dev.flint.trace.format.PerfScriptBench [FILE] [MEGABYTES] [ROUNDS]</pre>
 *
 * Generates FILE (default /tmp/flint-bench-100mb.perf) with {@link PerfScriptGenerator} when it
 * is missing, then parses it ROUNDS times from a file stream and prints MB/s for each round: the
 * first rounds include JIT warm-up, the later ones are the steady state.
 */
public final class PerfScriptBench {

    private PerfScriptBench() {}

    public static void main(String[] args) throws IOException, TraceFormatException {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/flint-bench-100mb.perf");
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (!Files.exists(file)) {
            long samples = PerfScriptGenerator.write(file, megabytes << 20);
            System.out.printf(Locale.ROOT, "generated %s: %d samples%n", file, samples);
        }
        double mb = Files.size(file) / 1e6;
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            Trace trace;
            try (InputStream in = Files.newInputStream(file)) {
                trace = PerfScriptParser.parse(in, file.toString());
            }
            long nanos = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "round %d: %.0f MB in %.1f ms = %.0f MB/s (%d samples, %d frames, %d stacks)%n",
                    round, mb, nanos / 1e6, mb / (nanos / 1e9), trace.samples().size(), trace.frames().size(),
                    trace.stacks().size());
        }
    }
}
