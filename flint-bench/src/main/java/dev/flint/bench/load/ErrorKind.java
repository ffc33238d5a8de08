package dev.flint.bench.load;

import java.util.Locale;

/** Why a request got no answer; {@link #key()} is the name results and reports use. */
public enum ErrorKind {
    /** The connection could not be opened (refused, unreachable, or not open within the timeout). */
    CONNECT,
    /** No complete answer within the per-request timeout. */
    TIMEOUT,
    /** The connection failed or was closed while the answer was awaited or being read. */
    READ,
    /** The request could not be written. */
    WRITE,
    /** The answer was not a valid HTTP/1.x response. */
    PROTOCOL;

    private static final ErrorKind[] ALL = values();

    private final String key = name().toLowerCase(Locale.ROOT);

    /** {@code connect}, {@code timeout}, {@code read}, {@code write} or {@code protocol}. */
    public String key() {
        return key;
    }

    static ErrorKind of(int ordinal) {
        return ALL[ordinal];
    }

    static int count() {
        return ALL.length;
    }
}
