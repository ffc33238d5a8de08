package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.flint.host.app.Binding;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.InvocationFailure;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a handler's answer into the caller's HTTP response through the function's http output binding,
 * as Azure does (§3.2, §5.6; {@code HttpScriptInvocationResultExtensions}, {@code HttpBinding},
 * {@code WorkerFunctionInvoker.HandleOutputDictionary}).
 *
 * <p><b>Named output</b> ({@code "name": "res"}): {@code Outputs.res} must be an object, or a string holding
 * one, with case-insensitive {@code statusCode} (default 200), {@code headers} and {@code body}; {@code status}
 * is ignored. When there is no {@code $return} binding and {@code ReturnValue} is an object, its properties
 * are merged into {@code Outputs} first, so {@code "ReturnValue": {"res": {...}}} sets {@code res}. When
 * {@code Outputs} exists but lacks the name (matched case-sensitively) the caller gets 200 with {@code {}};
 * when there is no {@code Outputs} at all, an empty 200.
 *
 * <p><b>{@code $return}</b>: {@code ReturnValue} is a response object when it is an object with a
 * {@code body} key (case-insensitive), taking its status from {@code statusCode}, else {@code status}.
 * Anything else is the body itself. A string holding a JSON object or array counts as that object or
 * array, as Azure parses it first. No {@code ReturnValue}: an empty 200.
 *
 * <p><b>Base64, where Flint departs from Azure</b> (§11 items 4 and 5, azure-functions-host#8352): Azure
 * base64-decodes every string {@code ReturnValue} that happens to be valid base64, so {@code "abcd"} reaches
 * the caller as three garbage bytes. Flint sends strings as text by default, and decodes a {@code $return}
 * string body only when the response declares a Content-Type that is not text (not {@code text/*}, JSON,
 * XML, JavaScript, form data, nor anything with a {@code charset}) and the string is valid standard base64
 * with padding. Binary still works from {@code $return}, by saying what it is:
 * {@code {"body":"iVBORw0K...","headers":{"Content-Type":"image/png"}}}. Named outputs are never decoded,
 * as in Azure.
 *
 * <p>Body, header and status rules: {@link OutputBody},
 * {@link OutputHeaders}, {@link OutputStatus}. A function without an http output answers an empty 200,
 * Azure's {@code OkResult}.
 */
public final class HttpOutputMapper {

    private HttpOutputMapper() {}

    /** @throws InvocationFailure BAD_OUTPUT when the output cannot be turned into a response */
    public static HttpResponseSpec map(FunctionDefinition fn, HandlerResult result) {
        Optional<Binding> http = fn.outputs().stream().filter(Binding::isHttpOutput).findFirst();
        if (http.isEmpty()) {
            return emptyOk();
        }
        OutputSite site = new OutputSite(fn.name(), http.get().name());
        return http.get().isReturn() ? fromReturnValue(site, result.returnValue()) : fromNamedOutput(site, fn, result);
    }

    private static HttpResponseSpec fromNamedOutput(OutputSite site, FunctionDefinition fn, HandlerResult result) {
        String name = site.binding();
        JsonNode value;
        JsonNode returnValue = result.returnValue();
        boolean hasReturnBinding = fn.outputs().stream().anyMatch(Binding::isReturn);
        if (!hasReturnBinding && returnValue != null && returnValue.isObject() && returnValue.has(name)) {
            value = returnValue.get(name);
        } else if (result.outputs() != null && result.outputs().containsKey(name)) {
            value = result.outputs().get(name);
        } else if (result.outputs() != null) {
            return respond(site, OutputStatus.DEFAULT, null, JsonNodeFactory.instance.objectNode(), OutputBody.Style.NAMED);
        } else {
            return emptyOk();
        }
        if (value == null || value.isNull()) {
            // Azure's GetHttpOutputBindingResponse swallows the null and sends an empty response object.
            return respond(site, OutputStatus.DEFAULT, null, JsonNodeFactory.instance.objectNode(), OutputBody.Style.NAMED);
        }
        JsonNode response = value.isTextual() ? parseJsonOrNull(value.textValue()) : value;
        if (response == null || !response.isObject()) {
            throw site.failure("must be an object with statusCode, headers and body; found " + OutputSite.found(value));
        }
        int status = OutputStatus.parse(site, "statusCode", EnvelopeJson.fieldIgnoreCase(response, "statusCode"));
        return respond(site, status, EnvelopeJson.fieldIgnoreCase(response, "headers"),
                EnvelopeJson.fieldIgnoreCase(response, "body"), OutputBody.Style.NAMED);
    }

    private static HttpResponseSpec fromReturnValue(OutputSite site, JsonNode returnValue) {
        if (returnValue == null || returnValue.isNull()) {
            return emptyOk();
        }
        JsonNode value = returnValue;
        if (value.isTextual()) {
            JsonNode parsed = parseJsonOrNull(value.textValue());
            if (parsed != null && parsed.isContainerNode()) {
                value = parsed;
            }
        }
        JsonNode body = value.isObject() ? EnvelopeJson.fieldIgnoreCase(value, "body") : null;
        if (body == null) {
            return respond(site, OutputStatus.DEFAULT, null, value, OutputBody.Style.RETURN);
        }
        JsonNode statusCode = EnvelopeJson.fieldIgnoreCase(value, "statusCode");
        int status = statusCode != null
                ? OutputStatus.parse(site, "statusCode", statusCode)
                : OutputStatus.parse(site, "status", EnvelopeJson.fieldIgnoreCase(value, "status"));
        return respond(site, status, EnvelopeJson.fieldIgnoreCase(value, "headers"), body, OutputBody.Style.RETURN);
    }

    private static HttpResponseSpec respond(OutputSite site, int status, JsonNode headers, JsonNode body,
                                            OutputBody.Style style) {
        OutputHeaders.Read declared = OutputHeaders.read(site, headers);
        OutputBody.Encoded encoded = OutputBody.encode(body, declared.contentType(), style);
        List<Map.Entry<String, String>> all = declared.entries();
        if (declared.contentType() == null && encoded.defaultContentType() != null) {
            all = new ArrayList<>(all);
            all.add(Map.entry(OutputHeaders.CONTENT_TYPE, encoded.defaultContentType()));
        }
        return new HttpResponseSpec(status, all, encoded.bytes());
    }

    private static HttpResponseSpec emptyOk() {
        return new HttpResponseSpec(OutputStatus.DEFAULT, List.of(), Buffer.buffer());
    }

    private static JsonNode parseJsonOrNull(String text) {
        try {
            return EnvelopeJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
