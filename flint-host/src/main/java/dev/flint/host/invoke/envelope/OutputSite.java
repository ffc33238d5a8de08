package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.InvocationFailure;

/** Which function's which output a failure is about, so that every BAD_OUTPUT message names both. */
record OutputSite(String function, String binding) {

    private static final int MAX_QUOTED_CHARS = 80;

    String describe() {
        return "$return".equals(binding)
                ? "function '" + function + "': ReturnValue (the $return output)"
                : "function '" + function + "': output '" + binding + "'";
    }

    InvocationFailure failure(String problem) {
        return new InvocationFailure(FailureKind.BAD_OUTPUT, describe() + " " + problem);
    }

    /** A JSON value as a message names it: {@code the string "ok"}, {@code the number 5}, {@code an array}. */
    static String found(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            String text = value.textValue();
            String shown = text.length() > MAX_QUOTED_CHARS ? text.substring(0, MAX_QUOTED_CHARS) + "…" : text;
            return "the string " + HttpTriggerMetadata.doubleEncoded(shown);
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return value.isArray() ? "an array" : "an object";
    }
}
