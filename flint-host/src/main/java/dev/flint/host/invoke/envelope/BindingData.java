package dev.flint.host.invoke.envelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An insertion-ordered map with case-insensitive keys, like the
 * {@code Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)} Azure collects binding data in:
 * putting a key again replaces the value but keeps the first spelling and position. Requests have a
 * handful of entries, so lookups scan a list; an index is built only for large JSON bodies.
 */
final class BindingData {

    private static final int INDEX_THRESHOLD = 16;

    private final List<String> keys = new ArrayList<>(8);
    private final List<Object> values = new ArrayList<>(8);
    private Map<String, Integer> index;

    void put(String key, Object value) {
        int position = indexOf(key);
        if (position >= 0) {
            values.set(position, value);
            return;
        }
        keys.add(key);
        values.add(value);
        if (index != null) {
            index.put(key.toLowerCase(Locale.ROOT), keys.size() - 1);
        } else if (keys.size() > INDEX_THRESHOLD) {
            index = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                index.putIfAbsent(keys.get(i).toLowerCase(Locale.ROOT), i);
            }
        }
    }

    boolean containsKey(String key) {
        return indexOf(key) >= 0;
    }

    int size() {
        return keys.size();
    }

    String key(int position) {
        return keys.get(position);
    }

    Object value(int position) {
        return values.get(position);
    }

    private int indexOf(String key) {
        if (index != null) {
            Integer position = index.get(key.toLowerCase(Locale.ROOT));
            return position == null ? -1 : position;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).equalsIgnoreCase(key)) {
                return i;
            }
        }
        return -1;
    }
}
