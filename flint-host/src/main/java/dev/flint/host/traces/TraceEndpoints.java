package dev.flint.host.traces;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.admission.ClientConnection;
import dev.flint.host.route.RouteMatch;
import dev.flint.host.route.RouteTable;
import dev.flint.host.route.RouteTemplate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Everything under {@code /admin/traces}: the collector, the store's list, fetch and delete, and the
 * query API. The admin API hands it every request whose path {@link #owns}, once the master key has
 * been checked.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code POST /admin/traces}</td><td>store a trace ({@link TraceCollector}): 201</td></tr>
 *   <tr><td>{@code GET /admin/traces}</td><td>{@code {"traces":[entry...]}}, newest first; {@code name},
 *       {@code function}, {@code label.<key>=<value>}, {@code from}, {@code until} (ISO 8601 or epoch ms),
 *       {@code limit} (default 100)</td></tr>
 *   <tr><td>{@code GET /admin/traces/{id}}</td><td>the entry, its {@code links} and its {@code info}
 *       ({@link dev.flint.trace.export.TraceJson#info})</td></tr>
 *   <tr><td>{@code DELETE /admin/traces/{id}}</td><td>204, or 404</td></tr>
 *   <tr><td>{@code GET /admin/traces/{id}/<view>}</td><td>the query API ({@link TraceQueryApi})</td></tr>
 * </table>
 * Paths are matched with the host's ASP.NET routing (case-insensitive, percent-decoded); ids are looked
 * up, never used as paths, so {@code ..%2F..%2Fetc} is an unknown id (404). Other methods and paths
 * under {@code /admin/traces} are a 404, as elsewhere in the admin API.
 *
 * <p>Disk and query work runs on virtual threads, never on the event loop; answers are written on
 * the request's event loop. One instance may serve every event loop.
 */
public final class TraceEndpoints implements AutoCloseable {

    /** The default size limit of a posted trace: 512 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 512L << 20;

    private static final int DEFAULT_LIST_LIMIT = 100;
    private static final int MAX_LIST_LIMIT = 10_000;

    private enum Route { TRACES, TRACE, VIEW }

    private static final RouteTable<Route> ROUTES = RouteTable.of(List.of(
            new RouteTable.Entry<>(RouteTemplate.parse("admin/traces"), Set.of("GET", "POST"), Route.TRACES),
            new RouteTable.Entry<>(RouteTemplate.parse("admin/traces/{id}"), Set.of("GET", "DELETE"), Route.TRACE),
            new RouteTable.Entry<>(RouteTemplate.parse("admin/traces/{id}/{view}"), Set.of("GET"), Route.VIEW)));

    private static final RouteTable<Boolean> SPACE = RouteTable.of(List.of(
            new RouteTable.Entry<>(RouteTemplate.parse("admin/traces/{*rest}"), Set.of(), Boolean.TRUE)));

    private final TraceStore store;
    private final TraceCache cache;
    private final ExecutorService executor;
    private final TraceCollector collector;
    private final TraceQueryApi queries;

    /**
     * @param maxUploadBytes the size limit of a posted trace, as received (compressed when gzip);
     *                       {@link #DEFAULT_MAX_UPLOAD_BYTES} unless configured
     */
    public TraceEndpoints(Vertx vertx, TraceStore store, TraceCache cache, long maxUploadBytes) {
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive: " + maxUploadBytes);
        }
        this.store = store;
        this.cache = cache;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("flint-traces-", 0).factory());
        this.collector = new TraceCollector(vertx, store, executor, maxUploadBytes);
        this.queries = new TraceQueryApi(store, cache, executor);
    }

    /** Whether the path (raw, percent-encoded) is {@code /admin/traces} or below it, as the admin API routes. */
    public static boolean owns(String path) {
        return SPACE.match("GET", path).isPresent();
    }

    /** Stops taking work: requests from now on are answered 503. Work in progress finishes. */
    @Override
    public void close() {
        executor.shutdown();
    }

    public TraceStore store() {
        return store;
    }

    public TraceCache cache() {
        return cache;
    }

    /** {@link #handle(HttpServerRequest, ClientConnection, Consumer)} for a request no connection guard tracks. */
    public void handle(HttpServerRequest request, Consumer<HttpServerRequest> admitted) {
        handle(request, ClientConnection.detached(), admitted);
    }

    /**
     * Answers a request under {@code /admin/traces}; call it on the request's event loop, after the
     * master key check, before anything has read the body.
     *
     * @param caller   the request's connection, so that a stalled upload counts against the caller's
     *                 slow-client timeout and a paused one (the disk is slow) does not
     * @param admitted runs once the request has passed this API's own checks (name, size) and before
     *                 its body is read: the place for {@code ExpectContinue::ifExpected}
     */
    public void handle(HttpServerRequest request, ClientConnection caller, Consumer<HttpServerRequest> admitted) {
        try {
            Optional<RouteMatch<Route>> match = ROUTES.match(request.method().name(), request.path());
            if (match.isEmpty()) {
                admitted.accept(request);
                TraceHttp.error(request, 404, "no such endpoint: " + request.method().name() + " under /admin/traces"
                        + " takes GET and POST /admin/traces, GET and DELETE /admin/traces/{id}, and GET"
                        + " /admin/traces/{id}/{" + String.join("|", TraceQueryApi.VIEWS) + "}");
                return;
            }
            Map<String, String> params = match.get().params();
            if (match.get().target() == Route.TRACES && request.method().name().equals("POST")) {
                collector.post(request, caller, admitted);
                return;
            }
            admitted.accept(request);
            switch (match.get().target()) {
                case TRACES -> list(request);
                case TRACE -> {
                    if (request.method().name().equals("DELETE")) {
                        delete(request, params.get("id"));
                    } else {
                        show(request, params.get("id"));
                    }
                }
                case VIEW -> {
                    if (known(request, params.get("id"))) {
                        queries.view(request, params.get("id"), params.get("view"));
                    }
                }
            }
        } catch (RuntimeException e) {
            TraceHttp.fail(request, e);
        }
    }

    /** Whether the id has the form of one; a 404 when it does not, before any work is queued. */
    private static boolean known(HttpServerRequest request, String id) {
        if (TraceStore.isId(id)) {
            return true;
        }
        TraceHttp.error(request, 404, TraceHttp.notFound(id).getMessage());
        return false;
    }

    private void list(HttpServerRequest request) {
        TraceHttp.Params p = new TraceHttp.Params(request, Set.of("name", "function", "label.*", "from", "until",
                "limit"));
        TraceStore.Query query = TraceStore.Query.ALL.withName(p.string("name")).withFunction(p.string("function"))
                .withTime(p.time("from"), p.time("until"))
                .withLimit(p.integer("limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT));
        for (Map.Entry<String, String> e : p.all()) {
            if (e.getKey().startsWith("label.")) {
                query = query.withLabel(e.getKey().substring("label.".length()), e.getValue());
            }
        }
        TraceStore.Query q = query;
        String base = TraceHttp.baseUrl(request);
        TraceHttp.offload(executor, request, () -> {
            ObjectNode body = TraceStore.JSON.createObjectNode();
            ArrayNode traces = body.putArray("traces");
            for (TraceStore.Entry entry : store.list(q)) {
                ObjectNode node = entry.toJson();
                node.put("href", base + "/admin/traces/" + entry.id());
                traces.add(node);
            }
            return body;
        }, body -> TraceHttp.json(request, 200, body));
    }

    private void show(HttpServerRequest request, String id) {
        new TraceHttp.Params(request, Set.of());
        if (!known(request, id)) {
            return;
        }
        String base = TraceHttp.baseUrl(request);
        TraceHttp.offload(executor, request, () -> {
            TraceStore.Entry entry = store.get(id).orElseThrow(() -> TraceHttp.notFound(id));
            ObjectNode body = TraceHttp.links(entry.toJson(), base, id);
            store.info(id).ifPresent(info -> body.set("info", info));
            return body;
        }, body -> TraceHttp.json(request, 200, body));
    }

    private void delete(HttpServerRequest request, String id) {
        new TraceHttp.Params(request, Set.of());
        if (!known(request, id)) {
            return;
        }
        TraceHttp.offload(executor, request, () -> store.delete(id), deleted -> {
            if (deleted) {
                request.response().setStatusCode(204).end();
            } else {
                TraceHttp.error(request, 404, TraceHttp.notFound(id).getMessage());
            }
        });
    }
}
