package dev.flint.host.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HTTP routes of a function app: finds the target for a request's method and path.
 *
 * <p>When several templates match, the most specific wins, as in ASP.NET Core (see
 * {@link RoutePrecedence}): segment by segment from the left, literal text beats a constrained
 * parameter, which beats a plain one, which beats a catch-all; ties go to the route registered
 * first. A method outside a route's methods makes that route not match, so another may; if none
 * does the result is empty and the caller answers 404, as Azure does.
 *
 * <p>Immutable and thread-safe; {@link #match} allocates only the result.
 */
public final class RouteTable<T> {

    /**
     * One route.
     *
     * @param template the full template, prefix included
     * @param methods  the methods it answers, in upper case; empty means every method
     * @param target   what a match returns, such as the function
     */
    public record Entry<T>(RouteTemplate template, Set<String> methods, T target) {

        public Entry {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(target, "target");
            methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }

        /** Whether the route answers {@code method}; methods compare ignoring case, as in ASP.NET. */
        boolean allows(String method) {
            return methods.isEmpty() || methods.contains(method) || methods.contains(method.toUpperCase(Locale.ROOT));
        }
    }

    private final List<Entry<T>> entries;
    private final CandidateIndex index;

    private RouteTable(List<Entry<T>> entries) {
        List<Entry<T>> ordered = new ArrayList<>(entries);
        // A stable sort: equally specific routes keep their registration order.
        ordered.sort(Comparator.comparing(e -> e.template().precedence(), RoutePrecedence::compare));
        this.entries = List.copyOf(ordered);
        this.index = CandidateIndex.of(this.entries.stream().map(Entry::template).toList());
    }

    /** A table of {@code entries}, listed in registration order. */
    public static <T> RouteTable<T> of(List<Entry<T>> entries) {
        return new RouteTable<>(entries);
    }

    /**
     * The route for a request.
     *
     * @param method the request method, such as {@code GET}
     * @param path   the raw, percent-encoded path without the query string
     */
    public Optional<RouteMatch<T>> match(String method, String path) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        for (int candidate : index.candidates(path)) {
            Entry<T> entry = entries.get(candidate);
            if (!entry.allows(method)) {
                continue;
            }
            Map<String, String> params = entry.template().matchOrNull(path);
            if (params != null) {
                return Optional.of(new RouteMatch<>(entry.target(), params));
            }
        }
        return Optional.empty();
    }
}
