package dev.flint.host.admin;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.profile.ProfilingException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * {@code POST /admin/functions/{name}/profile?seconds=N[&frequency=F]}: samples the handler with perf
 * for N seconds now (1 to 300, default 10) and answers 201 with the stored trace's id, or 503 with
 * what is missing to profile (perf not installed, not permitted, no handler running), 409 while
 * another profile is being taken (with Retry-After), 400 for a bad parameter.
 */
final class ProfileEndpoint {

    private ProfileEndpoint() {}

    static void profile(AdminContext context, HttpServerRequest request, FunctionDefinition fn) {
        if (context.profiling().isEmpty()) {
            AdminApi.error(request, 503, FailureKind.ADMIN_CONFLICT, "profiles need the trace store, which is not available");
            return;
        }
        int seconds;
        int frequency;
        try {
            seconds = integer(request.getParam("seconds"), 10);
            frequency = integer(request.getParam("frequency"), context.profiling().get().settings().frequencyHz());
        } catch (NumberFormatException e) {
            AdminApi.error(request, 400, FailureKind.BAD_ADMIN_REQUEST, "seconds and frequency are whole numbers");
            return;
        }
        Vertx vertx = Vertx.currentContext().owner();
        var profiling = context.profiling().get();
        vertx.executeBlocking(() -> profiling.profileNow(fn.name(), Duration.ofSeconds(seconds), frequency), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        String id = done.result();
                        AdminApi.json(request, 201, AdminApi.JSON.createObjectNode().put("id", id)
                                .put("function", fn.name()).put("seconds", seconds).put("frequency", frequency)
                                .put("href", AdminApi.baseUrl(request) + "/admin/traces/" + id));
                    } else if (done.cause() instanceof ProfilingException e) {
                        e.retryAfterSeconds().ifPresent(after ->
                                request.response().putHeader("Retry-After", Long.toString(after)));
                        AdminApi.error(request, e.httpStatus(), e.httpStatus() == 400 ? FailureKind.BAD_ADMIN_REQUEST
                                : FailureKind.ADMIN_CONFLICT, e.getMessage());
                    } else {
                        AdminApi.error(request, 500, FailureKind.ADMIN_CONFLICT, "the profile failed: "
                                + done.cause().getMessage());
                    }
                });
    }

    private static int integer(String value, int fallback) {
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
