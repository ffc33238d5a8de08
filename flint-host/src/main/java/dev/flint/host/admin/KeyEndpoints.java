package dev.flint.host.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.KeyScope;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.auth.KeyStoreException;
import dev.flint.host.admission.ClientConnection;
import dev.flint.host.invoke.BodyReader;
import dev.flint.host.invoke.FailureKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * The key endpoints of §8.4: {@code GET /admin/host/keys} (also {@code functionkeys}),
 * {@code /admin/host/systemkeys}, {@code /admin/functions/{name}/keys}, and on one key
 * {@code GET}, {@code PUT} (set the value given as {@code {"value": "..."}}), {@code POST} (generate a
 * new value) and {@code DELETE}. The master key is {@code /admin/host/keys/_master}. Answers are
 * Azure's {@code {"keys":[{"name","value"}],"links":[...]}} and {@code {"name","value","links"}};
 * 201 when a key is created, 200 when it changes, 204 when it is deleted.
 *
 * <p>Changes write the key file, so they run on a worker thread, never on the event loop.
 */
final class KeyEndpoints {

    private static final String MASTER = "_master";

    private final AdminContext context;

    KeyEndpoints(AdminContext context) {
        this.context = context;
    }

    void host(HttpServerRequest request, AdminEndpoint endpoint, String keyName, String baseUrl) {
        KeyScope scope = switch (endpoint) {
            case SYSTEM_KEYS, SYSTEM_KEY -> KeyScope.SYSTEM;
            default -> MASTER.equals(keyName) ? KeyScope.MASTER : KeyScope.HOST;
        };
        String set = endpoint == AdminEndpoint.SYSTEM_KEYS || endpoint == AdminEndpoint.SYSTEM_KEY ? "systemkeys"
                : endpoint == AdminEndpoint.HOST_FUNCTION_KEYS || endpoint == AdminEndpoint.HOST_FUNCTION_KEY
                ? "functionkeys" : "keys";
        handle(request, scope, null, keyName, baseUrl + "/admin/host/" + set);
    }

    void function(HttpServerRequest request, AdminEndpoint endpoint, FunctionDefinition fn, String keyName, String baseUrl) {
        handle(request, KeyScope.FUNCTION, fn.name(), keyName, baseUrl + "/admin/functions/" + fn.name() + "/keys");
    }

    private void handle(HttpServerRequest request, KeyScope scope, String function, String keyName, String listUrl) {
        Optional<KeyStore> store = context.keys();
        if (store.isEmpty()) {
            AdminApi.error(request, 409, FailureKind.ADMIN_CONFLICT, "there are no keys: " + context.keysUnavailable());
            return;
        }
        String method = request.method().name();
        if (keyName == null) {
            List<AccessKey> keys = store.get().current().keys(scope, function);
            AdminApi.json(request, 200, list(keys, listUrl));
            return;
        }
        String keyUrl = listUrl + "/" + keyName;
        if (method.equals("GET")) {
            Optional<AccessKey> key = find(store.get(), scope, function, keyName);
            if (key.isEmpty()) {
                AdminApi.error(request, 404, FailureKind.NO_ROUTE, "no key named \"" + AdminApi.printable(keyName) + "\"");
            } else {
                AdminApi.json(request, 200, one(key.get(), keyUrl));
            }
            return;
        }
        if (store.get().readOnly()) {
            AdminApi.error(request, 409, FailureKind.ADMIN_CONFLICT, "keys are read-only: they come from "
                    + store.get().source() + "; change them there");
            return;
        }
        Vertx vertx = Vertx.currentContext().owner();
        switch (method) {
            case "PUT" -> BodyReader.read(request, AdminApi.MAX_BODY_BYTES, ClientConnection.detached()).onComplete(read -> {
                String value = read.succeeded() ? valueOf(read.result().toString()) : null;
                if (value == null) {
                    AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST,
                            "expected a body {\"name\": \"" + AdminApi.printable(keyName) + "\", \"value\": \"...\"};"
                                    + " POST instead of PUT generates a value");
                    return;
                }
                blocking(vertx, request, () -> store.get().set(scope, function, keyName, value), keyUrl);
            });
            case "POST" -> blocking(vertx, request, () -> store.get().set(scope, function, keyName, null), keyUrl);
            case "DELETE" -> vertx.executeBlocking(() -> store.get().delete(scope, function, keyName), false)
                    .onComplete(done -> {
                        if (done.failed()) {
                            failed(request, done.cause());
                        } else if (done.result()) {
                            request.response().setStatusCode(204).end();
                        } else {
                            AdminApi.error(request, 404, FailureKind.NO_ROUTE, "no key named \""
                                    + AdminApi.printable(keyName) + "\"");
                        }
                    });
            default -> AdminApi.error(request, 404, FailureKind.NO_ROUTE, "no such endpoint");
        }
    }

    private interface KeyChange {
        KeyStore.Change run() throws KeyStoreException;
    }

    private static void blocking(Vertx vertx, HttpServerRequest request, KeyChange change, String keyUrl) {
        Future<KeyStore.Change> done = vertx.executeBlocking(change::run, false);
        done.onComplete(result -> {
            if (result.failed()) {
                failed(request, result.cause());
            } else {
                AdminApi.json(request, result.result().created() ? 201 : 200, one(result.result().key(), keyUrl));
            }
        });
    }

    private static void failed(HttpServerRequest request, Throwable error) {
        if (error instanceof dev.flint.host.auth.KeyRejectedException) {
            AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST, error.getMessage());
        } else {
            AdminApi.error(request, 500, FailureKind.ADMIN_CONFLICT, "the key could not be saved: " + error.getMessage());
        }
    }

    private static Optional<AccessKey> find(KeyStore store, KeyScope scope, String function, String name) {
        return store.current().keys(scope, function).stream().filter(k -> k.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The {@code value} of a {@code {"name":..., "value":...}} body; null when it has none. */
    private static String valueOf(String body) {
        try {
            JsonNode node = AdminApi.JSON.readTree(body);
            JsonNode value = node == null ? null : node.get("value");
            return value != null && value.isTextual() ? value.textValue() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static ObjectNode list(List<AccessKey> keys, String listUrl) {
        ObjectNode node = AdminApi.JSON.createObjectNode();
        ArrayNode array = node.putArray("keys");
        for (AccessKey key : keys) {
            array.addObject().put("name", key.name()).put("value", key.value());
        }
        links(node, listUrl);
        return node;
    }

    private static ObjectNode one(AccessKey key, String keyUrl) {
        ObjectNode node = AdminApi.JSON.createObjectNode().put("name", key.name()).put("value", key.value());
        links(node, keyUrl);
        return node;
    }

    private static void links(ObjectNode node, String href) {
        node.putArray("links").addObject().put("rel", "self").put("href", href);
    }
}
