package dev.flint.host.route;

/**
 * One piece of a path segment: literal text or a parameter. A segment such as
 * {@code {name}.{ext}} has several parts; most segments have one.
 */
sealed interface Part permits Literal, Parameter {
}
