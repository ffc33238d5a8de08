package dev.flint.cli;

/**
 * A mistake in what the user gave a command (a file that is not a trace, a range outside it):
 * printed as one line on stderr with exit code 2, without the usage text, which would bury it.
 */
public final class UserError extends RuntimeException {

    public UserError(String message) {
        super(message, null, false, false);
    }
}
