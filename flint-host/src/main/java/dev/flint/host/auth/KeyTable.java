package dev.flint.host.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys being read or changed, while the store's lock is held: at most one key per scope,
 * function and name, where function and key names compare case-insensitively (as Azure compares
 * them), so {@code Default} and {@code default} are one key. Not thread-safe.
 */
final class KeyTable {

    private final Map<String, AccessKey> keys = new LinkedHashMap<>();
    private boolean modified;

    static KeyTable of(Collection<AccessKey> keys) {
        KeyTable table = new KeyTable();
        keys.forEach(key -> {
            if (!table.add(key)) {
                throw new IllegalArgumentException("two keys are " + key.describe());
            }
        });
        table.modified = false;
        return table;
    }

    /** Adds a key that is not there yet; false (and no change) when one with its scope, function and name is. */
    boolean add(AccessKey key) {
        if (keys.putIfAbsent(identity(key.scope(), key.function(), key.name()), key) != null) {
            return false;
        }
        modified = true;
        return true;
    }

    Optional<AccessKey> find(KeyScope scope, String function, String name) {
        return Optional.ofNullable(keys.get(identity(scope, function, name)));
    }

    /** Sets a key's value, creating it if absent; an existing key keeps the spelling of its name. */
    KeyStore.Change put(KeyScope scope, String function, String name, String value) {
        String identity = identity(scope, function, name);
        AccessKey existing = keys.get(identity);
        AccessKey key = new AccessKey(scope, function, existing == null ? name : existing.name(), value);
        keys.put(identity, key);
        modified = true;
        return new KeyStore.Change(key, existing == null);
    }

    boolean remove(KeyScope scope, String function, String name) {
        boolean removed = keys.remove(identity(scope, function, name)) != null;
        modified |= removed;
        return removed;
    }

    boolean hasKeysOf(String function) {
        return keys.values().stream().anyMatch(k -> k.scope() == KeyScope.FUNCTION && k.function().equalsIgnoreCase(function));
    }

    /** Whether anything was added, set or removed since the table was read. */
    boolean modified() {
        return modified;
    }

    List<AccessKey> keys() {
        return new ArrayList<>(keys.values());
    }

    private static String identity(KeyScope scope, String function, String name) {
        String fn = function == null ? "" : function.toLowerCase(Locale.ROOT);
        return scope.name() + '\0' + fn + '\0' + name.toLowerCase(Locale.ROOT);
    }
}
