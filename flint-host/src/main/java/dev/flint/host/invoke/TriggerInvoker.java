package dev.flint.host.invoke;

import dev.flint.host.app.Binding;
import dev.flint.host.invoke.envelope.EnvelopeResponseDecoder;
import dev.flint.host.invoke.envelope.HandlerResult;
import dev.flint.host.invoke.envelope.TriggerEnvelopeEncoder;
import dev.flint.host.process.HandlerEndpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a non-HTTP function once, with no caller waiting: {@code POST /admin/functions/{name}} with
 * {@code {"input": ...}}, the way timer and queue functions are tested by hand under Azure. The
 * envelope goes to the handler like any other; the answer's {@code Logs} are written, and its
 * outputs are reported but not delivered, as Flint does not run those bindings yet.
 */
public final class TriggerInvoker {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Function");

    private final HttpClient client;
    private final HandlerGate gate;
    private final InvocationDeadlines deadlines;

    public TriggerInvoker(HttpClient client, HandlerGate gate, InvocationDeadlines deadlines) {
        this.client = client;
        this.gate = gate;
        this.deadlines = deadlines;
    }

    /** Starts the invocation and returns at once; its outcome is logged. */
    public void invoke(Invocation invocation, String input) {
        InvocationLog.executing(invocation);
        Buffer envelope = TriggerEnvelopeEncoder.encode(invocation.function(), input, invocation.id(), Instant.now());
        if (gate == null) {
            InvocationLog.failed(invocation, new InvocationFailure(FailureKind.HANDLER_NOT_READY, "the app has no handler"));
            return;
        }
        gate.endpoint().onComplete(ready -> {
            if (ready.failed()) {
                InvocationLog.failed(invocation, InvocationFailures.of(ready.cause()));
            } else {
                send(invocation, envelope, ready.result());
            }
        });
    }

    private void send(Invocation invocation, Buffer envelope, HandlerEndpoint endpoint) {
        String description = "POST " + EnvelopeRequests.path(invocation);
        RequestOptions options = EnvelopeRequests.to(endpoint, invocation);
        InvocationTimer timer = deadlines.start(invocation);
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                timer.cancel();
                gate.explain(endpoint, created.cause(), description).onSuccess(f -> InvocationLog.failed(invocation, f));
                return;
            }
            timer.onTimeout(failure -> {
                created.result().reset();
                InvocationLog.failed(invocation, failure);
            });
            created.result().send(envelope)
                    .compose(answer -> answer.body().map(body -> {
                        timer.cancel();
                        return EnvelopeResponseDecoder.decode(invocation.function(), answer.statusCode(),
                                answer.getHeader("Content-Type"), body);
                    }))
                    .onComplete(done -> {
                        timer.cancel();
                        if (done.succeeded()) {
                            finish(invocation, done.result());
                        } else if (done.cause() instanceof InvocationFailure failure) {
                            InvocationLog.failed(invocation, failure);
                        } else {
                            gate.explain(endpoint, done.cause(), description).onSuccess(f -> InvocationLog.failed(invocation, f));
                        }
                    });
        });
    }

    private static void finish(Invocation invocation, HandlerResult result) {
        InvocationLog.userLogs(invocation, result.logs());
        if (result.outputs() != null) {
            for (Binding output : invocation.function().outputs()) {
                if (result.outputs().containsKey(output.name())) {
                    LOG.warn("Function {} returned output '{}' ({} binding); Flint does not deliver {} outputs yet",
                            invocation.function().name(), output.name(), output.type(), output.type());
                }
            }
        }
        InvocationLog.succeeded(invocation);
    }
}
