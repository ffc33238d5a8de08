package dev.flint.cli;

import dev.flint.host.FlintHost;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpTrigger;
import dev.flint.host.http.FunctionRoutes;
import dev.flint.host.invoke.HostIdentity;
import java.io.PrintStream;
import java.util.List;

/** What {@code flint start} prints once the app is up, in the shape of {@code func start}'s output. */
final class Banner {

    private static final List<String> ALL_METHODS = List.of("GET", "POST", "DELETE", "HEAD", "PATCH", "PUT", "OPTIONS", "TRACE");

    private Banner() {}

    static void print(PrintStream out, FlintHost host) {
        FunctionApp app = host.app();
        out.println();
        out.println("Flint " + HostIdentity.FLINT_VERSION + "  (Azure Functions custom-handler host, protocol of "
                + HostIdentity.HOST_VERSION + ")");
        out.println("App: " + app.root() + "  (" + modeOf(app) + ")");
        out.println();
        for (ConfigProblem warning : app.warnings()) {
            out.println("Warning: " + warning);
        }
        if (!app.warnings().isEmpty()) {
            out.println();
        }
        out.println("Functions:");
        out.println();
        for (FunctionDefinition fn : app.functions()) {
            out.println(line(host, fn));
        }
        out.println();
        out.println("For detailed output, run flint with --verbose.");
        out.println();
    }

    static String line(FlintHost host, FunctionDefinition fn) {
        if (fn.disabled()) {
            return "Function " + fn.name() + " is disabled.";
        }
        if (fn.unsupportedReason().isPresent()) {
            return "\t" + fn.name() + ": " + fn.triggerType() + " (not served: " + fn.unsupportedReason().get() + ")";
        }
        if (fn.httpTrigger().isEmpty()) {
            return "\t" + fn.name() + ": " + fn.triggerType();
        }
        HttpTrigger trigger = fn.httpTrigger().get();
        List<String> methods = trigger.methods().isEmpty() ? ALL_METHODS : List.copyOf(trigger.methods());
        String address = host.address().equals("0.0.0.0") || host.address().equals("127.0.0.1")
                || host.address().equals("::") ? "localhost" : host.address();
        return "\t" + fn.name() + ": [" + String.join(",", methods) + "] http://" + address + ":" + host.port() + "/"
                + FunctionRoutes.template(host.app().host().routePrefix(), fn);
    }

    private static String modeOf(FunctionApp app) {
        return switch (app.host().pureHttpMode()) {
            case ENVELOPE -> "JSON envelope";
            case FORWARD -> "forwarding HTTP requests";
            case PROXY -> "proxying HTTP requests, streamed";
            case LEGACY_FORWARD -> "legacy httpWorker";
        };
    }
}
