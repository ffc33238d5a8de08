package dev.flint.host.invoke;

import dev.flint.host.process.HandlerEndpoint;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The HTTP request that carries an envelope to the handler (§5.1): {@code POST /{FunctionName}} with
 * JSON and the invocation headers, whoever started the invocation.
 */
final class EnvelopeRequests {

    private EnvelopeRequests() {}

    static String path(Invocation invocation) {
        return "/" + invocation.function().name();
    }

    static RequestOptions to(HandlerEndpoint endpoint, Invocation invocation) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(path(invocation))
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-Azure-Functions-HostVersion", HostIdentity.HOST_VERSION)
                .putHeader("X-Azure-Functions-InvocationId", invocation.id())
                .putHeader("User-Agent", HostIdentity.USER_AGENT);
    }
}
