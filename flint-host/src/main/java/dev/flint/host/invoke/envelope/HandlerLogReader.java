package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.host.invoke.HandlerLog;
import dev.flint.host.invoke.HandlerLog.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code Logs}. Azure takes an array of strings and logs each at Information (§5.5). Flint also
 * takes {@code {"level": "warning", "message": "..."}} entries (azure-functions-host#6608, §11 item 2);
 * level names are case-insensitive and an unknown level is Information. Any other entry is logged as
 * its JSON text rather than failing the invocation, and so is a {@code Logs} that is not an array.
 */
final class HandlerLogReader {

    private HandlerLogReader() {}

    static List<HandlerLog> read(JsonNode logs) {
        if (logs == null || logs.isNull()) {
            return List.of();
        }
        if (!logs.isArray()) {
            return List.of(entry(logs));
        }
        List<HandlerLog> entries = new ArrayList<>(logs.size());
        for (JsonNode entry : logs) {
            entries.add(entry(entry));
        }
        return entries;
    }

    private static HandlerLog entry(JsonNode entry) {
        if (entry.isTextual()) {
            return HandlerLog.info(entry.textValue());
        }
        if (entry.isObject()) {
            JsonNode message = EnvelopeJson.fieldIgnoreCase(entry, "message");
            if (message != null) {
                JsonNode level = EnvelopeJson.fieldIgnoreCase(entry, "level");
                return new HandlerLog(level == null ? Level.INFORMATION : level(level.asText()),
                        message.isTextual() ? message.textValue() : message.toString());
            }
        }
        return HandlerLog.info(entry.toString());
    }

    static Level level(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warning", "warn" -> Level.WARNING;
            case "error" -> Level.ERROR;
            case "critical" -> Level.CRITICAL;
            default -> Level.INFORMATION;
        };
    }
}
