package dev.flint.host.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary files a recording writes in the profiling work directory (perf's {@code .data},
 * async-profiler's and the host's {@code .jfr}): made there, and removed without fuss once stored
 * or abandoned.
 */
final class WorkFiles {

    private WorkFiles() {}

    /** A new empty file {@code <prefix>*<suffix>} in {@code workDirectory}, which is made if missing. */
    static Path create(Path workDirectory, String prefix, String suffix) throws ProfilingException {
        try {
            Files.createDirectories(workDirectory);
            return Files.createTempFile(workDirectory, prefix, suffix);
        } catch (IOException e) {
            throw new ProfilingException(ProfilingException.Kind.FAILED, "cannot write in " + workDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes {@code file} if it is there; a file that cannot be removed stays for the next cleanup. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in the work directory
        }
    }
}
