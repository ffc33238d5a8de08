package dev.flint.host.route;

/**
 * A constraint that cannot be resolved. {@link TemplateParser} adds the template and the position
 * and rethrows it as a {@link RouteTemplateException}.
 */
final class InvalidConstraintException extends Exception {

    InvalidConstraintException(String problem) {
        super(problem);
    }
}
