package dev.flint.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: the folder with the {@code flint} launcher and {@code examples/}. */
final class Repo {

    private Repo() {}

    /** {@code FLINT_REPO_ROOT} (set by surefire), else the nearest folder above the working directory with a {@code flint} launcher. */
    static Path root() {
        String fromEnv = System.getenv("FLINT_REPO_ROOT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path root = Path.of(fromEnv).toAbsolutePath().normalize();
            if (isRoot(root)) {
                return root;
            }
            throw new IllegalStateException("FLINT_REPO_ROOT=" + fromEnv + " has no flint launcher and examples/ folder");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("no folder with a flint launcher above " + Path.of("").toAbsolutePath()
                + "; set FLINT_REPO_ROOT");
    }

    static Path examples() {
        return root().resolve("examples");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("flint")) && Files.isDirectory(dir.resolve("examples"));
    }
}
