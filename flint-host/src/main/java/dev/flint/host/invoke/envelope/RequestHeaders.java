package dev.flint.host.invoke.envelope;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The caller's headers grouped by name, as ASP.NET Core's header dictionary groups them: one entry per
 * name (case-insensitive, first spelling kept), in order of first appearance, with every value.
 * Walks the entries rather than calling {@code getAll}, so that any {@link MultiMap} works the same way.
 */
final class RequestHeaders {

    private RequestHeaders() {}

    static List<String> distinctNames(MultiMap headers) {
        List<String> names = new ArrayList<>(headers.size());
        for (Map.Entry<String, String> header : headers) {
            if (!containsIgnoreCase(names, header.getKey())) {
                names.add(header.getKey());
            }
        }
        return names;
    }

    /** The values of {@code name}, joined with commas like {@code StringValues.ToString()} (Metadata.Headers, §5.4). */
    static String joinedValues(MultiMap headers, String name) {
        String joined = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                joined = joined == null ? header.getValue() : joined + "," + header.getValue();
            }
        }
        return joined == null ? "" : joined;
    }

    private static boolean containsIgnoreCase(List<String> names, String name) {
        for (String existing : names) {
            if (existing.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
