package dev.flint.host.route;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The route template of an HTTP-triggered function, in ASP.NET Core syntax, as Azure Functions
 * matches it: {@code api/products/{category:alpha}/{id:int?}}, {@code files/{*path}},
 * {@code {name}.{ext}}. Literals match ignoring case; parameter values are percent-decoded.
 *
 * <p>Parsing validates the whole template and resolves its constraints, so that a bad route is
 * reported at startup, and matching, which runs for every request, does no setup work. Instances
 * are immutable and thread-safe.
 */
public final class RouteTemplate {

    private final String text;
    private final List<Segment> segments;
    private final byte[] precedence;
    private final TemplateMatcher matcher;

    private RouteTemplate(String text, List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.precedence = RoutePrecedence.of(this.segments);
        this.matcher = new TemplateMatcher(this.segments);
    }

    /**
     * Parses a full template, prefix included. A leading {@code /} or {@code ~/} and a trailing
     * {@code /} are ignored, as ASP.NET ignores them.
     *
     * @throws RouteTemplateException when the template is invalid; the message says what is wrong and where
     */
    public static RouteTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        return new RouteTemplate(template, TemplateParser.parse(template));
    }

    /**
     * The template Azure Functions builds for a function: {@code routePrefix/route}, where a
     * missing or blank route means the function's name and an empty prefix means no prefix
     * ({@code WebJobsRouteBuilder.BuildRouteTemplate}). A route that starts with {@code /} after
     * a non-empty prefix is an error there too, because it makes an empty segment.
     *
     * @param routePrefix  {@code extensions.http.routePrefix} from host.json, {@code "api"} by default; may be empty
     * @param route        the trigger's {@code route}, or {@code null}
     * @param functionName the function's name, used when there is no route
     */
    public static RouteTemplate forFunction(String routePrefix, String route, String functionName) {
        String path = route == null || route.isBlank() ? Objects.requireNonNull(functionName, "functionName") : route;
        return parse(routePrefix == null || routePrefix.isEmpty() ? path : routePrefix + "/" + path);
    }

    /**
     * Matches a request path.
     *
     * @param path the raw path: percent-encoded, starting with {@code /}, without the query string;
     *             one trailing {@code /} is ignored
     * @return the route values by parameter name as written in the template, in template order:
     *         decoded values, the default for a left-out parameter that has one, and {@code null}
     *         for a left-out optional parameter or empty catch-all; empty when the path does not
     *         match or a constraint rejects a value
     */
    public Optional<Map<String, String>> match(String path) {
        return Optional.ofNullable(matchOrNull(path));
    }

    /** {@link #match} without the {@code Optional}, for {@link RouteTable}'s scan. */
    Map<String, String> matchOrNull(String path) {
        return matcher.match(Objects.requireNonNull(path, "path"));
    }

    List<Segment> segments() {
        return segments;
    }

    /** See {@link RoutePrecedence}. */
    byte[] precedence() {
        return precedence;
    }

    /** Templates are equal when they are written the same. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RouteTemplate template && template.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The template as given to {@link #parse}. */
    @Override
    public String toString() {
        return text;
    }
}
