package dev.flint.host.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.admission.FunctionThrottle;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.HostIdentity;
import dev.flint.host.process.HandlerStatus;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * {@code GET /admin/host/status}: Azure's shape ({@code id, state, version, versionDetails,
 * processUptime, extensionBundle, errors}, camelCase), and Flint's additions: the state of each
 * function and of the handler process, and how the front door is secured.
 */
final class HostStatusJson {

    private HostStatusJson() {}

    static ObjectNode of(AdminContext context) {
        ObjectNode status = AdminApi.JSON.createObjectNode();
        status.put("id", hostId(context.app().name()));
        status.put("state", "Running");
        status.put("version", HostIdentity.HOST_VERSION);
        status.put("versionDetails", HostIdentity.HOST_VERSION + " (Flint " + HostIdentity.FLINT_VERSION + ")");
        status.put("processUptime", ManagementFactory.getRuntimeMXBean().getUptime());
        context.app().host().extensionBundle().ifPresent(bundle -> status.putObject("extensionBundle")
                .put("id", bundle.id()).put("version", bundle.version()));
        ArrayNode errors = status.putArray("errors");
        for (ConfigProblem warning : context.app().warnings()) {
            errors.add(warning.toString());
        }
        ObjectNode flint = status.putObject("flint");
        flint.put("version", HostIdentity.FLINT_VERSION);
        flint.put("app", context.app().root().toString());
        flint.put("address", context.options().address());
        flint.put("port", context.port());
        flint.put("keysEnforced", context.authorizer().enforced());
        flint.put("developerMode", context.failures().developerMode());
        flint.put("startedAt", context.startedAt().toString());
        flint.put("openConnections", context.openConnections().getAsInt());
        flint.put("maxConnections", context.options().limits().maxConnections());
        status.set("handler", handler(context));
        ArrayNode functions = status.putArray("functions");
        for (FunctionDefinition fn : context.app().functions()) {
            functions.add(function(context, fn));
        }
        return status;
    }

    /** Azure's host id: the site name, lower case, at most 32 characters. */
    static String hostId(String appName) {
        String id = appName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return id.length() > 32 ? id.substring(0, 32) : id;
    }

    private static ObjectNode handler(AdminContext context) {
        ObjectNode handler = AdminApi.JSON.createObjectNode();
        if (context.supervisor().isEmpty()) {
            handler.put("state", "None");
            handler.put("reason", "the app has no function to run, so no handler is started");
            return handler;
        }
        HandlerStatus s = context.supervisor().get().status();
        handler.put("state", stateName(s.state()));
        if (s.pid() >= 0) {
            handler.put("pid", s.pid());
            handler.put("port", s.port());
        }
        handler.put("restarts", s.restarts());
        handler.put("since", s.since().toString());
        if (s.state() != HandlerStatus.State.READY) {
            handler.put("reason", s.lastFailure());
        }
        return handler;
    }

    static ObjectNode function(AdminContext context, FunctionDefinition fn) {
        ObjectNode node = AdminApi.JSON.createObjectNode();
        node.put("name", fn.name());
        node.put("trigger", fn.triggerType());
        node.put("state", FunctionMetadataJson.state(fn));
        fn.unsupportedReason().ifPresent(reason -> node.put("reason", reason));
        FunctionThrottle throttle = context.throttles().get(fn);
        if (throttle != null) {
            FunctionThrottle.Snapshot now = throttle.snapshot();
            node.put("running", now.running());
            node.put("waiting", now.waiting());
            node.put("maxConcurrentRequests", throttle.maxConcurrent());
            node.put("maxOutstandingRequests", throttle.maxOutstanding());
        }
        return node;
    }

    private static String stateName(HandlerStatus.State state) {
        return switch (state) {
            case STARTING -> "Starting";
            case READY -> "Running";
            case RESTARTING -> "Restarting";
            case STOPPED -> "Stopped";
        };
    }
}
