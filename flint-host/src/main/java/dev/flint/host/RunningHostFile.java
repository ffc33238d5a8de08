package dev.flint.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * {@code <data directory>/running.json}: where the app's running Flint listens ({@code pid}, {@code url}),
 * so that {@code flint profile} and {@code flint bench FUNCTION} find it whatever {@code --port} it
 * was given. Written when the front door is bound, removed when that Flint stops; a file left by a
 * Flint that died is ignored (its pid is gone) and replaced by the next start.
 */
public final class RunningHostFile {

    static final String NAME = "running.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningHostFile() {}

    /** The running Flint's base URL ({@code http://127.0.0.1:7071}), when one is running for this data directory. */
    public static Optional<String> url(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        try {
            JsonNode n = JSON.readTree(file.toFile());
            long pid = n.path("pid").asLong(-1);
            String url = n.path("url").asText("");
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive && url.startsWith("http://") ? Optional.of(url) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void write(Path dataDirectory, String address, int port) throws IOException {
        String host = List.of("0.0.0.0", "::", "*", "+").contains(address) ? "127.0.0.1"
                : address.contains(":") ? "[" + address + "]" : address;
        Files.createDirectories(dataDirectory);
        Path tmp = Files.createTempFile(dataDirectory, ".running", ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(JSON.createObjectNode().put("pid", ProcessHandle.current().pid())
                .put("url", "http://" + host + ":" + port)));
        Files.move(tmp, dataDirectory.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if this process wrote it (another Flint of the same app may have replaced it). */
    static void remove(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n.path("pid").asLong(-1) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException ignored) {
            // gone already, or not ours
        }
    }
}
