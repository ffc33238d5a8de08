package dev.flint.cli;

import dev.flint.host.invoke.HostIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flint}: the entry point; each job is a subcommand. */
@Command(name = "flint",
        mixinStandardHelpOptions = true,
        versionProvider = FlintCommand.Version.class,
        description = "Runs Azure Functions custom-handler apps, and shows how their functions behave.",
        subcommands = {StartCommand.class, KeysCommand.class, dev.flint.cli.trace.TraceCommand.class,
                TracesCommand.class, CollectorCommand.class, ProfileCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class FlintCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new FlintCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    if (error instanceof UserError) {
                        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + error.getMessage());
                        return 2;
                    }
                    throw error;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Flint " + HostIdentity.FLINT_VERSION + " (speaks the Azure Functions custom-handler"
                    + " protocol of host " + HostIdentity.HOST_VERSION + ")"};
        }
    }
}
