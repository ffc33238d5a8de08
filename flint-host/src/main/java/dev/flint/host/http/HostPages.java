package dev.flint.host.http;

import dev.flint.host.app.FunctionApp;
import dev.flint.host.invoke.FailureResponses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** The host's own answers: the home page at {@code /}, and 404 for everything no function serves. */
final class HostPages {

    private HostPages() {}

    static void handle(HttpServerRequest request, FunctionApp app) {
        if (request.path().equals("/") && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)) {
            String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Flint</title></head><body>"
                    + "<h1>Flint is running</h1><p>App <b>" + Html.escape(app.name()) + "</b>: "
                    + app.runnableFunctions().size() + " function(s) served.</p></body></html>";
            request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
            return;
        }
        request.response().setStatusCode(404).putHeader(FailureResponses.ERROR_HEADER, "no-route")
                .putHeader("Content-Length", "0").end();
    }
}
