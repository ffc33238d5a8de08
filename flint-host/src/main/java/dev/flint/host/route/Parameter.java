package dev.flint.host.route;

import java.util.List;

/**
 * A route parameter such as {@code {id:int}}, {@code {id?}}, {@code {name=x}} or {@code {*rest}}.
 * Its constraints are resolved and its regexes compiled when the template is parsed, so that
 * matching a request does no setup work.
 */
final class Parameter implements Part {

    /** What the parameter does when the request has no value for it. */
    enum Kind {
        /** Needs a value, unless it has a default. */
        STANDARD,
        /** {@code {name?}}: may be absent; its value is then {@code null}. */
        OPTIONAL,
        /** {@code {*name}} or {@code {**name}}: takes the rest of the path, slashes included. */
        CATCH_ALL
    }

    private final String name;
    private final Kind kind;
    private final String defaultValue;
    private final RouteConstraint[] constraints;
    private final boolean defaultAccepted;

    Parameter(String name, Kind kind, String defaultValue, List<RouteConstraint> constraints) {
        this.name = name;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.constraints = constraints.toArray(RouteConstraint[]::new);
        // ASP.NET checks constraints against the default too: a default that breaks them means
        // the route only matches when the request gives a value. Decide that once, here.
        this.defaultAccepted = defaultValue == null || accepts(defaultValue);
    }

    String name() {
        return name;
    }

    boolean isOptional() {
        return kind == Kind.OPTIONAL;
    }

    boolean isCatchAll() {
        return kind == Kind.CATCH_ALL;
    }

    /** The value written after {@code =}, or {@code null}. */
    String defaultValue() {
        return defaultValue;
    }

    boolean hasConstraints() {
        return constraints.length > 0;
    }

    /** Whether the request path may leave this parameter out when it is a segment of its own. */
    boolean canBeOmitted() {
        return kind != Kind.STANDARD || defaultValue != null;
    }

    /** Whether every constraint accepts {@code value}. */
    boolean accepts(String value) {
        for (RouteConstraint constraint : constraints) {
            if (!constraint.accepts(value)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the default value satisfies the constraints; true when there is no default. */
    boolean defaultAccepted() {
        return defaultAccepted;
    }

    /**
     * Whether the constraints let a catch-all match with no value at all. ASP.NET hands such a
     * parameter's constraints a null value, which every built-in constraint except
     * {@code nonfile} rejects.
     */
    boolean acceptsAbsent() {
        for (RouteConstraint constraint : constraints) {
            if (!constraint.acceptsAbsent()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
