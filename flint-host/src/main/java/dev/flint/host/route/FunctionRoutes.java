package dev.flint.host.route;

import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.Binding;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The URL of every served HTTP function: {@code /{routePrefix}/{route or name}}. Disabled and
 * unsupported functions are left out, so they answer 404 like any unknown path.
 */
public final class FunctionRoutes {

    private final RouteTable<FunctionDefinition> table;

    private FunctionRoutes(RouteTable<FunctionDefinition> table) {
        this.table = table;
    }

    /** Parses every route template; a bad one is reported with its function.json and JSON path. */
    public static FunctionRoutes of(FunctionApp app) throws AppConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<RouteTable.Entry<FunctionDefinition>> entries = new ArrayList<>();
        for (FunctionDefinition fn : app.runnableFunctions()) {
            if (fn.httpTrigger().isEmpty()) {
                continue;
            }
            HttpTrigger trigger = fn.httpTrigger().get();
            String full = template(app.host().routePrefix(), fn);
            if (full.equalsIgnoreCase("admin") || full.regionMatches(true, 0, "admin/", 0, 6)) {
                problems.add(new ConfigProblem(fn.functionJson(), routePath(fn), "the route \"" + full
                        + "\" conflicts with the host's admin API under /admin; choose another route"));
                continue;
            }
            try {
                entries.add(new RouteTable.Entry<>(RouteTemplate.parse(template(app.host().routePrefix(), fn)), trigger.methods(), fn));
            } catch (RouteTemplateException e) {
                problems.add(new ConfigProblem(fn.functionJson(), routePath(fn), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new AppConfigException(problems);
        }
        return new FunctionRoutes(RouteTable.of(entries));
    }

    /** The template after the leading slash, e.g. {@code api/products/{id:int}}. */
    public static String template(String routePrefix, FunctionDefinition fn) {
        String route = fn.httpTrigger().map(HttpTrigger::route).orElse(null);
        String tail = route == null ? fn.name() : stripSlashes(route);
        return routePrefix.isEmpty() ? tail : tail.isEmpty() ? routePrefix : routePrefix + "/" + tail;
    }

    public Optional<RouteMatch<FunctionDefinition>> match(String method, String path) {
        return table.match(method, path);
    }

    private static String routePath(FunctionDefinition fn) {
        List<Binding> bindings = fn.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).type().equalsIgnoreCase("httpTrigger")) {
                return "$.bindings[" + i + "].route";
            }
        }
        return "$.bindings";
    }

    private static String stripSlashes(String route) {
        String r = route;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
