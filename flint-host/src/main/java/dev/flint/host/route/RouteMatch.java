package dev.flint.host.route;

import java.util.Map;
import java.util.Objects;

/**
 * The route a request was routed to.
 *
 * @param target the target registered with the matching template
 * @param params route values by parameter name as written in the template, in template order;
 *               {@code null} for an optional parameter the request left out (Azure sends those too)
 */
public record RouteMatch<T>(T target, Map<String, String> params) {

    public RouteMatch {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(params, "params");
    }
}
