package dev.flint.host.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The app's function names, looked up case-insensitively as Azure does, answered with the folder's spelling. */
final class FunctionNames {

    private final Map<String, String> byLowerCase = new LinkedHashMap<>();

    FunctionNames(Collection<String> names) {
        names.forEach(name -> byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
    }

    Optional<String> canonical(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byLowerCase.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The names, spelled as the app spells them. */
    Collection<String> all() {
        return byLowerCase.values();
    }

    /** The message for a function name that is not one of these. */
    String unknown(String name) {
        return "no function named " + KeyRules.shown(name) + (byLowerCase.isEmpty() ? "; the app has no functions"
                : "; the app's functions are " + String.join(", ", byLowerCase.values()));
    }
}
