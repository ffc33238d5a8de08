package dev.flint.host;

/** The host could not start for a reason outside the app's files, such as a port already in use. */
public final class HostStartException extends RuntimeException {

    public HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
