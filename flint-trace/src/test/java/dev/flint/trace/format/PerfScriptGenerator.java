package dev.flint.trace.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Writes large {@code perf script} files for speed measurements: the samples of a real recording
 * (by default the java-loop-200hz fixture: JVM, JIT and kernel frames, 10-25 per sample) repeated
 * with new, increasing timestamps, as profiling.md section 6.1 built its 100 MB file.
 *
 * <pre>java ... dev.flint.trace.format.PerfScriptGenerator OUT.perf [MEGABYTES]</pre>
 */
public final class PerfScriptGenerator {

    static final String FIXTURE = "/traces/java-loop-200hz.perf.gz";

    private PerfScriptGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 100;
        long samples = write(out, megabytes << 20);
        System.out.printf(Locale.ROOT, "%s: %d samples, %d bytes%n", out, samples, Files.size(out));
    }

    /** Writes at least {@code targetBytes} of repeated fixture samples to {@code out}; returns the sample count. */
    static long write(Path out, long targetBytes) throws IOException {
        List<String[]> samples = fixtureSamples();
        long written = 0;
        long count = 0;
        long nanos = 1_000_000_000_000L; // 1000 s: a machine up for a while
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            while (written < targetBytes) {
                for (String[] sample : samples) {
                    // 4 threads at 200 Hz: a sample every 1.25 ms
                    nanos += 1_250_000;
                    byte[] text = (sample[0] + String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000_000,
                            (nanos / 1000) % 1_000_000) + sample[1]).getBytes(StandardCharsets.UTF_8);
                    os.write(text);
                    written += text.length;
                    count++;
                    if (written >= targetBytes) {
                        break;
                    }
                }
            }
        }
        return count;
    }

    /**
     * The fixture's samples, each split around its timestamp: [text before it, text after it up to
     * and including the blank line that ends the sample].
     */
    static List<String[]> fixtureSamples() throws IOException {
        String text;
        try (InputStream in = new GZIPInputStream(PerfScriptGenerator.class.getResourceAsStream(FIXTURE))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String[]> samples = new ArrayList<>();
        for (String block : text.split("\n\n")) {
            block = block.stripTrailing();
            if (block.isBlank()) {
                continue;
            }
            int nl = block.indexOf('\n');
            String event = nl < 0 ? block : block.substring(0, nl);
            String frames = nl < 0 ? "" : block.substring(nl);
            int colon = event.indexOf(": ");
            int timeStart = event.lastIndexOf(' ', colon) + 1;
            samples.add(new String[] {event.substring(0, timeStart), event.substring(colon) + frames + "\n\n"});
        }
        return samples;
    }
}
