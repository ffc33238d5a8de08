package dev.flint.host.auth;

/**
 * The keys cannot be read or written: keys.json is unreadable, corrupt or cannot be replaced.
 * Messages name the file, JSON path, variable or key name, never a key value; a request that breaks
 * a rule is the subclass {@link KeyRejectedException}.
 */
public class KeyStoreException extends Exception {

    public KeyStoreException(String message) {
        super(message);
    }

    public KeyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
