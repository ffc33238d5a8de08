package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.host.invoke.HandlerLog;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A handler's envelope answer, {@code {"Outputs":{...},"Logs":[...],"ReturnValue":...}} (§5.5).
 *
 * @param outputs     the {@code Outputs} object, keys exactly as sent (output names are matched
 *                    case-sensitively); null when the answer has no {@code Outputs} or it is null
 * @param logs        the {@code Logs}, in order; empty when absent
 * @param returnValue the {@code ReturnValue}; null when absent or JSON null (Azure treats both alike)
 */
public record HandlerResult(Map<String, JsonNode> outputs, List<HandlerLog> logs, JsonNode returnValue) {

    public HandlerResult {
        outputs = outputs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        logs = List.copyOf(logs);
    }
}
