package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bytes of an http output's {@code body} and the Content-Type it implies when the handler gave none
 * (§5.6): a string is its UTF-8 text ({@code text/plain; charset=utf-8}); an object or array is its JSON
 * text, indented like Newtonsoft for a named output and compact for {@code $return}; a number or boolean is
 * its .NET text; null or missing is an empty body with no Content-Type.
 *
 * <p>Flint's choice: an object or array body without a declared type is sent as
 * {@code application/json; charset=utf-8}, which is what it is (Azure varies with the path it takes).
 *
 * <p>Base64 (the rule is explained on {@link HttpOutputMapper}): a {@code $return} string body is decoded
 * only when the declared Content-Type is not text and the string is strict base64; never otherwise.
 */
final class OutputBody {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String APPLICATION_JSON = "application/json; charset=utf-8";

    /** How the output reached the mapper; the two paths write bodies differently in Azure. */
    enum Style {
        /** {@code Outputs.<name>}: JSON bodies indented; strings always text. */
        NAMED,
        /** {@code ReturnValue}: JSON bodies compact; strings may be base64 of bytes. */
        RETURN
    }

    /** @param defaultContentType the type to send when the handler declared none; null for none */
    record Encoded(Buffer bytes, String defaultContentType) {}

    private OutputBody() {}

    static Encoded encode(JsonNode body, String declaredContentType, Style style) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new Encoded(Buffer.buffer(), null);
        }
        if (body.isTextual()) {
            String text = body.textValue();
            if (style == Style.RETURN && declaredContentType != null && !MediaTypes.isTextual(declaredContentType)) {
                byte[] bytes = decodeBase64OrNull(text);
                if (bytes != null) {
                    return new Encoded(Buffer.buffer(bytes), null);
                }
            }
            return new Encoded(Buffer.buffer(text, StandardCharsets.UTF_8.name()), TEXT_PLAIN);
        }
        if (body.isContainerNode()) {
            ObjectWriter writer = style == Style.NAMED ? EnvelopeJson.INDENTED_WRITER : EnvelopeJson.COMPACT_WRITER;
            Buffer json = Buffer.buffer(256);
            try {
                writer.writeValue(new BufferOutputStream(json), body);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot happen: the body is written to memory", e);
            }
            return new Encoded(json, APPLICATION_JSON);
        }
        return new Encoded(Buffer.buffer(DotNetJsonText.of(body), StandardCharsets.UTF_8.name()), TEXT_PLAIN);
    }

    /**
     * The bytes of standard base64 with padding, as .NET's {@code Convert.FromBase64String} takes it;
     * null when the text is anything else (Java's decoder alone would accept a missing padding).
     */
    static byte[] decodeBase64OrNull(String text) {
        if (text.length() % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
