package dev.flint.host.invoke;

import dev.flint.host.admission.ClientConnection;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.invoke.envelope.EnvelopeRequestEncoder;
import dev.flint.host.invoke.envelope.EnvelopeResponseDecoder;
import dev.flint.host.invoke.envelope.HandlerResult;
import dev.flint.host.invoke.envelope.HttpOutputMapper;
import dev.flint.host.invoke.envelope.HttpRequestSnapshot;
import dev.flint.host.invoke.envelope.HttpResponseSpec;
import dev.flint.host.process.HandlerEndpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Instant;
import java.util.Map;

/**
 * JSON-envelope mode: reads the caller's request, wraps it as {@code {"Data":{...},"Metadata":{...}}},
 * POSTs it to {@code /{FunctionName}} on the handler, and maps the handler's
 * {@code {Outputs, Logs, ReturnValue}} back to an HTTP response.
 */
public final class EnvelopeInvoker {

    private final HttpClient client;
    private final HandlerGate gate;
    private final InvocationDeadlines deadlines;
    private final FailureResponses failures;
    private final long maxBodyBytes;

    public EnvelopeInvoker(HttpClient client, HandlerGate gate, InvocationDeadlines deadlines, FailureResponses failures,
                           long maxBodyBytes) {
        this.client = client;
        this.gate = gate;
        this.deadlines = deadlines;
        this.failures = failures;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * @param callerLevel the level the caller's key reached, for {@code Identities}
     * @param caller      the caller's connection, told when Flint reads the body
     */
    public void invoke(HttpServerRequest request, Invocation invocation, Map<String, String> routeParams,
                       AuthLevel callerLevel, ClientConnection caller) {
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > maxBodyBytes) {
            tooLarge(request, invocation);
            return;
        }
        caller.readingBody();
        BodyReader.read(request, maxBodyBytes, caller).onComplete(read -> {
            if (read.failed() && read.cause() instanceof BodyReader.TooLarge) {
                tooLarge(request, invocation);
                return;
            }
            if (read.failed()) {
                failures.fail(request, invocation, new InvocationFailure(FailureKind.HANDLER_UNREACHABLE,
                        "the caller's request body could not be read: " + read.cause().getMessage()));
                return;
            }
            Buffer body = read.result();
            HttpRequestSnapshot snapshot = new HttpRequestSnapshot(request.method().name(), callerUrl(request),
                    request.path(), request.query(), request.headers(), routeParams, body.length() == 0 ? null : body);
            gate.endpoint().onComplete(ready -> {
                if (ready.failed()) {
                    failures.fail(request, invocation, InvocationFailures.of(ready.cause()));
                } else {
                    send(request, invocation, snapshot, callerLevel, ready.result());
                }
            });
        });
    }

    private void send(HttpServerRequest request, Invocation invocation, HttpRequestSnapshot snapshot,
                      AuthLevel callerLevel, HandlerEndpoint endpoint) {
        Buffer envelope;
        try {
            envelope = EnvelopeRequestEncoder.encode(invocation.function(), snapshot, invocation.id(), Instant.now(),
                    callerLevel);
        } catch (RuntimeException e) {
            failures.fail(request, invocation, new InvocationFailure(FailureKind.BAD_OUTPUT,
                    "the request could not be encoded: " + e.getMessage(), e));
            return;
        }
        String description = "POST " + EnvelopeRequests.path(invocation);
        RequestOptions options = EnvelopeRequests.to(endpoint, invocation);
        InvocationTimer timer = deadlines.start(invocation);
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                timer.cancel();
                gate.explain(endpoint, created.cause(), description)
                        .onSuccess(failure -> failures.fail(request, invocation, failure));
                return;
            }
            HttpClientRequest upstream = created.result();
            timer.onTimeout(failure -> {
                upstream.reset();
                failures.fail(request, invocation, failure);
            });
            upstream.send(envelope)
                    .compose(answer -> answer.body().map(body -> new Answer(answer.statusCode(), answer.statusMessage(),
                            answer.getHeader("Content-Type"), body)))
                    .onComplete(done -> {
                        timer.cancel();
                        if (timer.expired()) {
                            return;
                        }
                        if (done.failed()) {
                            gate.explain(endpoint, done.cause(), description)
                                    .onSuccess(failure -> failures.fail(request, invocation, failure));
                        } else {
                            respond(request, invocation, done.result(), description);
                        }
                    });
        });
    }

    private record Answer(int status, String statusMessage, String contentType, Buffer body) {}

    private void respond(HttpServerRequest request, Invocation invocation, Answer answer, String description) {
        HttpResponseSpec spec;
        try {
            HandlerResult result = EnvelopeResponseDecoder.decode(invocation.function(), answer.status(),
                    answer.contentType(), answer.body());
            InvocationLog.userLogs(invocation, result.logs());
            spec = HttpOutputMapper.map(invocation.function(), result);
        } catch (InvocationFailure failure) {
            failures.fail(request, invocation, failure);
            return;
        }
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(spec.status());
        for (Map.Entry<String, String> header : spec.headers()) {
            response.headers().add(header.getKey(), header.getValue());
        }
        response.end(spec.body());
        InvocationLog.succeeded(invocation);
    }

    private void tooLarge(HttpServerRequest request, Invocation invocation) {
        failures.fail(request, invocation, new InvocationFailure(FailureKind.BODY_TOO_LARGE,
                "the request body is larger than the limit of " + maxBodyBytes + " bytes"));
    }

    /**
     * {@code Data.req.Url}: the URL as the caller addressed it, {@code scheme://host[:port]} from its
     * Host header (no port when it gave none; Vert.x's absoluteURI() would say {@code :-1}) and the
     * path and query as sent.
     */
    private static String callerUrl(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host == null || host.isEmpty()) {
            host = request.localAddress().hostAddress() + ":" + request.localAddress().port();
        }
        return request.scheme() + "://" + host + request.uri();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
