package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The status of an http output: a number or a numeric string ({@code HttpBinding.TryParseStatusCode},
 * §5.6); 200 when it is absent, null or an empty string (a Go handler's zero-valued string field).
 * Where Azure silently answers 200 for {@code "abc"}, Flint fails the invocation with a message: a
 * mistyped status is a bug the author wants to see.
 */
final class OutputStatus {

    static final int DEFAULT = 200;

    private OutputStatus() {}

    static int parse(OutputSite site, String key, JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULT;
        }
        int status;
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            status = value.intValue();
        } else if (value.isTextual() && value.textValue().isBlank()) {
            return DEFAULT;
        } else if (value.isTextual()) {
            try {
                status = Integer.parseInt(value.textValue().trim()); // int.TryParse allows surrounding space
            } catch (NumberFormatException e) {
                throw invalid(site, key, value);
            }
        } else {
            throw invalid(site, key, value);
        }
        if (status < 100 || status > 999) {
            throw invalid(site, key, value);
        }
        return status;
    }

    private static RuntimeException invalid(OutputSite site, String key, JsonNode value) {
        return site.failure("has " + key + " " + OutputSite.found(value)
                + "; it must be an HTTP status from 100 to 999, as a number or a string of digits");
    }
}
