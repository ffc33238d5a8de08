package dev.flint.host.invoke.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.invoke.FailureKind;
import dev.flint.host.invoke.InvocationFailure;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpOutputMapperTest {

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";

    /** {@code res} as http output, and a queue {@code $return} as in the Go sample of §5.6. */
    private static final FunctionDefinition NAMED =
            Functions.http("hello", "req", Functions.httpOut("res"), Functions.queueOut("$return"));
    /** Only {@code res}: ReturnValue objects merge into Outputs. */
    private static final FunctionDefinition NAMED_ONLY = Functions.http("hello", "req", Functions.httpOut("res"));
    private static final FunctionDefinition RETURN = Functions.http("hello", "req", Functions.httpOut("$return"));

    @Nested
    class NamedOutput {

        @Test
        void mapsTheExampleAtTheEndOfSection5_6() {
            HttpResponseSpec spec = map(NAMED, """
                    {"Outputs":{"res":{"statusCode":"201","headers":{"header1":"header1Val"},"body":"my world"}},
                     "Logs":["test log1"],"ReturnValue":"Hello,World"}""");

            assertThat(spec.status()).isEqualTo(201);
            assertThat(spec.headers()).containsExactly(Map.entry("header1", "header1Val"), Map.entry("Content-Type", TEXT));
            assertThat(body(spec)).isEqualTo("my world");
        }

        @Test
        void takesStatusCodeAsANumberOrANumericString() {
            assertThat(mapRes("{\"statusCode\":202,\"body\":\"x\"}").status()).isEqualTo(202);
            assertThat(mapRes("{\"statusCode\":\" 203 \",\"body\":\"x\"}").status()).isEqualTo(203);
        }

        @Test
        void defaultsTheStatusTo200WhenStatusCodeIsMissingNullOrEmpty() {
            assertThat(mapRes("{\"body\":\"x\"}").status()).isEqualTo(200);
            assertThat(mapRes("{\"statusCode\":null,\"body\":\"x\"}").status()).isEqualTo(200);
            assertThat(mapRes("{\"statusCode\":\"\",\"body\":\"x\"}").status()).isEqualTo(200);
        }

        @Test
        void ignoresStatusOnANamedOutput() {
            assertThat(mapRes("{\"status\":404,\"body\":\"x\"}").status()).isEqualTo(200);
        }

        @Test
        void matchesStatusCodeBodyAndHeadersCaseInsensitively() {
            HttpResponseSpec spec = mapRes("{\"StatusCode\":202,\"BODY\":\"b\",\"Headers\":{\"X-A\":\"1\"}}");

            assertThat(spec.status()).isEqualTo(202);
            assertThat(spec.header("x-a")).isEqualTo("1");
            assertThat(body(spec)).isEqualTo("b");
        }

        @Test
        void acceptsAStringHoldingTheResponseObject() {
            HttpResponseSpec spec = map(NAMED, "{\"Outputs\":{\"res\":\"{\\\"statusCode\\\":203,\\\"body\\\":\\\"s\\\"}\"}}");

            assertThat(spec.status()).isEqualTo(203);
            assertThat(body(spec)).isEqualTo("s");
        }

        @Test
        void refusesAPlainStringAsAzureDoes() {
            InvocationFailure failure = failure(NAMED, "{\"Outputs\":{\"res\":\"ok\"}}");

            assertThat(failure.kind()).isEqualTo(FailureKind.BAD_OUTPUT);
            assertThat(failure.getMessage()).isEqualTo(
                    "function 'hello': output 'res' must be an object with statusCode, headers and body; found the string \"ok\"");
        }

        @Test
        void refusesOtherValuesThatAreNotObjects() {
            assertThat(failure(NAMED, "{\"Outputs\":{\"res\":5}}").getMessage()).endsWith("found the number 5");
            assertThat(failure(NAMED, "{\"Outputs\":{\"res\":[1]}}").getMessage()).endsWith("found an array");
            assertThat(failure(NAMED, "{\"Outputs\":{\"res\":\"[1]\"}}").getMessage()).endsWith("found the string \"[1]\"");
        }

        @Test
        void answers200WithAnEmptyObjectWhenOutputsLacksTheName() {
            HttpResponseSpec spec = map(NAMED, "{\"Outputs\":{\"RES\":{\"statusCode\":500,\"body\":\"no\"}}}");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(body(spec)).isEqualTo("{}");
            assertThat(spec.contentType()).isEqualTo(JSON);
        }

        @Test
        void answers200WithAnEmptyObjectWhenTheOutputIsNull() {
            HttpResponseSpec spec = map(NAMED, "{\"Outputs\":{\"res\":null}}");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(body(spec)).isEqualTo("{}");
        }

        @Test
        void answersAnEmpty200WhenThereAreNoOutputs() {
            HttpResponseSpec spec = map(NAMED, "{\"Logs\":[],\"ReturnValue\":\"queued\"}");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(spec.headers()).isEmpty();
            assertThat(spec.body().length()).isZero();
        }

        @Test
        void writesAStringBodyVerbatimAsText() {
            HttpResponseSpec spec = mapRes("{\"body\":\"{\\\"not\\\": \\\"reparsed\\\"} ✓\"}");

            assertThat(body(spec)).isEqualTo("{\"not\": \"reparsed\"} ✓");
            assertThat(spec.contentType()).isEqualTo(TEXT);
        }

        @Test
        void writesAnObjectBodyIndentedLikeNewtonsoft() {
            HttpResponseSpec spec = mapRes("{\"body\":{\"a\":1,\"b\":[1,\"two\"],\"c\":{},\"d\":[],\"e\":{\"f\":null}}}");

            assertThat(body(spec)).isEqualTo("""
                    {
                      "a": 1,
                      "b": [
                        1,
                        "two"
                      ],
                      "c": {},
                      "d": [],
                      "e": {
                        "f": null
                      }
                    }""");
            assertThat(spec.contentType()).isEqualTo(JSON);
        }

        @Test
        void writesAnArrayBodyIndented() {
            assertThat(body(mapRes("{\"body\":[1,2]}"))).isEqualTo("[\n  1,\n  2\n]");
        }

        @Test
        void writesNumbersAndBooleansAsDotNetDoes() {
            assertThat(body(mapRes("{\"body\":true}"))).isEqualTo("True");
            assertThat(body(mapRes("{\"body\":false}"))).isEqualTo("False");
            assertThat(body(mapRes("{\"body\":42}"))).isEqualTo("42");
            assertThat(body(mapRes("{\"body\":1.50}"))).isEqualTo("1.50");
            assertThat(mapRes("{\"body\":true}").contentType()).isEqualTo(TEXT);
        }

        @Test
        void sendsAnEmptyBodyWithoutContentTypeForNullOrMissingBody() {
            for (String res : new String[] {"{\"body\":null}", "{\"statusCode\":204}"}) {
                HttpResponseSpec spec = mapRes(res);
                assertThat(spec.body().length()).as(res).isZero();
                assertThat(spec.contentType()).as(res).isNull();
            }
        }

        @Test
        void neverDecodesBase64InANamedOutput() {
            HttpResponseSpec spec = mapRes("{\"body\":\"AAEC/w==\",\"headers\":{\"Content-Type\":\"image/png\"}}");

            assertThat(body(spec)).isEqualTo("AAEC/w==");
            assertThat(spec.contentType()).isEqualTo("image/png");
        }

        @Test
        void mergesAReturnValueObjectIntoOutputsWhenThereIsNoReturnBinding() {
            HttpResponseSpec spec = map(NAMED_ONLY,
                    "{\"Outputs\":{\"res\":{\"body\":\"from outputs\"}},\"ReturnValue\":{\"res\":{\"statusCode\":202,\"body\":\"merged\"}}}");

            assertThat(spec.status()).isEqualTo(202);
            assertThat(body(spec)).isEqualTo("merged");
        }

        @Test
        void mergesAReturnValueObjectEvenWithoutOutputs() {
            assertThat(body(map(NAMED_ONLY, "{\"ReturnValue\":{\"res\":{\"body\":\"merged\"}}}"))).isEqualTo("merged");
        }

        @Test
        void doesNotMergeWhenAReturnBindingTakesTheReturnValue() {
            HttpResponseSpec spec = map(NAMED,
                    "{\"Outputs\":{\"res\":{\"body\":\"from outputs\"}},\"ReturnValue\":{\"res\":{\"body\":\"queued\"}}}");

            assertThat(body(spec)).isEqualTo("from outputs");
        }
    }

    @Nested
    class ReturnOutput {

        @Test
        void mapsTheLowercaseHelloHandler() {
            HttpResponseSpec spec = map(RETURN, """
                    {"returnvalue":{"statusCode":200,"body":"{\\"msg\\":\\"hello world\\"}",
                     "headers":{"Content-Type":"application/json"}},"outputs":{},"logs":["Request received"]}""");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(body(spec)).isEqualTo("{\"msg\":\"hello world\"}");
            assertThat(spec.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
        }

        @Test
        void takesTheStatusFromStatusCodeElseStatus() {
            assertThat(mapReturn("{\"status\":404,\"body\":\"x\"}").status()).isEqualTo(404);
            assertThat(mapReturn("{\"status\":\"405\",\"body\":\"x\"}").status()).isEqualTo(405);
            assertThat(mapReturn("{\"statusCode\":201,\"status\":404,\"body\":\"x\"}").status()).isEqualTo(201);
            assertThat(mapReturn("{\"STATUSCODE\":\"202\",\"Body\":\"x\"}").status()).isEqualTo(202);
            assertThat(mapReturn("{\"body\":\"x\"}").status()).isEqualTo(200);
        }

        @Test
        void writesAnObjectBodyCompact() {
            HttpResponseSpec spec = mapReturn("{\"statusCode\":201,\"body\":{\"a\":1,\"b\":[1,2]}}");

            assertThat(body(spec)).isEqualTo("{\"a\":1,\"b\":[1,2]}");
            assertThat(spec.contentType()).isEqualTo(JSON);
        }

        @Test
        void sendsAnObjectWithoutBodyKeyAsTheBodyItself() {
            HttpResponseSpec spec = mapReturn("{\"statusCode\":201,\"message\":\"hi\"}");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(body(spec)).isEqualTo("{\"statusCode\":201,\"message\":\"hi\"}");
            assertThat(spec.contentType()).isEqualTo(JSON);
        }

        @Test
        void sendsAPlainStringAsText() {
            HttpResponseSpec spec = mapReturn("\"Hello, World\"");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(body(spec)).isEqualTo("Hello, World");
            assertThat(spec.headers()).containsExactly(Map.entry("Content-Type", TEXT));
        }

        @Test
        void doesNotDecodeAStringThatHappensToBeBase64() {
            // azure-functions-host#8352: Azure would send the 3 bytes that "abcd" decodes to.
            assertThat(body(mapReturn("\"abcd\""))).isEqualTo("abcd");
            assertThat(body(mapReturn("\"test\""))).isEqualTo("test");
        }

        @Test
        void readsAStringHoldingAResponseObjectAsThatObject() {
            HttpResponseSpec spec = mapReturn("\"{\\\"statusCode\\\":201,\\\"body\\\":\\\"x\\\"}\"");

            assertThat(spec.status()).isEqualTo(201);
            assertThat(body(spec)).isEqualTo("x");
        }

        @Test
        void readsAStringHoldingJsonAsJson() {
            HttpResponseSpec spec = mapReturn("\"[1, 2]\"");

            assertThat(body(spec)).isEqualTo("[1,2]");
            assertThat(spec.contentType()).isEqualTo(JSON);
        }

        @Test
        void writesNumbersAndBooleansAsDotNetDoes() {
            assertThat(body(mapReturn("42"))).isEqualTo("42");
            assertThat(body(mapReturn("true"))).isEqualTo("True");
            assertThat(body(mapReturn("{\"body\":false}"))).isEqualTo("False");
        }

        @Test
        void answersAnEmpty200WithoutReturnValue() {
            HttpResponseSpec spec = map(RETURN, "{\"Outputs\":{\"res\":{\"body\":\"ignored\"}}}");

            assertThat(spec.status()).isEqualTo(200);
            assertThat(spec.headers()).isEmpty();
            assertThat(spec.body().length()).isZero();
        }

        @Test
        void sendsANullBodyAsEmptyWithItsStatus() {
            HttpResponseSpec spec = mapReturn("{\"statusCode\":204,\"body\":null}");

            assertThat(spec.status()).isEqualTo(204);
            assertThat(spec.body().length()).isZero();
            assertThat(spec.contentType()).isNull();
        }

        @Test
        void decodesBase64WhenTheResponseDeclaresBytes() {
            HttpResponseSpec spec = mapReturn(
                    "{\"body\":\"AAEC/w==\",\"headers\":{\"Content-Type\":\"application/octet-stream\"}}");

            assertThat(spec.body().getBytes()).containsExactly(0, 1, 2, 0xff);
            assertThat(spec.headers()).containsExactly(Map.entry("Content-Type", "application/octet-stream"));
            assertThat(mapReturn("{\"body\":\"iVBORw==\",\"headers\":{\"content-type\":\"image/png\"}}").body().getBytes())
                    .containsExactly(0x89, 'P', 'N', 'G');
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "text/csv", "application/json", "application/problem+json",
                "application/xml", "image/svg+xml", "application/javascript", "application/octet-stream; charset=utf-8"})
        void keepsBase64LookingTextWhenTheTypeIsText(String contentType) {
            HttpResponseSpec spec = mapReturn("{\"body\":\"abcd\",\"headers\":{\"Content-Type\":\"" + contentType + "\"}}");

            assertThat(body(spec)).isEqualTo("abcd");
            assertThat(spec.contentType()).isEqualTo(contentType);
        }

        @ParameterizedTest
        @ValueSource(strings = {"not base64!", "abc", "abcd=", "ab=d", "YWJj\nZA=="})
        void keepsTextThatIsNotStrictBase64EvenForBytes(String notBase64) {
            String res = "{\"body\":" + HttpTriggerMetadata.doubleEncoded(notBase64)
                    + ",\"headers\":{\"Content-Type\":\"image/png\"}}";

            assertThat(body(mapReturn(res))).isEqualTo(notBase64);
        }
    }

    @Nested
    class Headers {

        @Test
        void writesEachValueAsItsDotNetText() {
            HttpResponseSpec spec = mapReturn("{\"body\":\"x\",\"headers\":{\"X-Str\":\"s\",\"X-Num\":5,\"X-Dec\":1.50,"
                    + "\"X-True\":true,\"X-False\":false}}");

            assertThat(spec.headers()).containsExactly(Map.entry("X-Str", "s"), Map.entry("X-Num", "5"),
                    Map.entry("X-Dec", "1.50"), Map.entry("X-True", "True"), Map.entry("X-False", "False"),
                    Map.entry("Content-Type", TEXT));
        }

        @Test
        void keepsTheDeclaredContentTypeInItsPlace() {
            HttpResponseSpec spec = mapRes("{\"body\":\"<p/>\",\"headers\":{\"X-A\":\"1\",\"content-type\":\"text/html\",\"X-B\":\"2\"}}");

            assertThat(spec.headers()).containsExactly(Map.entry("X-A", "1"), Map.entry("Content-Type", "text/html"),
                    Map.entry("X-B", "2"));
        }

        @Test
        void sendsAHeaderOncePerArrayElement() {
            HttpResponseSpec spec = mapRes("{\"body\":\"x\",\"headers\":{\"Set-Cookie\":[\"a=1\",\"b=2; Path=/\"],\"X-N\":[1,true]}}");

            assertThat(spec.headers()).containsExactly(Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2; Path=/"),
                    Map.entry("X-N", "1"), Map.entry("X-N", "True"), Map.entry("Content-Type", TEXT));
        }

        @Test
        void keepsTheFirstOfTwoNamesThatDifferOnlyInCase() {
            HttpResponseSpec spec = mapRes("{\"body\":\"x\",\"headers\":{\"X-A\":\"first\",\"x-a\":\"second\"}}");

            assertThat(spec.headers()).containsExactly(Map.entry("X-A", "first"), Map.entry("Content-Type", TEXT));
        }

        @Test
        void leavesFramingToTheServer() {
            HttpResponseSpec spec = mapRes("{\"body\":\"hello\",\"headers\":{\"Content-Length\":\"99\","
                    + "\"transfer-encoding\":\"chunked\",\"X-A\":\"1\"}}");

            assertThat(spec.headers()).containsExactly(Map.entry("X-A", "1"), Map.entry("Content-Type", TEXT));
        }

        @Test
        void refusesANullValue() {
            InvocationFailure failure = failure(NAMED,
                    "{\"Outputs\":{\"res\":{\"body\":\"x\",\"headers\":{\"X-Gone\":null}}}}");

            assertThat(failure.kind()).isEqualTo(FailureKind.BAD_OUTPUT);
            assertThat(failure.getMessage()).isEqualTo("function 'hello': output 'res' has header 'X-Gone' that is null; "
                    + "a header value must be a string, a number, a boolean or an array of these");
        }

        @Test
        void refusesANullContentType() {
            assertThat(failureOfReturn("{\"body\":\"x\",\"headers\":{\"Content-Type\":null}}").getMessage())
                    .startsWith("function 'hello': ReturnValue (the $return output) has a Content-Type header that is null");
        }

        @Test
        void refusesValuesThatCannotBeSent() {
            assertThat(failureOfRes("{\"headers\":{\"X\":{\"a\":1}}}").getMessage()).contains("header 'X' that is an object");
            assertThat(failureOfRes("{\"headers\":{\"X\":[\"a\",{\"b\":1}]}}").getMessage())
                    .contains("header 'X' with an array holding an object");
            assertThat(failureOfRes("{\"headers\":{\"Content-Type\":[\"text/plain\"]}}").getMessage())
                    .contains("Content-Type header that is an array");
            assertThat(failureOfRes("{\"headers\":{\"X\":\"a\\r\\nInjected: 1\"}}").getMessage())
                    .contains("header 'X' whose value holds a control character (code 13)");
            assertThat(failureOfRes("{\"headers\":{\"Bad Name\":\"v\"}}").getMessage())
                    .contains("has a header named \"Bad Name\", which is not a valid HTTP header name");
            assertThat(failureOfRes("{\"headers\":\"X-A: 1\"}").getMessage())
                    .contains("has headers that are the string \"X-A: 1\"; headers must be an object");
        }
    }

    @Nested
    class Status {

        @ParameterizedTest
        @ValueSource(strings = {"\"abc\"", "99", "1000", "0", "201.5", "true", "\"20 1\"", "{}"})
        void refusesAStatusCodeThatIsNotAnHttpStatus(String statusCode) {
            InvocationFailure failure = failureOfRes("{\"statusCode\":" + statusCode + ",\"body\":\"x\"}");

            assertThat(failure.kind()).isEqualTo(FailureKind.BAD_OUTPUT);
            assertThat(failure.getMessage()).startsWith("function 'hello': output 'res' has statusCode ")
                    .endsWith("; it must be an HTTP status from 100 to 999, as a number or a string of digits");
        }

        @Test
        void namesTheValueInTheMessage() {
            assertThat(failureOfRes("{\"statusCode\":\"abc\"}").getMessage())
                    .startsWith("function 'hello': output 'res' has statusCode the string \"abc\";");
            assertThat(failureOfReturn("{\"status\":1000,\"body\":\"x\"}").getMessage())
                    .startsWith("function 'hello': ReturnValue (the $return output) has status the number 1000;");
        }

        @Test
        void acceptsTheEdgesOfTheRange() {
            assertThat(mapRes("{\"statusCode\":100}").status()).isEqualTo(100);
            assertThat(mapRes("{\"statusCode\":\"999\"}").status()).isEqualTo(999);
        }
    }

    @Test
    void answersAnEmpty200ForAFunctionWithoutHttpOutput() {
        FunctionDefinition queueOnly = Functions.http("hello", "req", Functions.queueOut("msg"));

        HttpResponseSpec spec = map(queueOnly, "{\"Outputs\":{\"msg\":\"m\"},\"ReturnValue\":{\"body\":\"x\"}}");

        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.headers()).isEmpty();
        assertThat(spec.body().length()).isZero();
    }

    private static HttpResponseSpec map(FunctionDefinition fn, String answer) {
        HandlerResult result = EnvelopeResponseDecoder.decode(fn, 200, "application/json", Buffer.buffer(answer));
        return HttpOutputMapper.map(fn, result);
    }

    private static HttpResponseSpec mapRes(String res) {
        return map(NAMED, "{\"Outputs\":{\"res\":" + res + "}}");
    }

    private static HttpResponseSpec mapReturn(String returnValue) {
        return map(RETURN, "{\"ReturnValue\":" + returnValue + "}");
    }

    private static InvocationFailure failure(FunctionDefinition fn, String answer) {
        InvocationFailure failure = catchThrowableOfType(InvocationFailure.class, () -> map(fn, answer));
        assertThat(failure).as("an InvocationFailure").isNotNull();
        return failure;
    }

    private static InvocationFailure failureOfRes(String res) {
        return failure(NAMED, "{\"Outputs\":{\"res\":" + res + "}}");
    }

    private static InvocationFailure failureOfReturn(String returnValue) {
        return failure(RETURN, "{\"ReturnValue\":" + returnValue + "}");
    }

    private static String body(HttpResponseSpec spec) {
        return spec.body().toString(StandardCharsets.UTF_8);
    }
}
