package dev.flint.host.auth;

/**
 * A request the rules refuse: a bad key name or value, an unknown function, deleting the master
 * key, changing keys that come from the environment, or malformed keys in the environment. The caller, not the disk, is at fault, so
 * the command line exits with 2 for these and 1 for other {@link KeyStoreException}s.
 */
public class KeyRejectedException extends KeyStoreException {

    public KeyRejectedException(String message) {
        super(message);
    }
}
