package dev.flint.host.app;

import java.util.List;

/**
 * {@code customHandler.description} (or the legacy {@code httpWorker.description}) of host.json, as
 * written: paths are resolved and {@code %VAR%} references expanded only when the handler is launched.
 */
public record HandlerDescription(
        String defaultExecutablePath,
        List<String> arguments,
        String defaultWorkerPath,
        List<String> workerArguments,
        String workingDirectory,
        String workerDirectory) {

    public HandlerDescription {
        arguments = List.copyOf(arguments);
        workerArguments = List.copyOf(workerArguments);
    }
}
