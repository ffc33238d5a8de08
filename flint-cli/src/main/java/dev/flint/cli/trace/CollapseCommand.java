package dev.flint.cli.trace;

import dev.flint.trace.export.CollapseNames;
import dev.flint.trace.export.FoldedWriter;
import dev.flint.trace.model.Trace;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flint trace collapse FILE}: folded stacks, the same stacks and counts as
 * {@code stackcollapse-perf.pl} with the same options for the same perf input.
 */
@Command(name = "collapse", mixinStandardHelpOptions = true,
        description = {"Folded stacks (`comm;root;...;leaf count`, sorted), as stackcollapse-perf.pl writes them:",
                "counts are period sums when the input has periods (ns for cpu-clock), else sample counts;",
                "--counts gives sample counts always. Only the first event is kept unless --event-filter."})
final class CollapseCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--pid", description = "First frame comm-PID.")
    boolean pid;

    @Option(names = "--tid", description = "First frame comm-PID/TID.")
    boolean tid;

    @Option(names = "--kernel", description = "Kernel frames end in _[k].")
    boolean kernel;

    @Option(names = "--jit", description = "JIT frames end in _[j].")
    boolean jit;

    @Option(names = "--all", description = "--kernel and --jit.")
    boolean all;

    @Option(names = "--event-filter", paramLabel = "EVENT", description = "Keep only this event (default: the first seen).")
    String event;

    @Option(names = "--counts", description = "Sample counts instead of period sums (Flint's; not in stackcollapse-perf.pl).")
    boolean counts;

    @Option(names = "--raw-names", description = "Frame names as stored (arguments, Java L prefixes kept); only ; becomes :.")
    boolean raw;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Trace trace = TraceFiles.read(spec, file);
        CollapseNames.Options names = CollapseNames.Options.DEFAULT;
        if (pid) {
            names = names.withPid();
        }
        if (tid) {
            names = names.withTid();
        }
        if (kernel || all) {
            names = names.withKernel();
        }
        if (jit || all) {
            names = names.withJit();
        }
        if (raw) {
            names = names.withRawNames();
        }
        FoldedWriter.Options options = FoldedWriter.Options.DEFAULT.withNames(names);
        if (counts) {
            options = options.withCounts();
        }
        if (event != null) {
            options = options.withEventFilter(event);
        }
        try (OutputStream out = Output.open(output);
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            FoldedWriter.write(trace, options, writer, System.err::println);
        }
        return 0;
    }
}
