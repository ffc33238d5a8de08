package dev.flint.host.invoke.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpMode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeRequestEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVOCATION_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    private static final Instant UTC_NOW = Instant.parse("2024-10-24T10:00:00.123Z");
    private static final FunctionDefinition ORDER = Functions.http("order", "req", Functions.httpOut("res"));

    /** The HTTP example of §5.4, with every header in Metadata.Headers (the reference abbreviates it). */
    @Test
    void encodesTheOrderExampleOfTheReferenceExactly() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "*/*").add("Host", "localhost:7071").add("User-Agent", "curl/8.5.0")
                .add("Content-Type", "application/json").add("Content-Length", "27");
        HttpRequestSnapshot req = new HttpRequestSnapshot("POST", "http://localhost:7071/api/order?debug=1",
                "/api/order", "debug=1", headers, Map.of(), Buffer.buffer("{\"id\":1005,\"color\":\"black\"}"));

        JsonNode actual = encode(ORDER, req);

        JsonNode expected = JSON.readTree("""
                {
                  "Data": {
                    "req": {
                      "Url": "http://localhost:7071/api/order?debug=1",
                      "Method": "POST",
                      "Query": { "debug": "1" },
                      "Headers": {
                        "Accept": ["*/*"], "Host": ["localhost:7071"], "User-Agent": ["curl/8.5.0"],
                        "Content-Type": ["application/json"], "Content-Length": ["27"]
                      },
                      "Params": {},
                      "Identities": [ { "AuthenticationType": "WebJobsAuthLevel", "IsAuthenticated": true,
                        "Actor": null, "BootstrapContext": null,
                        "Claims": [ { "Issuer": "LOCAL AUTHORITY", "OriginalIssuer": "LOCAL AUTHORITY", "Properties": {},
                          "Type": "http://schemas.microsoft.com/2017/07/functions/claims/authlevel",
                          "Value": "Admin", "ValueType": "http://www.w3.org/2001/XMLSchema#string" } ],
                        "Label": null, "Name": null,
                        "NameClaimType": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                        "RoleClaimType": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role" } ],
                      "Body": "{\\"id\\":1005,\\"color\\":\\"black\\"}"
                    }
                  },
                  "Metadata": {
                    "id": "\\"1005\\"", "color": "\\"black\\"", "debug": "\\"1\\"",
                    "Query": { "debug": "1" },
                    "Headers": { "Accept": "*/*", "Host": "localhost:7071", "User-Agent": "curl/8.5.0",
                                 "Content-Type": "application/json", "Content-Length": "27" },
                    "sys": { "MethodName": "order", "UtcNow": "2024-10-24T10:00:00.123Z",
                             "RandGuid": "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f" }
                  }
                }
                """);
        assertThat(actual).isEqualTo(expected);
        // Tree equality ignores order; Azure's order is part of what handlers see in logs and dumps.
        assertThat(fieldNames(actual)).containsExactly("Data", "Metadata");
        assertThat(fieldNames(actual.get("Data").get("req")))
                .containsExactly("Url", "Method", "Query", "Headers", "Params", "Identities", "Body");
        assertThat(fieldNames(actual.get("Metadata"))).containsExactly("id", "color", "debug", "Query", "Headers", "sys");
        assertThat(fieldNames(actual.get("Data").get("req").get("Identities").get(0))).containsExactly(
                "AuthenticationType", "IsAuthenticated", "Actor", "BootstrapContext", "Claims", "Label", "Name",
                "NameClaimType", "RoleClaimType");
    }

    @Test
    void keysTheRequestByTheTriggerNameAsWritten() throws Exception {
        FunctionDefinition fn = Functions.http("Hello", "Request", Functions.httpOut("$return"));

        JsonNode envelope = encode(fn, get("http://h/api/Hello", null));

        assertThat(fieldNames(envelope.get("Data"))).containsExactly("Request");
        assertThat(envelope.at("/Metadata/sys/MethodName").asText()).isEqualTo("Hello");
    }

    @Test
    void joinsRepeatedQueryKeysWithCommasAndKeepsCodeOnlyInTheQuery() throws Exception {
        JsonNode envelope = encode(ORDER, get("http://h/api/order?x", "a=1&b=2&a=3&A=4&code=secret&flag&x=%20y+z&bad=%zz"));

        JsonNode query = envelope.at("/Data/req/Query");
        assertThat(query).isEqualTo(JSON.readTree("""
                {"a":"1,3,4","b":"2","code":"secret","flag":"","x":" y z","bad":"%zz"}"""));
        assertThat(fieldNames(query)).containsExactly("a", "b", "code", "flag", "x", "bad");
        assertThat(envelope.at("/Metadata/Query")).isEqualTo(query);
        JsonNode metadata = envelope.get("Metadata");
        assertThat(metadata.get("a").asText()).isEqualTo("\"1,3,4\"");
        assertThat(metadata.get("x").asText()).isEqualTo("\" y z\"");
        assertThat(metadata.has("code")).isFalse();
    }

    @Test
    void sendsEachHeaderAsAnArrayInDataAndCommaJoinedInMetadata() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("X-Multi", "1").add("Accept", "text/html").add("x-multi", "2").add("X-MULTI", "3");
        HttpRequestSnapshot req = new HttpRequestSnapshot("GET", "http://h/api/order", "/api/order", null, headers,
                Map.of(), null);

        JsonNode envelope = encode(ORDER, req);

        assertThat(envelope.at("/Data/req/Headers")).isEqualTo(JSON.readTree("""
                {"X-Multi":["1","2","3"],"Accept":["text/html"]}"""));
        assertThat(fieldNames(envelope.at("/Data/req/Headers"))).containsExactly("X-Multi", "Accept");
        assertThat(envelope.at("/Metadata/Headers")).isEqualTo(JSON.readTree("""
                {"X-Multi":"1,2,3","Accept":"text/html"}"""));
    }

    @Test
    void sendsAnOctetStreamBodyAsBase64OfItsBytes() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '{', '}'};
        JsonNode envelope = encode(ORDER, post("application/octet-stream", Buffer.buffer(bytes)));

        assertThat(envelope.at("/Data/req/Body").asText()).isEqualTo(Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void sendsAMultipartBodyAsBase64EvenWhenItLooksLikeJson() throws Exception {
        String multipart = "{\"a\":1}";
        JsonNode envelope = encode(ORDER, post("multipart/form-data; boundary=xyz", Buffer.buffer(multipart)));

        assertThat(envelope.at("/Data/req/Body").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(multipart.getBytes(StandardCharsets.UTF_8)));
        assertThat(envelope.get("Metadata").has("a")).isFalse();
    }

    @Test
    void sendsATextBodyAsItsUtf8Text() throws Exception {
        String text = "héllo ✓ \"quoted\"\nline 2 \uD83D\uDE00";
        JsonNode envelope = encode(ORDER, post("text/plain; charset=utf-8", Buffer.buffer(text)));

        assertThat(envelope.at("/Data/req/Body").asText()).isEqualTo(text);
    }

    @Test
    void leavesBodyOutWhenTheRequestHasNone() throws Exception {
        assertThat(encode(ORDER, post("application/json", null)).at("/Data/req").has("Body")).isFalse();
        assertThat(encode(ORDER, post("application/json", Buffer.buffer())).at("/Data/req").has("Body")).isFalse();
    }

    @Test
    void sendsRouteValuesAsParamsWithNullForAnAbsentOptionalValue() throws Exception {
        Map<String, String> route = new LinkedHashMap<>();
        route.put("category", "books");
        route.put("id", null);
        HttpRequestSnapshot req = new HttpRequestSnapshot("GET", "http://h/api/products/books", "/api/products/books",
                null, MultiMap.caseInsensitiveMultiMap(), route, null);

        JsonNode envelope = encode(ORDER, req);

        JsonNode params = envelope.at("/Data/req/Params");
        assertThat(fieldNames(params)).containsExactly("category", "id");
        assertThat(params.get("category").asText()).isEqualTo("books");
        assertThat(params.get("id").isNull()).isTrue();
        assertThat(envelope.get("Metadata").get("category").asText()).isEqualTo("\"books\"");
        assertThat(envelope.get("Metadata").has("id")).isFalse();
    }

    @Test
    void putsJsonBodyPropertiesInMetadataAsAzureEncodesThem() throws Exception {
        String body = """
                {"s":"text","n":1.50,"t":true,"f":false,"nul":null,"arr":[1,2],"obj":{"a":1,"b":[2]},"q":"say \\"hi\\""}""";
        JsonNode metadata = encode(ORDER, post("application/json", Buffer.buffer(body))).get("Metadata");

        assertThat(metadata.get("s").asText()).isEqualTo("\"text\"");
        assertThat(metadata.get("n").asText()).isEqualTo("\"1.50\"");
        assertThat(metadata.get("t").asText()).isEqualTo("\"True\"");
        assertThat(metadata.get("f").asText()).isEqualTo("\"False\"");
        assertThat(metadata.get("q").asText()).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(metadata.get("obj")).isEqualTo(JSON.readTree("{\"a\":1,\"b\":[2]}"));
        assertThat(metadata.has("arr")).isFalse();
        assertThat(metadata.has("nul")).isFalse();
    }

    @Test
    void readsBodyPropertiesWhateverTheContentTypeAsAzureSniffsTheBody() throws Exception {
        // curl -d '{...}' sends application/x-www-form-urlencoded; Azure's Utility.IsJson looks at the text.
        JsonNode metadata = encode(ORDER, post("application/x-www-form-urlencoded", Buffer.buffer(" {'id': 7} ")))
                .get("Metadata");

        assertThat(metadata.get("id").asText()).isEqualTo("\"7\"");
    }

    @Test
    void encodesTheRequestWhenAJsonBodyIsInvalid() throws Exception {
        JsonNode envelope = encode(ORDER, post("application/json", Buffer.buffer("{\"id\": 10")));

        assertThat(envelope.at("/Data/req/Body").asText()).isEqualTo("{\"id\": 10");
        assertThat(fieldNames(envelope.get("Metadata"))).containsExactly("Query", "Headers", "sys");
    }

    @Test
    void letsRouteValuesWinOverQueryAndQueryOverBodyKeepingTheFirstSpelling() throws Exception {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        HttpRequestSnapshot req = new HttpRequestSnapshot("POST", "http://h/api/order/9?ID=8&color=red",
                "/api/order/9", "ID=8&color=red", headers, Map.of("Id", "9"),
                Buffer.buffer("{\"id\":7,\"color\":\"black\",\"size\":\"L\"}"));

        JsonNode metadata = encode(ORDER, req).get("Metadata");

        assertThat(fieldNames(metadata)).containsExactly("id", "color", "size", "Query", "Headers", "sys");
        assertThat(metadata.get("id").asText()).isEqualTo("\"9\"");
        assertThat(metadata.get("color").asText()).isEqualTo("\"red\"");
    }

    @Test
    void leavesOutKeysEndingInTriggerAndNeverLetsAUserKeyReplaceSys() throws Exception {
        JsonNode metadata = encode(ORDER, get("http://h/api/order", "myTrigger=1&sys=2&keep=3")).get("Metadata");

        assertThat(fieldNames(metadata)).containsExactly("keep", "Query", "Headers", "sys");
        assertThat(metadata.get("sys").get("MethodName").asText()).isEqualTo("order");
    }

    @Test
    void letsAUserKeyNamedQueryTakeThatSlotAsAzureDoes() throws Exception {
        JsonNode metadata = encode(ORDER, get("http://h/api/order", "query=1")).get("Metadata");

        assertThat(metadata.get("query").asText()).isEqualTo("\"1\"");
        assertThat(metadata.has("Query")).isFalse();
    }

    @Test
    void sendsTheCallerLevelAsTheAuthLevelClaim() throws Exception {
        JsonNode identity = encode(ORDER, get("http://h/api/order", null), AuthLevel.FUNCTION)
                .at("/Data/req/Identities/0");

        assertThat(identity.at("/Claims/0/Value").asText()).isEqualTo("Function");
        assertThat(identity.get("IsAuthenticated").asBoolean()).isTrue();
    }

    @Test
    void sendsAnUnauthenticatedIdentityWithoutClaimsForAnAnonymousCaller() throws Exception {
        JsonNode identities = encode(ORDER, get("http://h/api/order", null), AuthLevel.ANONYMOUS)
                .at("/Data/req/Identities");

        assertThat(identities).hasSize(1);
        assertThat(identities.get(0).get("AuthenticationType").isNull()).isTrue();
        assertThat(identities.get(0).get("IsAuthenticated").asBoolean()).isFalse();
        assertThat(identities.get(0).get("Claims")).isEmpty();
    }

    @Test
    void usesARandomGuidWhenTheInvocationIdIsNotOne() throws Exception {
        Buffer buffer = EnvelopeRequestEncoder.encode(ORDER, get("http://h/api/order", null), "not-a-guid", UTC_NOW);

        assertThat(JSON.readTree(buffer.getBytes()).at("/Metadata/sys/RandGuid").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void writesUtcNowWithMillisecondsEvenWhenTheyAreZero() throws Exception {
        Buffer buffer = EnvelopeRequestEncoder.encode(ORDER, get("http://h/api/order", null), INVOCATION_ID,
                Instant.parse("2024-01-02T03:04:05Z"));

        assertThat(JSON.readTree(buffer.getBytes()).at("/Metadata/sys/UtcNow").asText())
                .isEqualTo("2024-01-02T03:04:05.000Z");
    }

    @Test
    void refusesAFunctionWithoutAnHttpTrigger() {
        FunctionDefinition timer = new FunctionDefinition("tick", Path.of("tick/function.json"), false,
                Optional.empty(), List.of(Functions.binding("timerTrigger", "in", "timer")), Optional.empty(),
                HttpMode.ENVELOPE);

        assertThatThrownBy(() -> EnvelopeRequestEncoder.encode(timer, get("http://h/", null), INVOCATION_ID, UTC_NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tick' has no httpTrigger");
    }

    @Test
    void encodesALargeBinaryBodyCompletely() throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 1];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        JsonNode envelope = encode(ORDER, post("application/octet-stream", Buffer.buffer(bytes)));

        assertThat(Base64.getDecoder().decode(envelope.at("/Data/req/Body").asText())).isEqualTo(bytes);
    }

    private static JsonNode encode(FunctionDefinition fn, HttpRequestSnapshot req) throws Exception {
        return encode(fn, req, AuthLevel.ADMIN);
    }

    private static JsonNode encode(FunctionDefinition fn, HttpRequestSnapshot req, AuthLevel level) throws Exception {
        Buffer buffer = EnvelopeRequestEncoder.encode(fn, req, INVOCATION_ID, UTC_NOW, level);
        return JSON.readTree(buffer.getBytes());
    }

    private static HttpRequestSnapshot get(String url, String rawQuery) {
        return new HttpRequestSnapshot("GET", url, "/api/order", rawQuery, MultiMap.caseInsensitiveMultiMap(),
                Map.of(), null);
    }

    private static HttpRequestSnapshot post(String contentType, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType);
        return new HttpRequestSnapshot("POST", "http://h/api/order", "/api/order", null, headers, Map.of(), body);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
