package dev.flint.host.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * local.settings.json: {@code Values} become environment variables of the handler (and are seen by
 * {@code %VAR%} expansion); {@code Host} sets the front door's port, address and CORS.
 */
public record LocalSettings(
        Map<String, String> values,
        Optional<Integer> localHttpPort,
        Optional<String> localHttpAddress,
        List<String> cors,
        boolean corsCredentials,
        Map<String, String> connectionStrings) {

    public static final LocalSettings EMPTY =
            new LocalSettings(Map.of(), Optional.empty(), Optional.empty(), List.of(), false, Map.of());

    public LocalSettings {
        values = Map.copyOf(values);
        cors = List.copyOf(cors);
        connectionStrings = Map.copyOf(connectionStrings);
    }
}
