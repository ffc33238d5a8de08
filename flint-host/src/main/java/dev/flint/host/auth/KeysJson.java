package dev.flint.host.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the keys.json format (see {@link KeyStore}). Errors name the file and the JSON
 * path or line; they never quote the file's content, which is made of secrets (so Jackson's own
 * messages, which quote the offending token, are not passed on).
 */
final class KeysJson {

    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private KeysJson() {}

    static KeyTable parse(byte[] bytes, Path file) throws KeyStoreException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new KeyStoreException(file + ": is not valid JSON" + where
                    + " (a syntax error or a field given twice); fix it, or delete the file to generate new keys");
        } catch (IOException e) {
            throw new KeyStoreException(file + ": cannot be parsed: " + e.getClass().getSimpleName(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw problem(file, "$", "is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw problem(file, "$", "expected a JSON object, found " + describe(root));
        }
        KeyTable table = new KeyTable();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = "$." + field.getKey();
            JsonNode node = field.getValue();
            switch (field.getKey()) {
                case "version" -> {
                    if (!node.isInt() || node.intValue() != FORMAT_VERSION) {
                        throw problem(file, path, "expected " + FORMAT_VERSION + " (the only format this Flint reads)");
                    }
                }
                case "master" -> add(table, file, path, new AccessKey(KeyScope.MASTER, null, AccessKey.MASTER_NAME,
                        value(node, file, path, KeyScope.MASTER.describe(null, AccessKey.MASTER_NAME))));
                case "system" -> readKeys(table, file, path, node, KeyScope.SYSTEM, null);
                case "host" -> readKeys(table, file, path, node, KeyScope.HOST, null);
                case "functions" -> readFunctions(table, file, path, node);
                default -> throw problem(file, path, "unknown field; expected version, master, system, host or functions");
            }
        }
        return table;
    }

    private static void readFunctions(KeyTable table, Path file, String path, JsonNode node) throws KeyStoreException {
        requireObject(node, file, path, "{\"<function>\": {\"<key name>\": \"<value>\"}}");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> function = it.next();
            String name = function.getKey();
            if (KeyRules.nameProblem(name).isPresent()) {
                throw problem(file, path, "the function name " + KeyRules.shown(name) + " is not a function name");
            }
            readKeys(table, file, child(path, name), function.getValue(), KeyScope.FUNCTION, name);
        }
    }

    private static void readKeys(KeyTable table, Path file, String path, JsonNode node, KeyScope scope, String function)
            throws KeyStoreException {
        requireObject(node, file, path, "{\"<key name>\": \"<value>\"}");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> key = it.next();
            String name = key.getKey();
            var nameProblem = KeyRules.nameProblem(name);
            if (nameProblem.isPresent()) {
                throw problem(file, path, nameProblem.get());
            }
            String keyPath = child(path, name);
            add(table, file, keyPath, new AccessKey(scope, function, name,
                    value(key.getValue(), file, keyPath, scope.describe(function, name))));
        }
    }

    private static void add(KeyTable table, Path file, String path, AccessKey key) throws KeyStoreException {
        if (!table.add(key)) {
            throw problem(file, path, "is " + key.describe() + " a second time (names compare case-insensitively)");
        }
    }

    private static String value(JsonNode node, Path file, String path, String described) throws KeyStoreException {
        if (!node.isTextual()) {
            throw problem(file, path, "expected a string (the value of " + described + "), found " + describe(node));
        }
        var valueProblem = KeyRules.valueProblem(node.textValue(), described);
        if (valueProblem.isPresent()) {
            throw problem(file, path, valueProblem.get());
        }
        return node.textValue();
    }

    private static void requireObject(JsonNode node, Path file, String path, String expected) throws KeyStoreException {
        if (!node.isObject()) {
            throw problem(file, path, "expected an object " + expected + ", found " + describe(node));
        }
    }

    static byte[] format(Collection<AccessKey> keys) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", FORMAT_VERSION);
        ObjectNode system = JSON.createObjectNode();
        ObjectNode host = JSON.createObjectNode();
        ObjectNode functions = JSON.createObjectNode();
        // One object per function even if the file spelled a function's name in two ways.
        Map<String, ObjectNode> byFunction = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (AccessKey key : AccessKeys.of(keys).all()) {
            switch (key.scope()) {
                case MASTER -> root.put("master", key.value());
                case SYSTEM -> system.put(key.name(), key.value());
                case HOST -> host.put(key.name(), key.value());
                case FUNCTION -> byFunction.computeIfAbsent(key.function(), functions::putObject)
                        .put(key.name(), key.value());
            }
        }
        root.set("system", system);
        root.set("host", host);
        root.set("functions", functions);
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object of strings cannot fail to serialize", e);
        }
    }

    private static String child(String path, String name) {
        return name.contains(".") ? path + "[\"" + name + "\"]" : path + "." + name;
    }

    private static KeyStoreException problem(Path file, String path, String message) {
        return new KeyStoreException(file + ": " + path + ": " + message);
    }

    /** A JSON value's type, never its content. */
    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
