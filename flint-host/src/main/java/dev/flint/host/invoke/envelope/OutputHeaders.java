package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code headers} of an http output: an object of {@code name: value} (§5.6, {@code RawScriptResult},
 * {@code ScriptObjectResult}). A value is written as its .NET text (a number as its digits, a boolean as
 * {@code True}/{@code False}); {@code Content-Type} becomes the response's content type. A name given twice
 * in different cases keeps its first value, as Azure drops the duplicate.
 *
 * <p>Flint extension: an array of strings, numbers or booleans sends the header once per element, so a
 * handler can set several {@code Set-Cookie}; Azure cannot send arrays at all (it would write the array's
 * JSON text). A null, object or nested array value fails the invocation with a message, as do names that
 * are not HTTP tokens and values holding control characters, which would otherwise fail later, half-sent.
 *
 * <p>{@code Content-Length} and {@code Transfer-Encoding} are left out: the body is complete here and its
 * framing is the server's job; a stale length from the handler would corrupt the response (Kestrel fails
 * the response on a mismatch instead).
 */
final class OutputHeaders {

    static final String CONTENT_TYPE = "Content-Type";

    /** @param contentType the declared Content-Type, or null */
    record Read(List<Map.Entry<String, String>> entries, String contentType) {}

    private OutputHeaders() {}

    static Read read(OutputSite site, JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return new Read(List.of(), null);
        }
        if (!headers.isObject()) {
            throw site.failure("has headers that are " + OutputSite.found(headers)
                    + "; headers must be an object of name: value");
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(headers.size() + 1);
        List<String> seen = new ArrayList<>(headers.size());
        String contentType = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String name = header.getKey();
            if (!isToken(name)) {
                throw site.failure("has a header named " + HttpTriggerMetadata.doubleEncoded(name)
                        + ", which is not a valid HTTP header name");
            }
            if (seen.stream().anyMatch(name::equalsIgnoreCase) || isFraming(name)) {
                continue;
            }
            seen.add(name);
            JsonNode value = header.getValue();
            if (name.equalsIgnoreCase(CONTENT_TYPE)) {
                if (!DotNetJsonText.isPrimitive(value)) {
                    throw site.failure("has a Content-Type header that is " + OutputSite.found(value)
                            + "; it must be a single string such as \"application/json\"");
                }
                contentType = text(site, name, value);
                entries.add(Map.entry(CONTENT_TYPE, contentType));
            } else if (value.isArray()) {
                for (JsonNode element : value) {
                    if (!DotNetJsonText.isPrimitive(element)) {
                        throw site.failure("has header '" + name + "' with an array holding " + OutputSite.found(element)
                                + "; an array value must hold only strings, numbers or booleans");
                    }
                    entries.add(Map.entry(name, text(site, name, element)));
                }
            } else if (DotNetJsonText.isPrimitive(value)) {
                entries.add(Map.entry(name, text(site, name, value)));
            } else {
                throw site.failure("has header '" + name + "' that is " + OutputSite.found(value)
                        + "; a header value must be a string, a number, a boolean or an array of these");
            }
        }
        return new Read(entries, contentType);
    }

    private static String text(OutputSite site, String name, JsonNode value) {
        String text = DotNetJsonText.of(value);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                throw site.failure("has header '" + name + "' whose value holds a control character (code "
                        + (int) c + "); header values must be one line of text");
            }
        }
        return text;
    }

    private static boolean isFraming(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding");
    }

    /** RFC 9110 token: the characters a header name may have. */
    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
