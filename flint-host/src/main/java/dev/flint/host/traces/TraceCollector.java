package dev.flint.host.traces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.admission.ClientConnection;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@code POST /admin/traces}: takes a trace as a container posts it,
 * {@code curl -X POST -H 'X-name: fibonacci' --data-binary @trace.perf http://host:7071/admin/traces}.
 *
 * <ul>
 *   <li><b>Name and labels</b> from the headers {@code X-name}, {@code X-function}, {@code X-instance},
 *       {@code X-host}, {@code X-cpu}, {@code X-frequency} and {@code X-label-<key>}, or the query
 *       parameters {@code name}, {@code function}, ..., {@code label.<key>}; a header wins over a
 *       parameter. Checked before a byte of the body is read ({@link TraceLabels}): a bad name is a
 *       400 naming it.</li>
 *   <li><b>Body</b>: any format the trace engine reads; {@code Content-Encoding: gzip} is taken and the
 *       bytes are stored as they came (the reader detects gzip). Other encodings are a 415.</li>
 *   <li><b>Streamed to disk</b> with Vert.x's {@link AsyncFile}, never blocking the event loop: while
 *       the file's write queue is full the request is paused, so a fast sender is held to the disk's
 *       pace and memory stays at a few buffers.</li>
 *   <li><b>Size-limited</b>: a {@code Content-Length} past the limit is refused before the body is
 *       read, a chunked body as soon as it passes the limit; 413, and nothing is kept.</li>
 *   <li><b>Checked</b>: the stored file is read with the trace reader on a worker; a body that is not a
 *       trace is a 400 with the parser's message (line number and text), and is deleted.</li>
 *   <li><b>Answer</b>: 201, {@code Location}, and the entry: {@code {"id","name","samples","format",
 *       "links":{...},...}}.</li>
 * </ul>
 */
final class TraceCollector {

    /** The labels a header {@code X-<label>} or a parameter {@code <label>=} sets. */
    static final Set<String> WELL_KNOWN = Set.of("function", "instance", "host", "cpu", "frequency");
    private static final String LABEL_HEADER = "x-label-";
    private static final String LABEL_PARAM = "label.";

    private final Vertx vertx;
    private final TraceStore store;
    private final Executor executor;
    private final long maxBytes;

    TraceCollector(Vertx vertx, TraceStore store, Executor executor, long maxBytes) {
        this.vertx = vertx;
        this.store = store;
        this.executor = executor;
        this.maxBytes = maxBytes;
    }

    /** @param admitted runs once the request has passed the checks, before its body is read (100-continue) */
    void post(HttpServerRequest request, ClientConnection caller, Consumer<HttpServerRequest> admitted) {
        TraceLabels labels;
        try {
            labels = TraceLabels.of(labels(request));
        } catch (TraceRejectedException e) {
            refuse(request, 400, e.getMessage());
            return;
        } catch (TraceHttp.Problem e) {
            refuse(request, e.status, e.getMessage());
            return;
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !Set.of("gzip", "x-gzip", "identity")
                .contains(encoding.trim().toLowerCase(Locale.ROOT))) {
            refuse(request, 415, "Content-Encoding " + TraceLabels.printable(encoding)
                    + " is not taken; send the trace as it is, or gzip-compressed");
            return;
        }
        long length = contentLength(request);
        if (length > maxBytes) {
            refuse(request, 413, "the trace is " + length + " bytes (Content-Length); the limit is " + maxBytes + " bytes");
            return;
        }
        request.pause(); // the body waits until its file is open
        Path upload = store.uploadPath();
        vertx.fileSystem().open(upload.toString(), new OpenOptions().setWrite(true).setCreateNew(true)
                .setPerms("rw-------")).onComplete(opened -> {
                    if (opened.failed()) {
                        refuse(request, 500, "the trace store cannot take the upload: " + opened.cause().getMessage());
                        return;
                    }
                    admitted.accept(request);
                    new Upload(request, caller, opened.result(), upload, labels).start();
                });
    }

    /**
     * The name and labels of a request: parameters first, then headers, which win. The key parameter
     * {@code code} is not a label; any other parameter is refused.
     */
    static Map<String, String> labels(HttpServerRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : request.params()) {
            String name = p.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(TraceLabels.NAME) || WELL_KNOWN.contains(name)) {
                labels.put(name, p.getValue());
            } else if (name.startsWith(LABEL_PARAM)) {
                labels.put(name.substring(LABEL_PARAM.length()), p.getValue());
            } else if (!name.equals("code")) {
                throw new TraceHttp.Problem(400, "unknown parameter " + TraceLabels.printable(p.getKey())
                        + "; a trace takes name, function, instance, host, cpu, frequency and label.<key>");
            }
        }
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.startsWith("x-")) {
                continue;
            }
            String label = name.substring(2);
            if (label.equals(TraceLabels.NAME) || WELL_KNOWN.contains(label)) {
                labels.put(label, h.getValue());
            } else if (name.startsWith(LABEL_HEADER)) {
                labels.put(name.substring(LABEL_HEADER.length()), h.getValue());
            }
        }
        return labels;
    }

    /** An answer before the body is read; the body is dropped and the connection closed after it. */
    private void refuse(HttpServerRequest request, int status, String reason) {
        if (!request.isEnded() && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            request.response().putHeader("Connection", "close"); // HTTP/2 has no such header: the stream is reset
        }
        TraceHttp.error(request, status, reason);
        TraceHttp.refuseBody(vertx, request);
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One body on its way to its file; confined to the request's event loop. */
    private final class Upload {
        private final HttpServerRequest request;
        private final ClientConnection caller;
        private final AsyncFile file;
        private final Path path;
        private final TraceLabels labels;
        private final Runnable callerLeft = this::callerLeft;
        private long received;
        private boolean finished;

        Upload(HttpServerRequest request, ClientConnection caller, AsyncFile file, Path path, TraceLabels labels) {
            this.request = request;
            this.caller = caller;
            this.file = file;
            this.path = path;
            this.labels = labels;
        }

        void start() {
            request.handler(this::chunk);
            request.endHandler(v -> ended());
            request.exceptionHandler(this::broken);
            file.exceptionHandler(this::diskFailed);
            caller.onClose(callerLeft);
            caller.readingBody();
            request.resume();
        }

        private void chunk(Buffer chunk) {
            if (finished) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                abandon();
                refuse(request, 413, "the trace is larger than the limit of " + maxBytes + " bytes");
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                caller.holdingBody(); // the disk is slow, not the caller
                file.drainHandler(v -> {
                    if (!finished) {
                        caller.readingBody();
                        request.resume();
                    }
                });
            }
        }

        private void ended() {
            if (finished) {
                return;
            }
            finished = true;
            caller.clearOnClose(callerLeft);
            file.close().onComplete(closed -> {
                if (closed.failed()) {
                    delete();
                    TraceHttp.error(request, 500, "the trace could not be written: " + closed.cause().getMessage());
                    return;
                }
                TraceHttp.offload(executor, request, () -> store.commit(path, labels, TraceStore.Source.COLLECTOR,
                        List.of()), entry -> created(request, entry));
            });
        }

        private void broken(Throwable error) {
            if (finished) {
                return;
            }
            abandon();
            TraceHttp.LOG.debug("The upload of a trace named {} broke off after {} bytes: {}", labels.name(), received,
                    error.toString());
            if (!request.response().ended() && !request.response().closed()) {
                TraceHttp.error(request, 400, "the upload broke off after " + received + " bytes: " + error.getMessage());
            }
        }

        private void diskFailed(Throwable error) {
            if (finished) {
                return;
            }
            abandon();
            refuse(request, 500, "the trace could not be written: " + error.getMessage());
        }

        /** The connection closed after Flint answered but before the body ended. */
        private void callerLeft() {
            if (!finished) {
                abandon();
            }
        }

        private void abandon() {
            finished = true;
            caller.clearOnClose(callerLeft);
            file.drainHandler(null);
            file.close().onComplete(closed -> delete());
        }

        private void delete() {
            vertx.fileSystem().delete(path.toString()).onFailure(e ->
                    TraceHttp.LOG.debug("Could not delete the upload {}: {}", path, e.toString()));
        }
    }

    private static void created(HttpServerRequest request, TraceStore.Entry entry) {
        String base = TraceHttp.baseUrl(request);
        ObjectNode body = TraceHttp.links(entry.toJson(), base, entry.id());
        request.response().putHeader("Location", base + "/admin/traces/" + entry.id());
        TraceHttp.json(request, 201, body);
    }
}
