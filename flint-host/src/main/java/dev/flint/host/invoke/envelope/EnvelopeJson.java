package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.Iterator;
import java.util.Map;

/** The one Jackson configuration of the envelope codec, and small helpers over its trees. */
final class EnvelopeJson {

    /**
     * Jackson's default caps a JSON string at 20 M chars, which a base64 body of 15 MB already exceeds.
     * The real bound is the body size limit the invoker enforces before any parsing.
     */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .build();

    static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(LIMITS).build();

    /**
     * Trees keep numbers as written ({@code 1.50} stays {@code 1.50}): they are echoed to callers as
     * .NET would print them, and passed on to other outputs unchanged. A handler that writes two JSON
     * documents in one answer is refused rather than half read.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /**
     * Newtonsoft's {@code JObject.Parse}, which Azure uses to pull binding data out of a request body
     * ({@code Utility.ApplyBindingData}), takes single quotes, bare names and comments; so does this.
     */
    static final ObjectReader LENIENT_READER = MAPPER.reader()
            .withFeatures(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA);

    /** Newtonsoft's {@code Formatting.Indented}: two spaces, {@code "key": value}, {@code {}} and {@code []} when empty. */
    static final ObjectWriter INDENTED_WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    static final ObjectWriter COMPACT_WRITER = MAPPER.writer();

    private EnvelopeJson() {}

    /**
     * The value of {@code name} in {@code object}, matched case-insensitively as Newtonsoft binds
     * properties; the last match wins, as in Newtonsoft. Null when absent; a JSON null is a NullNode.
     */
    static JsonNode fieldIgnoreCase(JsonNode object, String name) {
        JsonNode found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                found = field.getValue();
            }
        }
        return found;
    }
}
