package dev.flint.host.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.admission.RejectionLog;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.FailureResponses;
import dev.flint.host.route.RouteMatch;
import dev.flint.host.route.RouteTable;
import dev.flint.host.route.RouteTemplate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API of one event loop: routes {@code /admin/...} with the same ASP.NET routing as
 * functions (so {@code /%61dmin} and {@code /ADMIN} are the admin API too, and a name with an
 * encoded slash stays one segment), checks the master key, and hands the request to the endpoint.
 * Bodies are JSON, keys camelCase as Azure writes them; an error has {@code {"error": "..."}}, since
 * only an admin can get one.
 */
public final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Admin bodies are small JSON documents. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private static final RouteTable<AdminEndpoint> ROUTES = RouteTable.of(Arrays.stream(AdminEndpoint.values())
            .map(e -> new RouteTable.Entry<>(RouteTemplate.parse(e.template), e.methods, e)).toList());

    private final AdminContext context;
    private final KeyEndpoints keys;
    private final FunctionRunner runner;

    public AdminApi(AdminContext context, FunctionRunner runner) {
        this.context = context;
        this.keys = new KeyEndpoints(context);
        this.runner = runner;
    }

    /** Everything under {@code /admin}: the API answers 404 there itself, functions are never asked. */
    private static final RouteTable<Boolean> ADMIN_SPACE = RouteTable.of(java.util.List.of(
            new RouteTable.Entry<>(RouteTemplate.parse("admin/{*rest}"), java.util.Set.of(), Boolean.TRUE)));

    /**
     * Whether the path is under {@code /admin}, decoded and compared as ASP.NET routing does. Most
     * paths are told apart by their first character, before any decoding.
     */
    public static boolean owns(String path) {
        if (path.length() < 6) {
            return false;
        }
        char first = path.charAt(1);
        if (first != 'a' && first != 'A' && first != '%') {
            return false;
        }
        return ADMIN_SPACE.match("GET", path).isPresent();
    }

    /** @param admitted run once the request has passed the key check, before its body is read */
    public void handle(HttpServerRequest request, dev.flint.host.admission.ClientConnection caller,
                       java.util.function.Consumer<HttpServerRequest> admitted) {
        Optional<RouteMatch<AdminEndpoint>> match = ROUTES.match(request.method().name(), request.path());
        if (match.isEmpty()) {
            context.failures().reject(request, null, FailureKind.NO_ROUTE, "admin API", "no such endpoint");
            return;
        }
        AdminEndpoint endpoint = match.get().target();
        Map<String, String> params = match.get().params();
        Authorizer.Access access = context.authorizer().check(request, null, endpoint.required);
        if (!access.allowed()) {
            context.failures().reject(request, null, FailureKind.UNAUTHORIZED, "admin API needs the master key",
                    access.denial());
            return;
        }
        if (endpoint == AdminEndpoint.TRACES) {
            // It answers 100-continue itself, after its own name and size checks.
            if (context.traces().isEmpty()) {
                error(request, 503, FailureKind.TRACE_STORE_UNAVAILABLE, "the trace store is not available");
            } else {
                context.traces().get().handle(request, caller, admitted);
            }
            return;
        }
        admitted.accept(request);
        switch (endpoint) {
            case PING -> request.response().setStatusCode(200).putHeader("Content-Length", "0").end();
            case STATUS -> json(request, 200, HostStatusJson.of(context));
            case FUNCTIONS -> json(request, 200, FunctionMetadataJson.all(context, baseUrl(request)));
            case FUNCTION -> function(request, params.get("name")).ifPresent(fn -> {
                if (request.method().name().equals("POST")) {
                    runner.run(request, fn);
                } else {
                    json(request, 200, FunctionMetadataJson.of(context, fn, baseUrl(request)));
                }
            });
            case HOST_KEYS, HOST_FUNCTION_KEYS, SYSTEM_KEYS, HOST_KEY, HOST_FUNCTION_KEY, SYSTEM_KEY ->
                    keys.host(request, endpoint, params.get("keyName"), baseUrl(request));
            case FUNCTION_KEYS, FUNCTION_KEY -> function(request, params.get("name")).ifPresent(fn ->
                    keys.function(request, endpoint, fn, params.get("keyName"), baseUrl(request)));
            case PROFILE -> function(request, params.get("name")).ifPresent(fn -> ProfileEndpoint.profile(context, request, fn));
            case HOST_PROFILE -> ProfileEndpoint.profileHost(context, request);
            case TRACES -> throw new IllegalStateException("handled above");
        }
    }

    /** The function a URL names (case-insensitive, as Azure); 404 when there is none. Names are never paths. */
    private Optional<FunctionDefinition> function(HttpServerRequest request, String name) {
        Optional<FunctionDefinition> fn = name == null ? Optional.empty() : context.app().function(name);
        if (fn.isEmpty()) {
            error(request, 404, FailureKind.NO_ROUTE, "the app has no function named \"" + printable(name) + "\"");
        }
        return fn;
    }

    /** {@code http://host:port} as the caller addressed Flint, for the links in answers. */
    static String baseUrl(HttpServerRequest request) {
        String host = request.authority() == null ? null : request.authority().toString();
        return "http://" + (host == null ? "localhost" : host);
    }

    static void json(HttpServerRequest request, int status, JsonNode body) {
        if (request.response().ended() || request.response().closed()) {
            return;
        }
        Buffer bytes;
        try {
            bytes = Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a JSON tree always serialises", e);
        }
        request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(bytes.length()))
                .end(bytes);
    }

    /** An admin error: the status, Flint's error header, {@code {"error": reason}}, and one log line. */
    static void error(HttpServerRequest request, int status, FailureKind kind, String reason) {
        RejectionLog.rejected(request.method().name(), request.path(), null, kind, "admin API", reason);
        ObjectNode body = JSON.createObjectNode().put("error", reason);
        request.response().putHeader(FailureResponses.ERROR_HEADER, kind.code());
        json(request, status, body);
    }

    /** A name from a URL, shortened and stripped of control characters before it goes into a message. */
    static String printable(String name) {
        if (name == null) {
            return "";
        }
        String cut = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
