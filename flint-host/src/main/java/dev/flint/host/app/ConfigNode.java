package dev.flint.host.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON node that knows which file and JSON path it came from, so that every complaint about it
 * names both. Keys are matched case-insensitively, as .NET configuration binding does for host.json
 * and function.json. Problems and warnings go to a shared {@link Diagnostics}; readers return a
 * fallback instead of throwing, so that one load reports every problem at once.
 */
final class ConfigNode {

    private final Path file;
    private final String path;
    private final JsonNode node;
    private final Diagnostics diagnostics;

    ConfigNode(Path file, String path, JsonNode node, Diagnostics diagnostics) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.diagnostics = diagnostics;
    }

    static ConfigNode root(Path file, JsonNode node, Diagnostics diagnostics) {
        return new ConfigNode(file, "$", node, diagnostics);
    }

    Path file() {
        return file;
    }

    String path() {
        return path;
    }

    JsonNode json() {
        return node;
    }

    boolean isObject() {
        return node != null && node.isObject();
    }

    /** The child under {@code key}, matched case-insensitively; empty when absent or null. */
    Optional<ConfigNode> child(String key) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase(key) && !field.getValue().isNull()) {
                return Optional.of(new ConfigNode(file, childPath(field.getKey()), field.getValue(), diagnostics));
            }
        }
        return Optional.empty();
    }

    /** An object child; a value of another type is reported and treated as absent. */
    Optional<ConfigNode> object(String key) {
        Optional<ConfigNode> child = child(key);
        if (child.isPresent() && !child.get().node.isObject()) {
            child.get().problem("expected an object, found " + describe(child.get().node));
            return Optional.empty();
        }
        return child;
    }

    Optional<String> string(String key) {
        Optional<ConfigNode> child = child(key);
        if (child.isEmpty()) {
            return Optional.empty();
        }
        JsonNode value = child.get().node;
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isNumber() || value.isBoolean()) {
            // .NET configuration binding reads every scalar as a string.
            return Optional.of(value.asText());
        }
        child.get().problem("expected a string, found " + describe(value));
        return Optional.empty();
    }

    String requiredString(String key, String expectation) {
        boolean present = child(key).isPresent();
        Optional<String> value = string(key); // reports a value of the wrong type itself
        if (value.isPresent() && !value.get().isBlank()) {
            return value.get();
        }
        if (!present || value.isPresent()) { // absent, or a blank string
            problemAt(childPath(key), "is required: " + expectation);
        }
        return null;
    }

    Optional<Boolean> bool(String key) {
        Optional<ConfigNode> child = child(key);
        if (child.isEmpty()) {
            return Optional.empty();
        }
        JsonNode value = child.get().node;
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(value.textValue()));
        }
        child.get().problem("expected true or false, found " + describe(value));
        return Optional.empty();
    }

    Optional<Integer> integer(String key) {
        Optional<ConfigNode> child = child(key);
        if (child.isEmpty()) {
            return Optional.empty();
        }
        JsonNode value = child.get().node;
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            return Optional.of(value.intValue());
        }
        if (value.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(value.textValue().trim()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        child.get().problem("expected an integer, found " + describe(value));
        return Optional.empty();
    }

    /** A list of strings; a single string is accepted as a list of one. */
    List<String> strings(String key) {
        Optional<ConfigNode> child = child(key);
        List<String> result = new ArrayList<>();
        if (child.isEmpty()) {
            return result;
        }
        JsonNode value = child.get().node;
        if (value.isTextual()) {
            result.add(value.textValue());
            return result;
        }
        if (!value.isArray()) {
            child.get().problem("expected an array of strings, found " + describe(value));
            return result;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual()) {
                result.add(item.textValue());
            } else if (item.isNumber() || item.isBoolean()) {
                result.add(item.asText());
            } else {
                problemAt(child.get().path + "[" + i + "]", "expected a string, found " + describe(item));
            }
        }
        return result;
    }

    /** The elements of an array child, each with its own path. */
    List<ConfigNode> elements(String key) {
        Optional<ConfigNode> child = child(key);
        List<ConfigNode> result = new ArrayList<>();
        if (child.isEmpty()) {
            return result;
        }
        if (!child.get().node.isArray()) {
            child.get().problem("expected an array, found " + describe(child.get().node));
            return result;
        }
        for (int i = 0; i < child.get().node.size(); i++) {
            result.add(new ConfigNode(file, child.get().path + "[" + i + "]", child.get().node.get(i), diagnostics));
        }
        return result;
    }

    /** Warns once for every key of this object that is not in {@code known} (case-insensitive). */
    void warnUnknownKeys(Set<String> known, String context) {
        if (node == null || !node.isObject()) {
            return;
        }
        Set<String> lower = new java.util.HashSet<>();
        known.forEach(k -> lower.add(k.toLowerCase(Locale.ROOT)));
        node.fieldNames().forEachRemaining(name -> {
            if (!lower.contains(name.toLowerCase(Locale.ROOT))) {
                diagnostics.warn(new ConfigProblem(file, childPath(name),
                        "unknown key in " + context + "; ignored (known keys: " + String.join(", ", known) + ")"));
            }
        });
    }

    void problem(String message) {
        diagnostics.error(new ConfigProblem(file, path, message));
    }

    void problemAt(String jsonPath, String message) {
        diagnostics.error(new ConfigProblem(file, jsonPath, message));
    }

    void warn(String message) {
        diagnostics.warn(new ConfigProblem(file, path, message));
    }

    String childPath(String key) {
        return key.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? path + "." + key : path + "['" + key + "']";
    }

    static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return "the string \"" + value.textValue() + "\"";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isBoolean()) {
            return "the boolean " + value.booleanValue();
        }
        return "the number " + value.asText();
    }
}
