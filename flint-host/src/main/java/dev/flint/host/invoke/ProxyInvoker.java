package dev.flint.host.invoke;

import dev.flint.host.admission.ClientConnection;
import dev.flint.host.app.HttpMode;
import dev.flint.host.process.HandlerEndpoint;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Forwarding ({@code enableForwardingHttpRequest}), proxying ({@code enableProxyingHttpRequest}) and
 * the legacy {@code httpWorker}: the caller's request goes to the handler as it came (method, path,
 * query, headers, body) and the handler's response comes back verbatim, redirects included.
 *
 * <p>Both bodies are streamed with back-pressure ({@code pipeTo}), whatever their size: Azure buffers
 * forwarded responses, Flint never does, so a 1 GB body costs a few buffers of memory.
 */
public final class ProxyInvoker {

    private final HttpClient client;
    private final HandlerGate gate;
    private final InvocationDeadlines deadlines;
    private final FailureResponses failures;
    private final long maxBodyBytes;

    public ProxyInvoker(HttpClient client, HandlerGate gate, InvocationDeadlines deadlines, FailureResponses failures,
                        long maxBodyBytes) {
        this.client = client;
        this.gate = gate;
        this.deadlines = deadlines;
        this.failures = failures;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Forwards the request; the caller has checked its Content-Length against the body limit. */
    public void invoke(HttpServerRequest request, Invocation invocation, ClientConnection caller) {
        request.pause(); // hold the body until the handler is ready and the upstream request exists
        caller.holdingBody();
        gate.endpoint().onComplete(ready -> {
            if (ready.failed()) {
                request.resume();
                failures.fail(request, invocation, InvocationFailures.of(ready.cause()));
            } else {
                send(request, invocation, ready.result(), caller);
            }
        });
    }

    private void send(HttpServerRequest request, Invocation invocation, HandlerEndpoint endpoint, ClientConnection caller) {
        HttpMode mode = invocation.function().mode();
        String uri = mode == HttpMode.LEGACY_FORWARD
                ? "/" + invocation.function().name() + (request.query() == null ? "" : "?" + request.query())
                : request.uri();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(uri)
                .setFollowRedirects(false);
        String description = request.method() + " " + uri;
        InvocationTimer timer = deadlines.start(invocation);
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                timer.cancel();
                request.resume();
                gate.explain(endpoint, created.cause(), description)
                        .onSuccess(failure -> failures.fail(request, invocation, failure));
                return;
            }
            HttpClientRequest upstream = created.result();
            // Its failures reach upstream.response() below; without a handler Vert.x logs each reset as an error.
            upstream.exceptionHandler(error -> { });
            HopByHopHeaders.copy(request.headers(), upstream.headers());
            upstream.putHeader("X-Azure-Functions-HostVersion", HostIdentity.HOST_VERSION);
            upstream.putHeader("X-Azure-Functions-InvocationId", invocation.id());
            if (mode == HttpMode.PROXY) {
                upstream.putHeader("x-ms-invocation-id", invocation.id());
            }
            timer.onTimeout(failure -> {
                upstream.reset();
                failures.fail(request, invocation, failure);
            });
            upstream.response().onComplete(answered -> {
                if (answered.failed()) {
                    timer.cancel();
                    gate.explain(endpoint, answered.cause(), description)
                            .onSuccess(failure -> failures.fail(request, invocation, failure));
                } else {
                    relay(request, invocation, answered.result(), timer, upstream);
                }
            });
            boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true);
            if (chunked) {
                upstream.setChunked(true);
            }
            if (chunked || hasContentLength(request)) {
                BodyPipe.start(request, upstream, maxBodyBytes, caller, () -> {
                    timer.cancel();
                    // Failed first, so that the reset's own failure finds the invocation ended.
                    failures.fail(request, invocation, new InvocationFailure(FailureKind.BODY_TOO_LARGE,
                            "the request body passed the limit of " + maxBodyBytes + " bytes while it was forwarded"));
                    upstream.reset();
                });
            } else {
                request.resume();
                upstream.end();
            }
            request.response().closeHandler(v -> {
                // The caller went away before the answer: stop the handler's work on this request.
                // The failed upstream request then logs the invocation as cancelled.
                timer.cancel();
                upstream.reset();
            });
        });
    }

    private void relay(HttpServerRequest request, Invocation invocation, HttpClientResponse answer,
                       InvocationTimer timer, HttpClientRequest upstream) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            answer.request().reset();
            return;
        }
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        HopByHopHeaders.copy(answer.headers(), response.headers());
        if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            int status = answer.statusCode();
            boolean bodiless = status == 204 || status == 304 || (status >= 100 && status < 200)
                    || request.method().name().equals("HEAD");
            if (!bodiless) {
                response.setChunked(true);
            }
        }
        ResponseRelay.start(answer, response, upstream, invocation, timer);
    }

    private static boolean hasContentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null && !length.equals("0");
    }
}
