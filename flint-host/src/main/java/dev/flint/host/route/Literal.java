package dev.flint.host.route;

/**
 * Literal text of a template, with {@code {{} and {@code }}} already unescaped. It is compared
 * with the decoded request path ignoring case, as ASP.NET Core does.
 */
record Literal(String text) implements Part {
}
