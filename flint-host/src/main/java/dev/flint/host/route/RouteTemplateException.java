package dev.flint.host.route;

/**
 * A route template that cannot be used. The message quotes the template, names the problem and
 * gives the 1-based character position it was found at, so that a user can fix their
 * {@code function.json} without reading Flint's source.
 */
public final class RouteTemplateException extends IllegalArgumentException {

    private final String template;
    private final int position;

    RouteTemplateException(String template, int position, String problem) {
        super("route \"" + template + "\": " + problem);
        this.template = template;
        this.position = position;
    }

    /** The template as given to {@link RouteTemplate#parse}. */
    public String template() {
        return template;
    }

    /** The 1-based character position of the problem in {@link #template()}, or 0 when it has none. */
    public int position() {
        return position;
    }
}
