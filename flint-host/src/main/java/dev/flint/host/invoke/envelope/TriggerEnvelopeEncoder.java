package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.flint.host.app.Binding;
import dev.flint.host.app.FunctionDefinition;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The envelope of a non-HTTP function run by hand through {@code POST /admin/functions/{name}}
 * with {@code {"input": "..."}}: the trigger's value is built from the input the way Azure binds it
 * (§5.3, §5.4). A timer gets a TimerInfo that is not past due and has no schedule status; any other
 * trigger gets the input string, double-encoded as Azure encodes strings ({@code "\"hello\""}).
 * Metadata holds {@code sys} only.
 */
public final class TriggerEnvelopeEncoder {

    private TriggerEnvelopeEncoder() {}

    /**
     * @param input the request's {@code input}: its text when it is a JSON string, else its JSON; null when absent
     * @throws IllegalArgumentException when the function has no trigger binding
     */
    public static Buffer encode(FunctionDefinition fn, String input, String invocationId, Instant utcNow) {
        Binding trigger = fn.bindings().stream().filter(Binding::isTrigger).findFirst().orElseThrow(() ->
                new IllegalArgumentException("function '" + fn.name() + "' has no trigger binding"));
        Buffer out = Buffer.buffer(512 + (input == null ? 0 : input.length() * 2));
        try (JsonGenerator g = EnvelopeJson.FACTORY.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeObjectFieldStart("Data");
            g.writeFieldName(trigger.name());
            if (trigger.type().equalsIgnoreCase("timerTrigger")) {
                g.writeStartObject();
                g.writeObjectFieldStart("Schedule");
                g.writeBooleanField("AdjustForDST", true);
                g.writeEndObject();
                g.writeNullField("ScheduleStatus");
                g.writeBooleanField("IsPastDue", false);
                g.writeEndObject();
            } else if (input == null) {
                g.writeNull();
            } else {
                g.writeString(EnvelopeJson.MAPPER.writeValueAsString(input)); // JsonConvert.SerializeObject, in a string
            }
            g.writeEndObject();
            g.writeObjectFieldStart("Metadata");
            g.writeObjectFieldStart("sys");
            g.writeStringField("MethodName", fn.name());
            g.writeStringField("UtcNow", HttpTriggerMetadata.UTC_MILLIS.format(utcNow));
            g.writeStringField("RandGuid", EnvelopeRequestEncoder.randGuid(invocationId));
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: the envelope is written to memory", e);
        }
        return out;
    }
}
