package dev.flint.host.auth;

import java.util.Objects;

/**
 * One key: where it applies, its name, and its secret value.
 *
 * @param function the function it belongs to, {@code null} unless {@code scope} is {@link KeyScope#FUNCTION}
 */
public record AccessKey(KeyScope scope, String function, String name, String value) {

    /** The master key's name, as in Azure. */
    public static final String MASTER_NAME = "_master";

    public AccessKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if ((scope == KeyScope.FUNCTION) != (function != null)) {
            throw new IllegalArgumentException("a key has a function name exactly when its scope is FUNCTION: "
                    + scope + ", function " + function);
        }
        if (scope == KeyScope.MASTER && !name.equals(MASTER_NAME)) {
            throw new IllegalArgumentException("the master key is named " + MASTER_NAME + ", not " + name);
        }
    }

    /** What messages call this key; never its value. */
    public String describe() {
        return scope.describe(function, name);
    }

    /** Masks the value: keys end up in debug output and assertion messages. */
    @Override
    public String toString() {
        return "AccessKey[scope=" + scope + ", function=" + function + ", name=" + name + ", value=***]";
    }
}
