package dev.flint.cli;

import dev.flint.host.auth.KeyStore;
import dev.flint.host.traces.TraceStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flint traces list|show|rm}: the trace store of an app (or of a collector) on disk. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Lists, shows and removes stored traces (those posted to /admin/traces and those Flint recorded).",
        subcommands = {TracesCommand.ListTraces.class, TracesCommand.ShowTrace.class, TracesCommand.RemoveTrace.class})
final class TracesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the store is: {@code --dir}, else the app's data directory's {@code traces}. */
    abstract static class StoreCommand implements Callable<Integer> {
        @Option(names = "--app", paramLabel = "DIR", description = "The function app folder (default: the current directory).")
        Path app = Path.of(".");

        @Option(names = "--dir", paramLabel = "DIR",
                description = "A data directory (a collector's --dir, or an app's --data-dir) instead of the app's.")
        Path directory;

        TraceStore open() throws Exception {
            Path data = directory != null ? directory : KeyStore.dataDirectory(app.toAbsolutePath(), System.getenv());
            return TraceStore.open(data.toAbsolutePath().resolve("traces"), TraceStore.Retention.NONE);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line a trace, newest first.")
    static final class ListTraces extends StoreCommand {
        @Option(names = "--name", paramLabel = "NAME", description = "Only traces of this name (function).")
        String name;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only traces with this label.")
        Map<String, String> labels;

        @Option(names = "--limit", paramLabel = "N", description = "At most N (default: 50).")
        int limit = 50;

        @Override
        public Integer call() throws Exception {
            TraceStore store = open();
            TraceStore.Query query = TraceStore.Query.ALL.withLimit(limit);
            if (name != null) {
                query = query.withName(name);
            }
            if (labels != null) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    query = query.withLabel(label.getKey(), label.getValue());
                }
            }
            List<TraceStore.Entry> entries = store.list(query);
            System.out.printf("%-28s %-20s %-12s %10s %9s  %s%n", "ID", "NAME", "FORMAT", "SAMPLES", "SIZE", "RECEIVED");
            for (TraceStore.Entry e : entries) {
                System.out.printf("%-28s %-20s %-12s %10d %8dK  %s%n", e.id(), e.name(), e.format(), e.samples(),
                        e.sizeBytes() / 1024, e.received());
            }
            System.out.printf("%d of %d traces, %d MB, in %s%n", entries.size(), store.size(), store.totalBytes() >> 20,
                    store.directory());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A trace's entry, labels and summary, as JSON.")
    static final class ShowTrace extends StoreCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            TraceStore store = open();
            var entry = store.get(id).orElseThrow(() -> new UserError("no trace " + id + " in " + store.directory()));
            var json = entry.toJson();
            store.info(id).ifPresent(info -> json.set("info", info));
            json.put("file", store.file(id).toString());
            System.out.println(json.toPrettyString());
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes traces.")
    static final class RemoveTrace extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public Integer call() throws Exception {
            TraceStore store = open();
            int missing = 0;
            for (String id : ids) {
                if (store.delete(id)) {
                    System.out.println("Removed " + id);
                } else {
                    System.err.println("flint traces rm: no trace " + id + " in " + store.directory());
                    missing++;
                }
            }
            return missing == 0 ? 0 : 2;
        }
    }
}
