package dev.flint.host.invoke.envelope;

import java.util.Locale;
import java.util.Set;

/** What a Content-Type says about a body: JSON, text, or bytes. Parameters such as charset are allowed. */
final class MediaTypes {

    /** Media types outside {@code text/*} whose bodies are text all the same. */
    private static final Set<String> TEXTUAL_APPLICATION_TYPES = Set.of(
            "application/json", "application/xml", "application/javascript", "application/ecmascript",
            "application/x-javascript", "application/x-www-form-urlencoded", "application/yaml",
            "application/x-yaml", "application/graphql", "application/sql", "application/csv",
            "application/x-ndjson", "application/problem+json", "image/svg+xml");

    private MediaTypes() {}

    /** {@code type/subtype} in lower case, without parameters; null when there is none. */
    static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return essence.isEmpty() ? null : essence.toLowerCase(Locale.ROOT);
    }

    /**
     * What Azure's {@code ReadAsAsync} accepts for the envelope answer ({@code application/json},
     * {@code text/json}), plus any {@code +json} type (§5.5).
     */
    static boolean isJson(String contentType) {
        String essence = essence(contentType);
        return essence != null
                && (essence.equals("application/json") || essence.equals("text/json") || essence.endsWith("+json"));
    }

    /**
     * Request bodies that Azure sends as base64 of their bytes rather than as text
     * ({@code Utility.IsMediaTypeOctetOrMultipart}, §5.2).
     */
    static boolean isOctetStreamOrMultipart(String contentType) {
        String essence = essence(contentType);
        return essence != null && (essence.equals("application/octet-stream") || essence.startsWith("multipart/"));
    }

    /**
     * Whether a body of this type is text. A {@code charset} parameter always means text. Used to decide
     * that a string body is base64 of bytes only when the response says it carries bytes.
     */
    static boolean isTextual(String contentType) {
        String essence = essence(contentType);
        if (essence == null) {
            return true;
        }
        return essence.startsWith("text/")
                || essence.endsWith("+json")
                || essence.endsWith("+xml")
                || TEXTUAL_APPLICATION_TYPES.contains(essence)
                || contentType.toLowerCase(Locale.ROOT).contains("charset=");
    }
}
