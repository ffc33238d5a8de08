package dev.flint.cli;

import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.AppLoader;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.KeyRejectedException;
import dev.flint.host.auth.KeyScope;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.auth.KeyStoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flint keys}: lists and changes an app's keys in the same store the running host reads,
 * which picks changes up at once. Exits with 2 for a request the rules refuse (bad name or value,
 * unknown function, keys from the environment) or a broken app, and 1 when the keys cannot be read
 * or written.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Lists and changes the app's keys: the master key, system keys, host keys and function keys.",
                "They are kept in <app>/.flint/keys.json (or $FLINT_DATA_DIR/keys.json); a running Flint picks up"
                        + " changes within a second. With FLINT_MASTER_KEY set, keys come from the environment only."},
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.SetKey.class, KeysCommand.RenewKey.class,
                KeysCommand.DeleteKey.class})
final class KeysCommand implements Runnable {

    /** Where the store and the app read their variables; a test gives its own. */
    final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    KeysCommand() {
        this(System.getenv());
    }

    KeysCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every subcommand does first: load the app (for its function names) and open its keys. */
    abstract static class KeysSubcommand implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        @Option(names = "--app", paramLabel = "DIR", description = "The function app folder (default: the current directory).")
        Path appDirectory = Path.of(".");

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Where the keys are kept (default: $FLINT_DATA_DIR, else <app>/.flint).")
        Path dataDirectory;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            FunctionApp app;
            try {
                app = AppLoader.load(appDirectory, keys.environment);
            } catch (AppConfigException e) {
                err.println("Flint cannot load the app in " + appDirectory.toAbsolutePath().normalize() + ":");
                for (ConfigProblem problem : e.problems()) {
                    err.println("  " + problem);
                }
                return 2;
            }
            Path directory = dataDirectory != null ? dataDirectory : KeyStore.dataDirectory(app.root(), keys.environment);
            List<String> functions = app.functions().stream().map(FunctionDefinition::name).toList();
            try (KeyStore store = KeyStore.open(directory, keys.environment, functions)) {
                run(app, store, spec.commandLine().getOut());
                return 0;
            } catch (KeyRejectedException e) {
                err.println(e.getMessage());
                return 2;
            } catch (KeyStoreException e) {
                err.println(e.getMessage());
                return 1;
            }
        }

        abstract void run(FunctionApp app, KeyStore store, PrintWriter out) throws KeyStoreException;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Prints every key, one a line: scope, function (- for none), name and value.")
    static final class ListKeys extends KeysSubcommand {

        @Option(names = "--function", paramLabel = "NAME", description = "Only the keys of this function.")
        String function;

        @Override
        void run(FunctionApp app, KeyStore store, PrintWriter out) throws KeyRejectedException {
            if (function != null && app.function(function).isEmpty()) {
                throw new KeyRejectedException("no function named \"" + function + "\" in " + app.root());
            }
            List<AccessKey> listed = function == null ? store.current().all()
                    : store.current().keys(KeyScope.FUNCTION, function);
            KeyListing.print(listed, out);
        }
    }

    /** A subcommand on one key: NAME, and --function or --system for keys other than host keys. */
    abstract static class OneKey extends KeysSubcommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "The key's name; " + AccessKey.MASTER_NAME
                + " is the master key.")
        String name;

        @ArgGroup(exclusive = true)
        Scope scope;

        static final class Scope {
            @Option(names = "--function", paramLabel = "NAME", required = true,
                    description = "A key of this function (default: a host key, good for every function).")
            String function;

            @Option(names = "--system", required = true, description = "A system key.")
            boolean system;
        }

        KeyScope keyScope() throws KeyRejectedException {
            if (name.equals(AccessKey.MASTER_NAME)) {
                if (scope != null) {
                    throw new KeyRejectedException(AccessKey.MASTER_NAME + " is the master key, which belongs to no"
                            + " function and is no system key: leave out --function and --system");
                }
                return KeyScope.MASTER;
            }
            if (scope == null) {
                return KeyScope.HOST;
            }
            return scope.system ? KeyScope.SYSTEM : KeyScope.FUNCTION;
        }

        String function() {
            return scope == null ? null : scope.function;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets a key to the value given, creating it if absent.")
    static final class SetKey extends OneKey {

        @Option(names = "--value", paramLabel = "VALUE", required = true,
                description = "16 to 256 characters: letters, digits and . _ ~ + / = -; `-` reads the value from standard"
                        + " input, so that it does not show in ps or the shell's history")
        String value;

        @Override
        void run(FunctionApp app, KeyStore store, PrintWriter out) throws KeyStoreException {
            String given = value;
            if (given.equals("-")) {
                try {
                    given = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                } catch (java.io.IOException e) {
                    throw new KeyStoreException("cannot read the value from standard input: " + e.getMessage(), e);
                }
            }
            KeyStore.Change change = store.set(keyScope(), function(), name, given);
            out.println((change.created() ? "Created " : "Updated ") + change.key().describe() + ".");
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Gives a key a new random value, creating it if absent, and prints the value.")
    static final class RenewKey extends OneKey {

        @Override
        void run(FunctionApp app, KeyStore store, PrintWriter out) throws KeyStoreException {
            out.println(store.renew(keyScope(), function(), name).value());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a key; the master key can only be renewed or set.")
    static final class DeleteKey extends OneKey {

        @Override
        void run(FunctionApp app, KeyStore store, PrintWriter out) throws KeyStoreException {
            KeyScope keyScope = keyScope();
            String described = keyScope.describe(function(), name);
            if (!store.delete(keyScope, function(), name)) {
                throw new KeyRejectedException("nothing to delete: " + described + " does not exist");
            }
            out.println("Deleted " + described + ".");
        }
    }
}
