package dev.flint.host.app;

import java.util.Set;

/**
 * The {@code httpTrigger} binding of a function.
 *
 * @param bindingName the trigger's name: the key of the request in {@code Data}
 * @param methods     upper-case methods; empty means every method
 * @param route       the route template after the prefix; the function name when absent
 */
public record HttpTrigger(String bindingName, AuthLevel authLevel, Set<String> methods, String route) {

    public HttpTrigger {
        // In function.json order: the banner lists them as func start does.
        methods = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(methods));
    }

    public boolean allows(String method) {
        return methods.isEmpty() || methods.contains(method);
    }
}
