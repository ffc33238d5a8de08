package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code Metadata} object of an HTTP invocation (§5.4), built as Azure builds it: the trigger's binding
 * data ({@code HttpTriggerAttributeBindingProvider.GetRequestBindingData}) in a case-insensitive map where
 * later sources win — each non-array top-level property of a JSON body, then each query parameter except
 * {@code code}, then each route value — followed by {@code Query}, {@code Headers} (both added only if no
 * such key exists yet, as Azure does) and {@code sys}. Null values and keys ending in {@code trigger} are
 * left out ({@code ScriptInvocationContextExtensions.ToHttpScriptInvocationContext}).
 *
 * <p>Values are encoded as §5.3 says: a string, number or boolean becomes its .NET text and is then
 * JSON-serialized into a string (double encoding, {@code "id": "\"1005\""}); a body property holding an
 * object stays an object. Differences from Azure, all in values handlers are not known to read: Newtonsoft
 * turns date-like body strings into DateTime and prints them in its own format; Flint keeps the string.
 */
final class HttpTriggerMetadata {

    static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private HttpTriggerMetadata() {}

    static void write(JsonGenerator g, String functionName, HttpRequestSnapshot req,
                      List<Map.Entry<String, String>> query, String bodyText, Instant utcNow, String randGuid)
            throws IOException {
        BindingData data = bindingData(req, query, bodyText);
        g.writeStartObject();
        for (int i = 0; i < data.size(); i++) {
            String key = data.key(i);
            Object value = data.value(i);
            if (value == null || endsWithIgnoreCase(key, "trigger") || key.equalsIgnoreCase("sys")) {
                continue;
            }
            g.writeFieldName(key);
            if (value instanceof JsonNode object) {
                g.writeTree(object);
            } else {
                g.writeString(doubleEncoded((String) value));
            }
        }
        if (!data.containsKey("Query")) {
            g.writeObjectFieldStart("Query");
            for (Map.Entry<String, String> parameter : query) {
                g.writeStringField(parameter.getKey(), parameter.getValue());
            }
            g.writeEndObject();
        }
        if (!data.containsKey("Headers")) {
            g.writeObjectFieldStart("Headers");
            for (String name : RequestHeaders.distinctNames(req.headers())) {
                g.writeStringField(name, RequestHeaders.joinedValues(req.headers(), name));
            }
            g.writeEndObject();
        }
        // sys comes from the WebJobs SDK (SystemBindingData); a body or query key "sys" cannot replace it.
        g.writeObjectFieldStart("sys");
        g.writeStringField("MethodName", functionName);
        g.writeStringField("UtcNow", UTC_MILLIS.format(utcNow));
        g.writeStringField("RandGuid", randGuid);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static BindingData bindingData(HttpRequestSnapshot req, List<Map.Entry<String, String>> query,
                                           String bodyText) {
        BindingData data = new BindingData();
        JsonNode body = jsonObjectOrNull(bodyText);
        if (body != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                JsonNode value = property.getValue();
                if (value.isObject()) {
                    data.put(property.getKey(), value);
                } else if (!value.isArray()) {
                    data.put(property.getKey(), value.isNull() ? null : DotNetJsonText.of(value));
                }
            }
        }
        for (Map.Entry<String, String> parameter : query) {
            if (!parameter.getKey().equalsIgnoreCase("code")) {
                data.put(parameter.getKey(), parameter.getValue());
            }
        }
        if (req.routeParams() != null) {
            for (Map.Entry<String, String> route : req.routeParams().entrySet()) {
                data.put(route.getKey(), route.getValue());
            }
        }
        return data;
    }

    /**
     * The body as a JSON object when it looks like one ({@code Utility.IsJson}: starts with { and ends
     * with }, whatever the Content-Type, as in Azure), else null. Metadata is a courtesy: a body that is
     * not valid JSON leaves these entries out and never fails the request.
     */
    static JsonNode jsonObjectOrNull(String text) {
        if (text == null || !looksLikeObject(text)) {
            return null;
        }
        try {
            JsonNode node = EnvelopeJson.LENIENT_READER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean looksLikeObject(String text) {
        int first = 0;
        int last = text.length() - 1;
        while (first <= last && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        while (last >= first && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        return first < last && text.charAt(first) == '{' && text.charAt(last) == '}';
    }

    /** {@code JsonConvert.SerializeObject(text)}: the text as a JSON string literal, quotes included. */
    static String doubleEncoded(String text) {
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(text);
        return new StringBuilder(escaped.length + 2).append('"').append(escaped).append('"').toString();
    }

    private static boolean endsWithIgnoreCase(String text, String suffix) {
        return text.regionMatches(true, text.length() - suffix.length(), suffix, 0, suffix.length());
    }
}
