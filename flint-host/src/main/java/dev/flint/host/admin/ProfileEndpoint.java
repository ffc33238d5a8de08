package dev.flint.host.admin;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.profile.HostProfiling;
import dev.flint.host.profile.ProfileWindows;
import dev.flint.host.profile.ProfilingException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Profiles taken now, answered 201 with the stored trace's id:
 * <ul>
 *   <li>{@code POST /admin/functions/{name}/profile?seconds=N[&frequency=F]}: samples the handler with
 *       perf (or async-profiler, for a Java handler when host.json chooses it) for N seconds (1 to 300,
 *       default 10);</li>
 *   <li>{@code POST /admin/host/profile?seconds=N[&frequency=F]}: samples Flint's own JVM with JFR.</li>
 * </ul>
 * A profile that cannot be taken answers 503 with what is missing (perf not installed, not permitted,
 * no handler running), 409 while another profile is being taken (with Retry-After), 400 for a bad
 * parameter, 500 when the recorder failed.
 */
final class ProfileEndpoint {

    private interface Profile {
        String take(HostProfiling profiling, Duration seconds, int frequency) throws Exception;
    }

    private ProfileEndpoint() {}

    static void profile(AdminContext context, HttpServerRequest request, FunctionDefinition fn) {
        take(context, request, fn.name(), (profiling, seconds, frequency) -> profiling.profileNow(fn.name(), seconds, frequency));
    }

    static void profileHost(AdminContext context, HttpServerRequest request) {
        take(context, request, ProfileWindows.HOST_FUNCTION, HostProfiling::profileHostNow);
    }

    private static void take(AdminContext context, HttpServerRequest request, String function, Profile profile) {
        if (context.profiling().isEmpty()) {
            AdminApi.error(request, 503, FailureKind.TRACE_STORE_UNAVAILABLE,
                    "profiles need the trace store, which is not available");
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
        HostProfiling profiling = context.profiling().get();
        vertx.executeBlocking(() -> profile.take(profiling, Duration.ofSeconds(seconds), frequency), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        String id = done.result();
                        AdminApi.json(request, 201, AdminApi.JSON.createObjectNode().put("id", id)
                                .put("function", function).put("seconds", seconds).put("frequency", frequency)
                                .put("href", AdminApi.baseUrl(request) + "/admin/traces/" + id));
                    } else if (done.cause() instanceof ProfilingException e) {
                        e.retryAfterSeconds().ifPresent(after ->
                                request.response().putHeader("Retry-After", Long.toString(after)));
                        AdminApi.error(request, e.httpStatus(), failureKind(e.kind()), e.getMessage());
                    } else {
                        AdminApi.error(request, 500, FailureKind.PROFILE_FAILED, "the profile failed: "
                                + done.cause().getMessage());
                    }
                });
    }

    private static FailureKind failureKind(ProfilingException.Kind kind) {
        return switch (kind) {
            case INVALID -> FailureKind.BAD_ADMIN_REQUEST;
            case BUSY -> FailureKind.PROFILE_BUSY;
            case NO_SAMPLES -> FailureKind.PROFILE_EMPTY;
            case UNAVAILABLE, NOT_RUNNING, CANCELLED -> FailureKind.PROFILE_UNAVAILABLE;
            case FAILED -> FailureKind.PROFILE_FAILED;
        };
    }

    private static int integer(String value, int fallback) {
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
