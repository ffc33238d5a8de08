package dev.flint.host.http;

import dev.flint.host.admin.AdminContext;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.FailureResponses;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The host's own answers: the home page at {@code /} (Azure's "Your Functions app is up and running"
 * page; {@code AzureWebJobsDisableHomepage=true} turns it into an empty 204), and 404 for everything
 * no function serves.
 */
final class HostPages {

    private HostPages() {}

    static void handle(HttpServerRequest request, AdminContext host, FailureResponses failures) {
        boolean root = request.path().equals("/");
        if (root && (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)) {
            if (homePageDisabled(host)) {
                request.response().setStatusCode(204).end();
                return;
            }
            int served = host.app().runnableFunctions().size();
            String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Flint</title></head><body>"
                    + "<h1>Flint is running</h1><p>App <b>" + Html.escape(host.app().name()) + "</b>: "
                    + served + (served == 1 ? " function" : " functions") + " served.</p></body></html>";
            request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
            return;
        }
        failures.reject(request, null, FailureKind.NO_ROUTE, "routes", "no function's route matches "
                + request.method().name() + " " + request.path());
    }

    private static boolean homePageDisabled(AdminContext host) {
        String value = host.app().settings().values().getOrDefault("AzureWebJobsDisableHomepage",
                host.options().environment().get("AzureWebJobsDisableHomepage"));
        return "true".equalsIgnoreCase(value);
    }
}
