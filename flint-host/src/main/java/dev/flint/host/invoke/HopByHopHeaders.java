package dev.flint.host.invoke;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection rather than the message (RFC 9110 section 7.6.1): a proxy
 * must not pass them on. Everything else is copied verbatim, Host included, as Azure does.
 */
final class HopByHopHeaders {

    private static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            // Flint has already answered 100-continue to the caller; the handler gets the body at once.
            "expect");

    private HopByHopHeaders() {}

    static boolean isHopByHop(String name, MultiMap headers) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (NAMES.contains(lower)) {
            return true;
        }
        String connection = headers.get("connection");
        if (connection == null) {
            return false;
        }
        for (String token : connection.split(",")) {
            if (token.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Copies the end-to-end headers of {@code from} into {@code to}. */
    static void copy(MultiMap from, MultiMap to) {
        boolean listsConnectionHeaders = from.contains("connection");
        for (var entry : from) {
            String name = entry.getKey();
            if (listsConnectionHeaders ? isHopByHop(name, from) : NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            to.add(name, entry.getValue());
        }
    }
}
