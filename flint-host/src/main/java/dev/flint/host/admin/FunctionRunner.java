package dev.flint.host.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.admission.ClientConnection;
import dev.flint.host.invoke.BodyReader;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.Invocation;
import dev.flint.host.invoke.TriggerInvoker;
import dev.flint.host.route.FunctionRoutes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Optional;

/**
 * {@code POST /admin/functions/{name}} with {@code {"input": ...}}: runs any function in the
 * background and answers 202 at once (400 without a JSON body, 404 for an unknown name, 409 for a
 * function that is disabled).
 *
 * <p>A non-HTTP function gets its trigger value from the input (see {@link TriggerInvoker}). An HTTP
 * function is called the way a client would call it: Flint POSTs the input as the body to the
 * function's own URL on its own front door, with the master key, so that keys, limits and logging
 * apply as to any call. A route with parameters cannot be filled from an input, so that is a 400.
 */
public final class FunctionRunner {

    private final AdminContext context;
    private final TriggerInvoker triggers;
    private final HttpClient client;

    public FunctionRunner(AdminContext context, TriggerInvoker triggers, HttpClient client) {
        this.context = context;
        this.triggers = triggers;
        this.client = client;
    }

    void run(HttpServerRequest request, FunctionDefinition fn) {
        BodyReader.read(request, AdminApi.MAX_BODY_BYTES, ClientConnection.detached()).onComplete(read -> {
            if (read.failed() || read.result().length() == 0) {
                AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST,
                        "expected a JSON body {\"input\": \"...\"} (at most " + AdminApi.MAX_BODY_BYTES + " bytes)");
                return;
            }
            JsonNode body;
            try {
                body = AdminApi.JSON.readTree(read.result().toString());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST, "the body is not JSON: "
                        + e.getOriginalMessage() + "; expected {\"input\": \"...\"}");
                return;
            }
            if (body == null || !body.isObject()) {
                AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST, "expected a JSON object {\"input\": \"...\"}");
                return;
            }
            JsonNode input = body.get("input");
            String text = input == null || input.isNull() ? null : input.isTextual() ? input.textValue() : input.toString();
            start(request, fn, text, input != null && input.isContainerNode());
        });
    }

    private void start(HttpServerRequest request, FunctionDefinition fn, String input, boolean jsonInput) {
        if (fn.disabled()) {
            AdminApi.error(request, 409, FailureKind.ADMIN_CONFLICT, "function " + fn.name() + " is disabled");
            return;
        }
        if (fn.httpTrigger().isPresent()) {
            String template = FunctionRoutes.template(context.app().host().routePrefix(), fn);
            if (template.indexOf('{') >= 0) {
                AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST, "function " + fn.name() + "'s route /"
                        + template + " has parameters, which an input cannot fill; call its URL instead");
                return;
            }
            callOwnUrl(fn, "/" + template, input, jsonInput);
        } else {
            triggers.invoke(Invocation.start(fn, context.invocations()), input);
        }
        request.response().setStatusCode(202).putHeader("Content-Length", "0").end();
    }

    private void callOwnUrl(FunctionDefinition fn, String path, String input, boolean jsonInput) {
        String address = context.options().address();
        String host = address.equals("0.0.0.0") ? "127.0.0.1" : address.equals("::") ? "::1" : address;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host)
                .setPort(context.port()).setURI(path)
                .putHeader("Content-Type", jsonInput ? "application/json" : "text/plain; charset=utf-8");
        Optional<AccessKey> master = context.keys().flatMap(store -> store.current().master());
        if (context.authorizer().enforced() && master.isPresent()) {
            options.putHeader(Authorizer.KEY_HEADER, master.get().value());
        }
        Buffer body = input == null ? Buffer.buffer() : Buffer.buffer(input);
        // The invocation logs itself at the front door; this only drains the answer.
        client.request(options).compose(req -> req.send(body)).compose(answer -> answer.body())
                .onFailure(error -> org.slf4j.LoggerFactory.getLogger("Host.Function").warn(
                        "Running function {} through the admin API failed: {}", fn.name(), error.getMessage()));
    }
}
