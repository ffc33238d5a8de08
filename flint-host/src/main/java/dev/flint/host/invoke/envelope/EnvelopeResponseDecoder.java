package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.HandlerLog;
import dev.flint.host.invoke.InvocationFailure;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the handler's answer to an envelope, {@code {"Outputs":{...},"Logs":[...],"ReturnValue":...}},
 * with Azure's rules ({@code DefaultHttpWorkerService.GetHttpScriptInvocationResult}, §5.5): the status
 * must be 2xx, the Content-Type JSON, the body a JSON object; top-level keys are case-insensitive, as
 * Newtonsoft binds them ({@code outputs}, {@code logs} and {@code returnvalue} work); keys inside
 * {@code Outputs} are kept exactly as sent.
 *
 * <p>Where Flint does better than Azure: a non-2xx answer keeps the {@code Logs} of its body, attached to
 * the failure (Azure drops them, core-tools#3313); an empty body fails at once (Azure waits for
 * {@code functionTimeout}); every failure message names the call, the rule and the start of the body.
 */
public final class EnvelopeResponseDecoder {

    private EnvelopeResponseDecoder() {}

    /**
     * @param status      the handler's HTTP status
     * @param contentType the handler's Content-Type header, or null
     * @param body        the handler's body, possibly empty or null
     * @throws InvocationFailure HANDLER_STATUS, EMPTY_RESPONSE, WRONG_CONTENT_TYPE or BAD_JSON
     */
    public static HandlerResult decode(FunctionDefinition fn, int status, String contentType, Buffer body) {
        String call = "POST /" + fn.name();
        if (status < 200 || status > 299) {
            throw new InvocationFailure(FailureKind.HANDLER_STATUS, "handler answered " + statusText(status) + " to "
                    + call + "; an envelope answer must be 2xx (" + BodyPreview.of(body) + ")", logsOfFailedAnswer(body), null);
        }
        if (body == null || body.length() == 0) {
            throw new InvocationFailure(FailureKind.EMPTY_RESPONSE, "handler answered " + statusText(status) + " to "
                    + call + " with an empty body; an envelope answer must be a JSON object such as "
                    + "{\"Outputs\":{},\"Logs\":[],\"ReturnValue\":null} (Azure would wait for functionTimeout here)");
        }
        if (!MediaTypes.isJson(contentType)) {
            throw new InvocationFailure(FailureKind.WRONG_CONTENT_TYPE, "handler answered " + call + " with "
                    + (contentType == null ? "no Content-Type" : "Content-Type '" + contentType + "'")
                    + "; an envelope answer must be JSON: set Content-Type: application/json (" + BodyPreview.of(body) + ")");
        }
        JsonNode root;
        try {
            root = EnvelopeJson.MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new InvocationFailure(FailureKind.BAD_JSON, "handler answered " + call + " with invalid JSON: "
                    + withoutSourceMarker(e.getOriginalMessage()) + at(e.getLocation()) + " (" + BodyPreview.of(body) + ")", e);
        } catch (IOException e) {
            throw new InvocationFailure(FailureKind.BAD_JSON, "handler answered " + call + " with unreadable JSON: "
                    + e.getMessage(), e);
        }
        if (root.isMissingNode()) {
            throw new InvocationFailure(FailureKind.EMPTY_RESPONSE, "handler answered " + statusText(status) + " to "
                    + call + " with only white space; an envelope answer must be a JSON object such as "
                    + "{\"Outputs\":{},\"Logs\":[],\"ReturnValue\":null}");
        }
        if (!root.isObject()) {
            throw new InvocationFailure(FailureKind.BAD_JSON, "handler answered " + call + " with a JSON "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + "; an envelope answer must be a JSON object with Outputs, Logs and ReturnValue ("
                    + BodyPreview.of(body) + ")");
        }
        return new HandlerResult(outputs(root, call), HandlerLogReader.read(EnvelopeJson.fieldIgnoreCase(root, "Logs")),
                returnValue(root));
    }

    private static Map<String, JsonNode> outputs(JsonNode root, String call) {
        JsonNode outputs = EnvelopeJson.fieldIgnoreCase(root, "Outputs");
        if (outputs == null || outputs.isNull()) {
            return null;
        }
        if (!outputs.isObject()) {
            // Azure cannot bind it to Dictionary<string, object> and fails the invocation too.
            throw new InvocationFailure(FailureKind.BAD_JSON, "handler answered " + call + " with Outputs that is "
                    + OutputSite.found(outputs) + "; Outputs must be an object of output name: value");
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = outputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> output = it.next();
            byName.put(output.getKey(), output.getValue());
        }
        return byName;
    }

    private static JsonNode returnValue(JsonNode root) {
        JsonNode value = EnvelopeJson.fieldIgnoreCase(root, "ReturnValue");
        return value == null || value.isNull() ? null : value;
    }

    /** The Logs of a non-2xx answer whose body is a JSON object; none when it is anything else. */
    private static List<HandlerLog> logsOfFailedAnswer(Buffer body) {
        if (body == null || body.length() == 0) {
            return List.of();
        }
        try {
            JsonNode root = EnvelopeJson.MAPPER.readTree(body.getBytes());
            return root != null && root.isObject()
                    ? HandlerLogReader.read(EnvelopeJson.fieldIgnoreCase(root, "Logs"))
                    : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String statusText(int status) {
        String phrase = HttpResponseStatus.valueOf(status).reasonPhrase();
        // Netty names unknown codes "Unknown Status (799)"-style; the number alone reads better.
        return phrase.endsWith("(" + status + ")") ? Integer.toString(status) : status + " " + phrase;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Jackson names the source of an unclosed object's start, which here is only noise. */
    private static String withoutSourceMarker(String message) {
        return message == null ? "" : message.replaceAll(" \\(start marker at \\[Source:.*?\\]\\)", "");
    }
}
