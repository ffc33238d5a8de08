package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text .NET gives a JSON value with {@code ToString()} / Newtonsoft's {@code (string)} cast, which is
 * what Azure puts in Metadata, response headers and response bodies: a string is its text, a boolean is
 * {@code True}/{@code False}, a number is its digits. Flint keeps numbers as written ({@code 1.50}), where
 * .NET would print the parsed double ({@code 1.5}); no handler is known to depend on the difference.
 */
final class DotNetJsonText {

    private DotNetJsonText() {}

    /** The text of a string, number or boolean; the JSON text of anything else. */
    static String of(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        if (value.isNumber()) {
            return value.asText();
        }
        return value.toString();
    }

    static boolean isPrimitive(JsonNode value) {
        return value.isTextual() || value.isBoolean() || value.isNumber();
    }
}
