package dev.flint.host.app;

import java.util.Locale;
import java.util.Optional;

/** An HTTP trigger's {@code authLevel}, ordered from least to most privileged, as Azure orders them. */
public enum AuthLevel {
    ANONYMOUS, USER, FUNCTION, SYSTEM, ADMIN;

    static Optional<AuthLevel> parse(String text) {
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String wireName() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
