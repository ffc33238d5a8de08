package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpTrigger;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes an HTTP request as the JSON envelope Flint POSTs to the handler at {@code /{FunctionName}}:
 * {@code {"Data":{"<trigger>":{Url, Method, Query, Headers, Params, Identities, Body}},"Metadata":{...}}}
 * (§5.1, §5.2, §5.4). This runs for every envelope-mode request, so it streams with Jackson's generator
 * straight into the buffer that is sent, and builds a JSON tree only to read a JSON body's properties
 * for Metadata.
 */
public final class EnvelopeRequestEncoder {

    private static final int ENVELOPE_OVERHEAD_BYTES = 2048;

    private EnvelopeRequestEncoder() {}

    /** The envelope of a caller authenticated as Admin, as every caller is under {@code func start} (§8.3). */
    public static Buffer encode(FunctionDefinition fn, HttpRequestSnapshot req, String invocationId, Instant utcNow) {
        return encode(fn, req, invocationId, utcNow, AuthLevel.ADMIN);
    }

    /**
     * @param invocationId also used as {@code sys.RandGuid} when it is a GUID, see {@link #randGuid}
     * @param callerLevel  the value of the auth-level claim in {@code Identities}; {@code ANONYMOUS} sends
     *                     an unauthenticated identity without claims
     * @throws IllegalArgumentException when the function has no HTTP trigger
     */
    public static Buffer encode(FunctionDefinition fn, HttpRequestSnapshot req, String invocationId, Instant utcNow,
                                AuthLevel callerLevel) {
        HttpTrigger trigger = fn.httpTrigger().orElseThrow(() -> new IllegalArgumentException(
                "function '" + fn.name() + "' has no httpTrigger; only HTTP requests are encoded here"));
        List<Map.Entry<String, String>> query = QueryParameters.parse(req.rawQuery());
        Buffer body = req.body() != null && req.body().length() > 0 ? req.body() : null;
        boolean binaryBody = body != null && MediaTypes.isOctetStreamOrMultipart(req.headers().get("Content-Type"));
        String bodyText = body != null && !binaryBody ? body.toString(StandardCharsets.UTF_8) : null;

        Buffer out = Buffer.buffer(sizeHint(body, binaryBody, bodyText));
        try (JsonGenerator g = EnvelopeJson.FACTORY.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeObjectFieldStart("Data");
            g.writeFieldName(trigger.bindingName());
            writeRequest(g, req, query, callerLevel, body, binaryBody, bodyText);
            g.writeEndObject();
            g.writeFieldName("Metadata");
            HttpTriggerMetadata.write(g, fn.name(), req, query, bodyText, utcNow, randGuid(invocationId));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: the envelope is written to memory", e);
        }
        return out;
    }

    /**
     * Room for the whole envelope, so that the buffer rarely grows: base64 adds a third to a binary body;
     * a JSON object body is written twice (Body, then its properties in Metadata); escapes add a little.
     */
    private static int sizeHint(Buffer body, boolean binaryBody, String bodyText) {
        if (body == null) {
            return ENVELOPE_OVERHEAD_BYTES;
        }
        long length = body.length();
        long hint = binaryBody ? (length + 2) / 3 * 4
                : HttpTriggerMetadata.looksLikeObject(bodyText) ? length * 2 + length / 8
                : length + length / 8;
        return (int) Math.min(Integer.MAX_VALUE - 8, ENVELOPE_OVERHEAD_BYTES + hint);
    }

    /** {@code Data.<req>}, field by field as {@code HttpRequestExtensions.GetRequestAsJObject} builds it (§5.2). */
    private static void writeRequest(JsonGenerator g, HttpRequestSnapshot req, List<Map.Entry<String, String>> query,
                                     AuthLevel callerLevel, Buffer body, boolean binaryBody, String bodyText)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("Url", req.url());
        g.writeStringField("Method", req.method());
        g.writeObjectFieldStart("Query");
        for (Map.Entry<String, String> parameter : query) {
            g.writeStringField(parameter.getKey(), parameter.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("Headers");
        for (String name : RequestHeaders.distinctNames(req.headers())) {
            g.writeArrayFieldStart(name);
            for (Map.Entry<String, String> header : req.headers()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    g.writeString(header.getValue());
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("Params");
        if (req.routeParams() != null) {
            for (Map.Entry<String, String> route : req.routeParams().entrySet()) {
                g.writeStringField(route.getKey(), route.getValue()); // null for an absent optional value
            }
        }
        g.writeEndObject();
        g.writeFieldName("Identities");
        ClaimsIdentities.write(g, callerLevel);
        if (binaryBody) {
            // Newtonsoft writes a byte[] as standard base64 with padding and no line breaks.
            byte[] bytes = body.getBytes();
            g.writeFieldName("Body");
            g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
        } else if (bodyText != null) {
            g.writeStringField("Body", bodyText);
        }
        g.writeEndObject();
    }

    /**
     * Azure's {@code sys.RandGuid} is a fresh GUID per invocation, meant for names such as blob paths.
     * The invocation id is one too, so Flint reuses it: the handler sees a unique GUID either way, and
     * the envelope of an invocation is reproducible. A non-GUID id falls back to a random one.
     */
    static String randGuid(String invocationId) {
        if (invocationId != null && invocationId.length() == 36) {
            try {
                UUID.fromString(invocationId);
                return invocationId;
            } catch (IllegalArgumentException e) {
                // not a GUID; fall through
            }
        }
        return UUID.randomUUID().toString();
    }
}
