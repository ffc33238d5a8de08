package dev.flint.host.invoke.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.HandlerLog;
import dev.flint.host.invoke.HandlerLog.Level;
import dev.flint.host.invoke.InvocationFailure;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class EnvelopeResponseDecoderTest {

    private static final FunctionDefinition HELLO = Functions.http("hello", "req", Functions.httpOut("res"));
    private static final String JSON = "application/json";

    @Test
    void readsOutputsLogsAndReturnValue() {
        HandlerResult result = decode(200, JSON, """
                {"Outputs":{"res":{"body":"hi"},"queue":"msg"},"Logs":["one","two"],"ReturnValue":{"a":1}}""");

        assertThat(result.outputs()).containsOnlyKeys("res", "queue");
        assertThat(result.outputs().get("res").get("body").asText()).isEqualTo("hi");
        assertThat(result.outputs().get("queue").asText()).isEqualTo("msg");
        assertThat(result.logs()).containsExactly(HandlerLog.info("one"), HandlerLog.info("two"));
        assertThat(result.returnValue().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void matchesTopLevelKeysCaseInsensitively() {
        HandlerResult result = decode(200, JSON, """
                {"OUTPUTS":{"res":{"body":"x"}},"logs":["l"],"returnvalue":"r"}""");

        assertThat(result.outputs()).containsOnlyKeys("res");
        assertThat(result.logs()).containsExactly(HandlerLog.info("l"));
        assertThat(result.returnValue().asText()).isEqualTo("r");
    }

    @Test
    void keepsOutputNamesExactlyAsSent() {
        HandlerResult result = decode(200, JSON, "{\"Outputs\":{\"RES\":{\"body\":\"x\"},\"res2\":1}}");

        assertThat(result.outputs()).containsOnlyKeys("RES", "res2");
        assertThat(result.outputs()).doesNotContainKey("res");
    }

    @Test
    void keepsTheOrderOfOutputs() {
        HandlerResult result = decode(200, JSON, "{\"Outputs\":{\"z\":1,\"a\":2,\"m\":3}}");

        assertThat(result.outputs().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void tellsAbsentOutputsFromEmptyOnes() {
        assertThat(decode(200, JSON, "{\"Logs\":[]}").outputs()).isNull();
        assertThat(decode(200, JSON, "{\"Outputs\":null}").outputs()).isNull();
        assertThat(decode(200, JSON, "{\"Outputs\":{}}").outputs()).isEmpty();
    }

    @Test
    void treatsANullReturnValueAsAbsent() {
        assertThat(decode(200, JSON, "{\"ReturnValue\":null}").returnValue()).isNull();
        assertThat(decode(200, JSON, "{}").returnValue()).isNull();
        assertThat(decode(200, JSON, "{}").logs()).isEmpty();
    }

    @Test
    void acceptsEveryJsonContentTypeAndAnyStatusFrom200To299() {
        assertThat(decode(200, "application/json; charset=utf-8", "{}")).isNotNull();
        assertThat(decode(201, "text/json", "{}")).isNotNull();
        assertThat(decode(299, "application/vnd.flint+json", "{}")).isNotNull();
        assertThat(decode(204, "Application/JSON", "{}")).isNotNull();
    }

    @Test
    void failsANon2xxAnswerButKeepsItsLogs() {
        InvocationFailure failure = failure(404, JSON, "{\"Logs\":[\"looked for it\",{\"level\":\"error\",\"message\":\"not here\"}]}");

        assertThat(failure.kind()).isEqualTo(FailureKind.HANDLER_STATUS);
        assertThat(failure.getMessage()).isEqualTo("handler answered 404 Not Found to POST /hello; an envelope answer "
                + "must be 2xx (body: {\"Logs\":[\"looked for it\",{\"level\":\"error\",\"message\":\"not here\"}]})");
        assertThat(failure.logs()).containsExactly(HandlerLog.info("looked for it"), new HandlerLog(Level.ERROR, "not here"));
    }

    @Test
    void failsANon2xxAnswerThatIsNotJsonWithoutLogs() {
        InvocationFailure failure = failure(500, "text/html", "<html>\n<body>boom</body></html>");

        assertThat(failure.kind()).isEqualTo(FailureKind.HANDLER_STATUS);
        assertThat(failure.getMessage()).isEqualTo("handler answered 500 Internal Server Error to POST /hello; an "
                + "envelope answer must be 2xx (body: <html>\\n<body>boom</body></html>)");
        assertThat(failure.logs()).isEmpty();
    }

    @Test
    void namesAnUnknownStatusByItsNumber() {
        assertThat(failure(799, JSON, "").getMessage()).startsWith("handler answered 799 to POST /hello;")
                .endsWith("(empty body)");
        assertThat(failure(302, JSON, "").kind()).isEqualTo(FailureKind.HANDLER_STATUS);
    }

    @Test
    void failsATextPlainAnswerWithAHint() {
        InvocationFailure failure = failure(200, "text/plain; charset=utf-8", "{\"Outputs\":{}}");

        assertThat(failure.kind()).isEqualTo(FailureKind.WRONG_CONTENT_TYPE);
        assertThat(failure.getMessage())
                .contains("Content-Type 'text/plain; charset=utf-8'")
                .contains("set Content-Type: application/json")
                .contains("body: {\"Outputs\":{}}");
    }

    @Test
    void failsAnAnswerWithoutContentType() {
        InvocationFailure failure = failure(200, null, "{}");

        assertThat(failure.kind()).isEqualTo(FailureKind.WRONG_CONTENT_TYPE);
        assertThat(failure.getMessage()).contains("with no Content-Type");
    }

    @Test
    void failsAnEmptyAnswerAtOnce() {
        assertThat(failure(200, JSON, "").kind()).isEqualTo(FailureKind.EMPTY_RESPONSE);
        assertThat(failure(200, null, "").getMessage()).contains("with an empty body");
        assertThat(failure(200, JSON, " \r\n ").kind()).isEqualTo(FailureKind.EMPTY_RESPONSE);
        InvocationFailure nullBody = catchThrowableOfType(InvocationFailure.class,
                () -> EnvelopeResponseDecoder.decode(HELLO, 200, JSON, null));
        assertThat(nullBody.kind()).isEqualTo(FailureKind.EMPTY_RESPONSE);
    }

    @Test
    void failsInvalidJsonNamingWhereItBreaks() {
        InvocationFailure failure = failure(200, JSON, "{\n  \"Outputs\": {,\n}");

        assertThat(failure.kind()).isEqualTo(FailureKind.BAD_JSON);
        assertThat(failure.getMessage())
                .startsWith("handler answered POST /hello with invalid JSON: ")
                .contains("at line 2, column 15")
                .endsWith("(body: {\\n  \"Outputs\": {,\\n})");
    }

    @Test
    void failsTrailingContentAfterTheObject() {
        assertThat(failure(200, JSON, "{\"Outputs\":{}} {\"Logs\":[]}").kind()).isEqualTo(FailureKind.BAD_JSON);
    }

    @Test
    void failsATopLevelValueThatIsNotAnObject() {
        InvocationFailure failure = failure(200, JSON, "[\"Outputs\"]");

        assertThat(failure.kind()).isEqualTo(FailureKind.BAD_JSON);
        assertThat(failure.getMessage()).contains("with a JSON array; an envelope answer must be a JSON object");
        assertThat(failure(200, JSON, "\"text\"").kind()).isEqualTo(FailureKind.BAD_JSON);
    }

    @Test
    void failsOutputsThatIsNotAnObject() {
        InvocationFailure failure = failure(200, JSON, "{\"Outputs\":[1]}");

        assertThat(failure.kind()).isEqualTo(FailureKind.BAD_JSON);
        assertThat(failure.getMessage()).contains("Outputs that is an array");
    }

    @Test
    void readsLogLevelsFromObjectEntries() {
        HandlerResult result = decode(200, JSON, """
                {"Logs":[
                  {"level":"Warning","message":"w"},
                  {"LEVEL":"warn","Message":"w2"},
                  {"level":"trace","message":"t"},
                  {"level":"DEBUG","message":"d"},
                  {"level":"information","message":"i"},
                  {"level":"info","message":"i2"},
                  {"level":"error","message":"e"},
                  {"level":"Critical","message":"c"},
                  {"level":"loud","message":"unknown level"},
                  {"message":"no level"},
                  {"message":{"structured":true}}
                ]}""");

        assertThat(result.logs()).containsExactly(
                new HandlerLog(Level.WARNING, "w"),
                new HandlerLog(Level.WARNING, "w2"),
                new HandlerLog(Level.TRACE, "t"),
                new HandlerLog(Level.DEBUG, "d"),
                new HandlerLog(Level.INFORMATION, "i"),
                new HandlerLog(Level.INFORMATION, "i2"),
                new HandlerLog(Level.ERROR, "e"),
                new HandlerLog(Level.CRITICAL, "c"),
                new HandlerLog(Level.INFORMATION, "unknown level"),
                new HandlerLog(Level.INFORMATION, "no level"),
                new HandlerLog(Level.INFORMATION, "{\"structured\":true}"));
    }

    @Test
    void logsAnyOtherEntryAsItsJsonText() {
        HandlerResult result = decode(200, JSON, "{\"Logs\":[42,null,{\"other\":1},[\"x\"]]}");

        assertThat(result.logs()).extracting(HandlerLog::message)
                .containsExactly("42", "null", "{\"other\":1}", "[\"x\"]");
        assertThat(result.logs()).extracting(HandlerLog::level).containsOnly(Level.INFORMATION);
    }

    @Test
    void takesLogsThatIsASingleStringAsOneEntry() {
        assertThat(decode(200, JSON, "{\"Logs\":\"only one\"}").logs()).containsExactly(HandlerLog.info("only one"));
    }

    @Test
    void keepsNumbersAsWritten() {
        HandlerResult result = decode(200, JSON, "{\"ReturnValue\":{\"n\":1.50,\"big\":12345678901234567890}}");

        assertThat(result.returnValue().get("n").asText()).isEqualTo("1.50");
        assertThat(result.returnValue().get("big").asText()).isEqualTo("12345678901234567890");
    }

    @Test
    void cutsTheBodyShownInMessagesTo200Characters() {
        String body = "x".repeat(500);

        String message = failure(200, "text/plain", body).getMessage();

        assertThat(message).contains("body: " + "x".repeat(200) + "…)").doesNotContain("x".repeat(201));
    }

    private static HandlerResult decode(int status, String contentType, String body) {
        return EnvelopeResponseDecoder.decode(HELLO, status, contentType, Buffer.buffer(body));
    }

    private static InvocationFailure failure(int status, String contentType, String body) {
        InvocationFailure failure = catchThrowableOfType(InvocationFailure.class, () -> decode(status, contentType, body));
        assertThat(failure).as("an InvocationFailure").isNotNull();
        return failure;
    }
}
