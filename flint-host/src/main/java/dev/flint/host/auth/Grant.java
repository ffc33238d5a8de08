package dev.flint.host.auth;

import dev.flint.host.app.AuthLevel;
import java.util.Objects;

/**
 * What a presented key is worth for one request.
 *
 * @param keyName the name of the key that matched, for logs; {@code null} when anonymous
 */
public record Grant(AuthLevel level, String keyName) {

    private static final Grant ANONYMOUS = new Grant(AuthLevel.ANONYMOUS, null);

    public Grant {
        Objects.requireNonNull(level, "level");
    }

    public static Grant anonymous() {
        return ANONYMOUS;
    }

    /** Whether this grant is enough for an endpoint that requires {@code required}. */
    public boolean allows(AuthLevel required) {
        return level.compareTo(required) >= 0;
    }
}
