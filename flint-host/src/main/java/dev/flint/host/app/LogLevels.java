package dev.flint.host.app;

import java.util.Locale;
import java.util.Set;

/** The .NET log level names host.json uses. */
public final class LogLevels {

    private static final Set<String> NAMES =
            Set.of("trace", "debug", "information", "warning", "error", "critical", "none");

    private LogLevels() {}

    public static boolean isValid(String name) {
        return name != null && NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }
}
