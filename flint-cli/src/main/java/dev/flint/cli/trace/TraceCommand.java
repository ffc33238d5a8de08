package dev.flint.cli.trace;

import picocli.CommandLine.Command;

/** {@code flint trace}: the trace engine on the command line, one subcommand per query. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Reads profiles (perf script text, plain or gzip; folded stacks; JFR), detected by content,",
                "and prints what the trace engine makes of them."},
        subcommands = {InfoCommand.class, CollapseCommand.class, HeatmapCommand.class, FlameCommand.class,
                DiffCommand.class})
public final class TraceCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
