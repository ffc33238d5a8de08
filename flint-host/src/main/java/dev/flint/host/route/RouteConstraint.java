package dev.flint.host.route;

import java.util.function.Predicate;

/**
 * A resolved inline constraint such as {@code int} or {@code range(1,10)}.
 *
 * @param text          the constraint as written in the template, for messages
 * @param test          whether a present, decoded value satisfies the constraint
 * @param acceptsAbsent whether a catch-all that captured nothing satisfies it
 */
record RouteConstraint(String text, Predicate<String> test, boolean acceptsAbsent) {

    boolean accepts(String value) {
        return test.test(value);
    }

    @Override
    public String toString() {
        return text;
    }
}
