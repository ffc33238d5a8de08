package dev.flint.cli;

import dev.flint.host.app.AuthLevel;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpTrigger;
import dev.flint.host.route.FunctionRoutes;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code flint bench} targets: a URL as given, or a function of the app: its route at the app's
 * running Flint ({@link RunningFlint#baseUrl()}), with the master key when its authLevel needs a key.
 * Also where the app's data directory is, for storing runs.
 */
final class BenchTargets {

    /**
     * A resolved target.
     *
     * @param url its URL (possibly with template fields)
     * @param headers the request headers: the user's, and the key a function needs
     * @param function the function's name when the target is one, else null
     * @param defaultName its name in reports when none is given
     */
    record Resolved(String url, List<String> headers, String function, String defaultName) {}

    private final RunningFlint flint;
    private final boolean appGiven;
    private final String method;
    private final List<String> headers;

    BenchTargets(Path app, Map<String, String> environment, String method, List<String> headers) {
        this.appGiven = app != null;
        this.flint = new RunningFlint(app != null ? app : Path.of("."), environment);
        this.method = method.toUpperCase(Locale.ROOT);
        this.headers = List.copyOf(headers);
    }

    Resolved resolve(String target) {
        if (target.contains("://")) {
            return new Resolved(target, headers, null, urlName(target));
        }
        int query = target.indexOf('?');
        String name = query < 0 ? target : target.substring(0, query);
        String rest = query < 0 ? "" : target.substring(query);
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new UserError("\"" + target + "\" is neither an http:// URL nor FUNCTION[?QUERY]");
        }
        FunctionApp app = app();
        FunctionDefinition fn = app.function(name).orElseThrow(() -> new UserError("the app in " + app.root()
                + " has no function \"" + name + "\" (its functions: " + app.functions().stream()
                        .map(FunctionDefinition::name).collect(Collectors.joining(", ")) + ")"));
        if (!fn.runnable()) {
            throw new UserError("the function " + fn.name() + " is not served: "
                    + fn.unsupportedReason().orElse("it is disabled"));
        }
        HttpTrigger trigger = fn.httpTrigger().orElseThrow(() -> new UserError("the function " + fn.name()
                + " has no HTTP trigger (its trigger: " + fn.triggerType() + "); flint bench sends HTTP requests"));
        if (!trigger.allows(method)) {
            throw new UserError("the function " + fn.name() + " answers " + String.join(", ", trigger.methods())
                    + ", not " + method + " (give -X " + trigger.methods().iterator().next() + ")");
        }
        String route = FunctionRoutes.template(app.host().routePrefix(), fn);
        if (route.contains("{")) {
            throw new UserError("the route of " + fn.name() + " has parameters (/" + route + "); give its URL instead,"
                    + " e.g. " + baseUrl() + "/" + route.replaceAll("\\{[^}]*}", "1"));
        }
        List<String> all = new ArrayList<>(headers);
        boolean keyGiven = headers.stream().anyMatch(h -> h.regionMatches(true, 0, "x-functions-key:", 0, 16));
        if (trigger.authLevel() != AuthLevel.ANONYMOUS && !keyGiven) {
            masterKey().ifPresent(key -> all.add("x-functions-key: " + key));
        }
        return new Resolved(baseUrl() + "/" + route + rest, all, fn.name(), fn.name());
    }

    /** A function was named, or --app given: runs are stored under the app's data directory. */
    boolean appKnown() {
        return appGiven || flint.appLoaded();
    }

    Path dataDirectory() {
        return flint.dataDirectory();
    }

    /** The running Flint of the app ({@link RunningFlint#baseUrl()}). */
    String baseUrl() {
        return flint.baseUrl();
    }

    Optional<String> masterKey() {
        return flint.masterKey();
    }

    RunningFlint flint() {
        return flint;
    }

    private FunctionApp app() {
        return flint.app();
    }

    /** {@code host:port} of a URL, for its name in reports. */
    private static String urlName(String url) {
        try {
            String authority = URI.create(url.replaceAll("\\{\\{[^}]*}}", "x")).getRawAuthority();
            return authority == null ? url : authority;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
