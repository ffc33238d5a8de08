package dev.flint.host.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated function app: everything needed to start it, and the warnings found on the way.
 */
public record FunctionApp(
        Path root,
        HostConfig host,
        LocalSettings settings,
        List<FunctionDefinition> functions,
        List<ConfigProblem> warnings) {

    public FunctionApp {
        functions = List.copyOf(functions);
        warnings = List.copyOf(warnings);
    }

    /** The app's name: its folder's name. */
    public String name() {
        Path fileName = root.getFileName();
        return fileName == null ? root.toString() : fileName.toString();
    }

    public Optional<FunctionDefinition> function(String name) {
        return functions.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    public List<FunctionDefinition> runnableFunctions() {
        return functions.stream().filter(FunctionDefinition::runnable).toList();
    }
}
