package dev.flint.host.admin;

import dev.flint.host.app.AuthLevel;
import java.util.Set;

/**
 * The host's own HTTP API under {@code /admin}, with Azure's paths (§8.4). Every endpoint needs the
 * master key whenever keys are enforced, except ping.
 */
enum AdminEndpoint {
    PING("admin/host/ping", Set.of("GET", "POST"), AuthLevel.ANONYMOUS),
    STATUS("admin/host/status", Set.of("GET"), AuthLevel.ADMIN),
    FUNCTIONS("admin/functions", Set.of("GET"), AuthLevel.ADMIN),
    FUNCTION("admin/functions/{name}", Set.of("GET", "POST"), AuthLevel.ADMIN),
    HOST_KEYS("admin/host/keys", Set.of("GET"), AuthLevel.ADMIN),
    HOST_FUNCTION_KEYS("admin/host/functionkeys", Set.of("GET"), AuthLevel.ADMIN),
    SYSTEM_KEYS("admin/host/systemkeys", Set.of("GET"), AuthLevel.ADMIN),
    HOST_KEY("admin/host/keys/{keyName}", Set.of("GET", "PUT", "POST", "DELETE"), AuthLevel.ADMIN),
    HOST_FUNCTION_KEY("admin/host/functionkeys/{keyName}", Set.of("GET", "PUT", "POST", "DELETE"), AuthLevel.ADMIN),
    SYSTEM_KEY("admin/host/systemkeys/{keyName}", Set.of("GET", "PUT", "POST", "DELETE"), AuthLevel.ADMIN),
    FUNCTION_KEYS("admin/functions/{name}/keys", Set.of("GET"), AuthLevel.ADMIN),
    FUNCTION_KEY("admin/functions/{name}/keys/{keyName}", Set.of("GET", "PUT", "POST", "DELETE"), AuthLevel.ADMIN),
    /** Profiles Flint's own JVM now with JFR: {@code ?seconds=N[&frequency=F]}, answered with the trace id. */
    HOST_PROFILE("admin/host/profile", Set.of("POST"), AuthLevel.ADMIN),
    /** Profiles the handler now for one function: {@code ?seconds=N[&frequency=F]}, answered with the trace id. */
    PROFILE("admin/functions/{name}/profile", Set.of("POST"), AuthLevel.ADMIN),
    /** The trace collector, store and query API ({@link dev.flint.host.traces.TraceEndpoints}); the catch-all matches /admin/traces too. */
    TRACES("admin/traces/{*rest}", Set.of(), AuthLevel.ADMIN);

    final String template;
    final Set<String> methods;
    final AuthLevel required;

    AdminEndpoint(String template, Set<String> methods, AuthLevel required) {
        this.template = template;
        this.methods = methods;
        this.required = required;
    }
}
