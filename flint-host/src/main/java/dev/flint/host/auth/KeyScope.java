package dev.flint.host.auth;

import dev.flint.host.app.AuthLevel;

/** Which requests a key opens, as in Azure: each scope grants one {@link AuthLevel}. */
public enum KeyScope {
    /** The single master key, {@value AccessKey#MASTER_NAME}: every function and the admin API. */
    MASTER(AuthLevel.ADMIN),
    /** A host system key: {@code System}-level endpoints (extension webhooks in Azure). */
    SYSTEM(AuthLevel.SYSTEM),
    /** A host function key, such as {@code default}: {@code Function} level for every function. */
    HOST(AuthLevel.FUNCTION),
    /** A key of one function: {@code Function} level for that function only. */
    FUNCTION(AuthLevel.FUNCTION);

    private final AuthLevel level;

    KeyScope(AuthLevel level) {
        this.level = level;
    }

    public AuthLevel level() {
        return level;
    }

    /** How messages name a key of this scope, e.g. {@code the host key "default"}; never its value. */
    public String describe(String function, String name) {
        return switch (this) {
            case MASTER -> "the master key";
            case SYSTEM -> "the system key \"" + name + "\"";
            case HOST -> "the host key \"" + name + "\"";
            case FUNCTION -> "the key \"" + name + "\" of function " + function;
        };
    }
}
