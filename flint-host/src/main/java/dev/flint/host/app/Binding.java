package dev.flint.host.app;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of function.json's {@code bindings}.
 *
 * @param type      as written ({@code httpTrigger}, {@code http}, {@code queue}, ...)
 * @param direction {@code in}, {@code out} or {@code inout}
 * @param name      the binding name, case kept (output names are matched case-sensitively)
 * @param dataType  {@code string}, {@code binary}, {@code stream} or null
 * @param json      the whole binding, for trigger-specific properties
 */
public record Binding(String type, String direction, String name, String dataType, JsonNode json) {

    public boolean isTrigger() {
        return type.toLowerCase(java.util.Locale.ROOT).endsWith("trigger");
    }

    public boolean isInput() {
        return direction.equalsIgnoreCase("in") || direction.equalsIgnoreCase("inout");
    }

    public boolean isOutput() {
        return direction.equalsIgnoreCase("out") || direction.equalsIgnoreCase("inout");
    }

    public boolean isHttpOutput() {
        return type.equalsIgnoreCase("http") && isOutput();
    }

    public boolean isReturn() {
        return "$return".equals(name);
    }
}
