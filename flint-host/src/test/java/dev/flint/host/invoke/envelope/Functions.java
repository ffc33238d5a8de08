package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.app.Binding;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpMode;
import dev.flint.host.app.HttpTrigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** FunctionDefinitions for tests, built as the app loader would from a function.json. */
final class Functions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Functions() {}

    /** An HTTP function whose trigger is named {@code triggerName}, with the given output bindings. */
    static FunctionDefinition http(String name, String triggerName, Binding... outputs) {
        List<Binding> bindings = new ArrayList<>();
        bindings.add(binding("httpTrigger", "in", triggerName));
        bindings.addAll(List.of(outputs));
        return new FunctionDefinition(name, Path.of(name, "function.json"), false, Optional.empty(), bindings,
                Optional.of(new HttpTrigger(triggerName, AuthLevel.FUNCTION, Set.of(), null)), HttpMode.ENVELOPE);
    }

    static Binding httpOut(String name) {
        return binding("http", "out", name);
    }

    static Binding queueOut(String name) {
        return binding("queue", "out", name);
    }

    static Binding binding(String type, String direction, String name) {
        ObjectNode json = JSON.createObjectNode().put("type", type).put("direction", direction).put("name", name);
        return new Binding(type, direction, name, null, json);
    }
}
