package dev.flint.cli;

import dev.flint.host.FlintHost;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpTrigger;
import dev.flint.host.route.FunctionRoutes;
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
        for (String line : security(host)) {
            out.println(line);
        }
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
        return "\t" + fn.name() + ": [" + String.join(",", methods) + "] http://" + urlHost(host.address()) + ":"
                + host.port() + "/" + FunctionRoutes.template(host.app().host().routePrefix(), fn);
    }

    /**
     * The host part of a URL to the front door: {@code localhost} for 127.0.0.1 and the any-addresses,
     * as {@code func start} prints it; an IPv6 address in brackets ({@code http://[::1]:7071}), since
     * without them the URL does not parse.
     */
    static String urlHost(String address) {
        if (address.equals("0.0.0.0") || address.equals("127.0.0.1") || address.equals("::")) {
            return "localhost";
        }
        return address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /** How the front door is secured: keys, developer mode, CORS, throttle. Never a key's value. */
    static List<String> security(FlintHost host) {
        List<String> lines = new java.util.ArrayList<>();
        var options = host.options();
        String keysAt = host.keys().map(k -> k.source()).orElse("unavailable: " + host.keysUnavailable());
        if (options.keysEnforced()) {
            lines.add("Keys: checked (authLevel is enforced; the admin API needs the master key); kept in " + keysAt
                    + "; `flint keys list` shows them.");
        } else if (options.loopbackOnly()) {
            lines.add("Keys: not checked, as under func start: Flint listens on loopback only. --enable-auth checks them.");
        } else {
            lines.add("WARNING: keys are NOT checked (--disable-auth) although Flint listens on " + options.address()
                    + ": anyone who can connect can call every function and the admin API.");
        }
        if (options.developerModeOn()) {
            lines.add("Developer mode: on (a failed invocation's 500 says why; --no-developer-mode hides it).");
        }
        if (host.cors().enabled()) {
            lines.add(host.cors().describe());
        }
        var limits = host.app().host().httpLimits();
        if (limits.bounded()) {
            lines.add("Throttle, per function: maxConcurrentRequests " + limits.maxConcurrent() + ", maxOutstandingRequests "
                    + limits.maxOutstanding() + " (-1: none).");
        }
        return lines;
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
