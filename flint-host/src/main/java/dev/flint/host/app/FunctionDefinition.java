package dev.flint.host.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One function of the app: a folder with a function.json.
 *
 * @param name              the folder name, case kept; sent to the handler as {@code /{name}}
 * @param functionJson      the file it was read from
 * @param disabled          {@code disabled: true} or {@code AzureWebJobs.<name>.Disabled=true}
 * @param unsupportedReason why Flint cannot run it yet (a trigger or binding of a later release);
 *                          empty when it runs
 * @param httpTrigger       present for HTTP-triggered functions
 * @param mode              how its invocations reach the handler
 */
public record FunctionDefinition(
        String name,
        Path functionJson,
        boolean disabled,
        Optional<String> unsupportedReason,
        List<Binding> bindings,
        Optional<HttpTrigger> httpTrigger,
        HttpMode mode) {

    public FunctionDefinition {
        bindings = List.copyOf(bindings);
    }

    /** Served: enabled and supported. */
    public boolean runnable() {
        return !disabled && unsupportedReason.isEmpty();
    }

    public List<Binding> inputs() {
        return bindings.stream().filter(Binding::isInput).toList();
    }

    public List<Binding> outputs() {
        return bindings.stream().filter(Binding::isOutput).toList();
    }

    /**
     * Azure's "pure HTTP" function: exactly one input (the httpTrigger) and one output (type http).
     * Only these may be forwarded or proxied.
     */
    public boolean isPureHttp() {
        List<Binding> in = inputs();
        List<Binding> out = outputs();
        return httpTrigger.isPresent() && in.size() == 1 && out.size() == 1 && out.get(0).type().equalsIgnoreCase("http");
    }

    /** The trigger type, as written, for listings of non-HTTP functions. */
    public String triggerType() {
        return bindings.stream().filter(Binding::isTrigger).map(Binding::type).findFirst().orElse("none");
    }
}
