package dev.flint.host.app;

import java.nio.file.Path;

/**
 * One thing wrong with a function app's configuration: the file, the JSON path inside it, and what
 * was expected. {@link #toString()} is the line a user reads, for example
 * {@code circle/function.json: $.bindings[0].type: unknown binding type "htpTrigger"; expected one of ...}.
 */
public record ConfigProblem(Path file, String jsonPath, String message) {

    @Override
    public String toString() {
        String where = file == null ? "" : file.toString();
        if (jsonPath != null && !jsonPath.isEmpty()) {
            where = where.isEmpty() ? jsonPath : where + ": " + jsonPath;
        }
        return where.isEmpty() ? message : where + ": " + message;
    }
}
