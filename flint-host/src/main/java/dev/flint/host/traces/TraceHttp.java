package dev.flint.host.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.admission.RejectionLog;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.FailureResponses;
import dev.flint.trace.format.TraceFormatException;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the trace endpoints share: JSON and error answers in the admin API's shape
 * ({@code {"error": "..."}} with Flint's {@code X-Flint-Error} header and one log line), query
 * parameters read strictly (an unknown or malformed one is a 400 naming it), and work moved off the
 * event loop with its answer brought back to it.
 */
final class TraceHttp {

    static final Logger LOG = LoggerFactory.getLogger("Host.Traces");

    /** The X-Flint-Error code of a 500 of the trace store; FailureKind has none for it. */
    static final String STORE_ERROR = "trace-store";

    private TraceHttp() {}

    /** A request that cannot be answered as asked: its status, and the reason, for the caller. */
    static final class Problem extends RuntimeException {
        final int status;

        Problem(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static Problem notFound(String id) {
        return new Problem(404, "no trace with the id \"" + TraceLabels.printable(id) + "\"");
    }

    static Problem badParameter(String name, String value, String expected) {
        return new Problem(400, "bad parameter " + name + "=" + TraceLabels.printable(value) + ": expected " + expected);
    }

    /** {@code http://host:port} as the caller addressed Flint, for links. */
    static String baseUrl(HttpServerRequest request) {
        String host = request.authority() == null ? null : request.authority().toString();
        return "http://" + (host == null ? "localhost" : host);
    }

    /** The links of a trace's views. */
    static ObjectNode links(ObjectNode entry, String base, String id) {
        String self = base + "/admin/traces/" + id;
        ObjectNode links = entry.putObject("links");
        links.put("self", self);
        for (String view : TraceQueryApi.VIEWS) {
            links.put(view, self + "/" + view);
        }
        return entry;
    }

    static void json(HttpServerRequest request, int status, JsonNode body) {
        if (request.response().ended() || request.response().closed()) {
            return;
        }
        Buffer bytes;
        try {
            bytes = Buffer.buffer(TraceStore.JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a JSON tree always serialises", e);
        }
        request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(bytes.length()))
                .end(bytes);
    }

    /** An error: the status, Flint's error header, {@code {"error": reason}}, and one log line. */
    static void error(HttpServerRequest request, int status, String reason) {
        FailureKind kind = switch (status) {
            case 404 -> FailureKind.NO_ROUTE;
            case 413 -> FailureKind.BODY_TOO_LARGE;
            default -> FailureKind.BAD_ADMIN_REQUEST;
        };
        if (kind.status() == status) {
            RejectionLog.rejected(request.method().name(), request.path(), null, kind, "trace API", reason);
        } else if (status >= 500) {
            LOG.warn("{} {} failed with {}: {}", request.method().name(), request.path(), status, reason);
        } else {
            LOG.info("Rejected {} {} with {} (trace API): {}", request.method().name(), request.path(), status, reason);
        }
        if (request.response().ended() || request.response().closed()) {
            return;
        }
        request.response().putHeader(FailureResponses.ERROR_HEADER, status >= 500 ? STORE_ERROR : kind.code());
        json(request, status, TraceStore.JSON.createObjectNode().put("error", reason));
    }

    /** Answers a failure of work done for {@code request}, whatever it threw. */
    static void fail(HttpServerRequest request, Throwable error) {
        if (error instanceof Problem p) {
            error(request, p.status, p.getMessage());
        } else if (error instanceof TraceRejectedException r) {
            error(request, r.reason().status(), r.getMessage());
        } else if (error instanceof IllegalArgumentException) {
            // The trace engine's word on a query it cannot run (no timestamps, no such event, ...).
            error(request, 400, error.getMessage());
        } else if (error instanceof TraceFormatException) {
            error(request, 500, "the stored trace no longer reads: " + error.getMessage());
        } else if (error instanceof java.nio.file.NoSuchFileException) {
            error(request, 404, "the trace was deleted meanwhile");
        } else if (error instanceof IOException) {
            error(request, 500, "the trace store failed: " + error);
        } else {
            LOG.error("{} {} failed", request.method().name(), request.path(), error);
            error(request, 500, "the trace API failed: " + error);
        }
    }

    /** Work for a worker thread; it may throw anything, which {@link #fail} answers. */
    interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} on {@code executor}, then {@code answer} with its result on the request's
     * event loop; a failure is answered by {@link #fail}, also on the event loop.
     */
    static <T> void offload(Executor executor, HttpServerRequest request, Work<T> work, Consumer<T> answer) {
        Context context = context();
        try {
            executor.execute(() -> {
                T result;
                try {
                    result = work.run();
                } catch (Throwable e) {
                    context.runOnContext(v -> fail(request, e));
                    return;
                }
                context.runOnContext(v -> {
                    try {
                        answer.accept(result);
                    } catch (RuntimeException e) {
                        fail(request, e);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            error(request, 503, "the trace API is shutting down");
        }
    }

    /** Work that writes its answer to a stream. */
    interface StreamWork {
        void write(ResponseStream out) throws Exception;
    }

    /**
     * Runs {@code work} on {@code executor}, streaming what it writes as a 200 of {@code contentType}.
     * A failure before any byte has gone (answers up to {@link ResponseStream#BUFFER_BYTES} go whole) is
     * an error answer; after, the connection is reset, since only a cut tells the caller the truth.
     */
    static void stream(Executor executor, HttpServerRequest request, String contentType, StreamWork work) {
        Context context = context();
        try {
            executor.execute(() -> {
                ResponseStream out = new ResponseStream(context, request, contentType);
                try {
                    work.write(out);
                    out.close();
                } catch (Throwable e) {
                    if (out.sent()) {
                        LOG.warn("{} {} failed after part of the answer was sent: {}", request.method().name(),
                                request.path(), e.toString());
                        context.runOnContext(v -> request.response().reset());
                    } else {
                        context.runOnContext(v -> fail(request, e));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            error(request, 503, "the trace API is shutting down");
        }
    }

    private static Context context() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("trace endpoints are called on a Vert.x event loop");
        }
        return context;
    }

    /**
     * After an answer given before the body was read (400, 413): the body is read and dropped, and the
     * connection closed once it ends, or after 5 s, so that the caller hears the answer instead of a
     * reset. The answer says {@code Connection: close}.
     */
    static void refuseBody(Vertx vertx, HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            request.handler(chunk -> { }); // the stream has ended; its connection serves others
            request.resume();
            return;
        }
        long timer = vertx.setTimer(5_000, t -> request.connection().close());
        request.handler(chunk -> { });
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        });
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.resume();
    }

    /** The query parameters of one endpoint, read strictly. */
    static final class Params {

        /** Parameters every endpoint takes: {@code code} is the key, which the admin API has checked. */
        private static final Set<String> ALWAYS = Set.of("code");

        private final MultiMap params;

        Params(HttpServerRequest request, Set<String> allowed) {
            this.params = request.params();
            for (String name : params.names()) {
                if (!allowed.contains(name) && !ALWAYS.contains(name) && !(allowed.contains("label.*")
                        && name.startsWith("label."))) {
                    List<String> names = new ArrayList<>(allowed);
                    names.sort(null);
                    throw new Problem(400, "unknown parameter " + TraceLabels.printable(name) + "; this endpoint takes "
                            + (names.isEmpty() ? "none" : String.join(", ", names)));
                }
            }
        }

        MultiMap all() {
            return params;
        }

        /** The value, or null when absent or empty. */
        String string(String name) {
            String value = params.get(name);
            return value == null || value.isEmpty() ? null : value;
        }

        boolean has(String name) {
            return string(name) != null;
        }

        int integer(String name, int dflt, int min, int max) {
            String value = string(name);
            if (value == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw badParameter(name, value, "a whole number from " + min + " to " + max);
        }

        /** A finite number, or null when absent. */
        Double decimal(String name) {
            String value = string(name);
            if (value == null) {
                return null;
            }
            try {
                double d = Double.parseDouble(value.trim());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw badParameter(name, value, "a number");
        }

        double fraction(String name, double dflt) {
            Double value = decimal(name);
            if (value == null) {
                return dflt;
            }
            if (value < 0 || value > 1) {
                throw badParameter(name, string(name), "a fraction from 0 to 1");
            }
            return value;
        }

        boolean flag(String name) {
            String value = string(name);
            if (value == null) {
                return false;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw badParameter(name, value, "true or false");
            };
        }

        /** Comma-separated whole numbers (the parameter may repeat), or null when absent. */
        int[] ints(String name) {
            List<String> items = list(name);
            if (items == null) {
                return null;
            }
            int[] values = new int[items.size()];
            for (int i = 0; i < values.length; i++) {
                try {
                    values[i] = Integer.parseInt(items.get(i));
                } catch (NumberFormatException e) {
                    throw badParameter(name, string(name), "comma-separated whole numbers");
                }
            }
            return values;
        }

        /** Comma-separated items (the parameter may repeat), or null when absent. */
        List<String> list(String name) {
            List<String> items = new ArrayList<>();
            for (String value : params.getAll(name)) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    }
                }
            }
            return items.isEmpty() ? null : items;
        }

        /** One of {@code choices} (compared ignoring case), or {@code dflt} when absent. */
        String choice(String name, String dflt, String... choices) {
            String value = string(name);
            if (value == null) {
                return dflt;
            }
            for (String c : choices) {
                if (c.equalsIgnoreCase(value)) {
                    return c;
                }
            }
            throw badParameter(name, value, String.join(" or ", Arrays.asList(choices)));
        }

        /** An instant, ISO 8601 ({@code 2026-12-01T09:15:00Z}) or epoch milliseconds; null when absent. */
        Instant time(String name) {
            String value = string(name);
            if (value == null) {
                return null;
            }
            String v = value.trim();
            try {
                if (v.chars().allMatch(Character::isDigit)) {
                    return Instant.ofEpochMilli(Long.parseLong(v));
                }
                return OffsetDateTime.parse(v).toInstant();
            } catch (NumberFormatException | DateTimeException e) {
                throw badParameter(name, value, "an ISO 8601 time such as 2026-12-01T09:15:00Z, or epoch milliseconds");
            }
        }
    }
}
