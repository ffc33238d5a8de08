package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.flint.host.http.CorsPolicy.InvalidOriginsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The answers of ASP.NET Core's CORS middleware as {@code func start --cors ... [--cors-credentials]}
 * configures it (any header, any method), and Flint's reading of the configured origins.
 */
class CorsPolicyTest {

    private static final CorsPolicy AB = CorsPolicy.parse(List.of("http://a.com", "https://b.com:8443"), false);

    // ---- preflight

    @Test
    void answersAPreflightFromAnAllowedOrigin() {
        assertThat(preflight(AB, "https://b.com:8443", "PUT", "content-type,x-trace")).containsExactly(
                entry("Access-Control-Allow-Origin", "https://b.com:8443"),
                entry("Access-Control-Allow-Methods", "PUT"),
                entry("Access-Control-Allow-Headers", "content-type,x-trace"),
                entry("Access-Control-Max-Age", "600"),
                entry("Vary", "Origin"));
    }

    @Test
    void echoesTheRequestedMethodAndHeadersAsSent() {
        assertThat(preflight(AB, "http://a.com", "patch", "X-Custom, Authorization"))
                .containsEntry("Access-Control-Allow-Methods", "patch")
                .containsEntry("Access-Control-Allow-Headers", "X-Custom, Authorization");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void allowsNoHeadersWhenNoneAreRequested(String requestHeaders) {
        assertThat(preflight(AB, "http://a.com", "DELETE", requestHeaders)).doesNotContainKey("Access-Control-Allow-Headers");
        assertThat(preflight(AB, "http://a.com", "DELETE", null)).doesNotContainKey("Access-Control-Allow-Headers")
                .containsEntry("Access-Control-Allow-Methods", "DELETE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://c.com", "https://a.com", "http://a.com:8080", "http://a.com.evil.com",
            "http://a.co", "http://evil.com/http://a.com", "https://b.com", "null", ""})
    void addsNothingToAPreflightFromAnOriginNotAllowed(String origin) {
        assertThat(AB.isPreflight("OPTIONS", origin, "PUT")).isTrue();
        assertThat(preflight(AB, origin, "PUT", "content-type")).isEmpty();
        assertThat(actual(AB, origin)).isEmpty();
    }

    @Test
    void tellsAPreflightFromAnOrdinaryRequest() {
        assertThat(AB.isPreflight("OPTIONS", "http://a.com", "GET")).isTrue();
        assertThat(AB.isPreflight("options", "http://a.com", "GET")).as("methods compare as in ASP.NET").isTrue();
        assertThat(AB.isPreflight("OPTIONS", "http://c.com", "GET")).as("answered 204 even when not allowed").isTrue();
        assertThat(AB.isPreflight("OPTIONS", "http://a.com", null)).as("no Access-Control-Request-Method").isFalse();
        assertThat(AB.isPreflight("OPTIONS", "http://a.com", "")).as("empty Access-Control-Request-Method").isFalse();
        assertThat(AB.isPreflight("OPTIONS", null, "PUT")).as("no Origin").isFalse();
        assertThat(AB.isPreflight("GET", "http://a.com", "PUT")).isFalse();
        assertThat(AB.isPreflight("POST", "http://a.com", "PUT")).isFalse();
        assertThat(AB.isPreflight("OPTION\u017F", "http://a.com", "PUT")).as("ASCII case only").isFalse();
    }

    // ---- actual requests

    @Test
    void echoesAnAllowedOriginOnAnActualRequest() {
        assertThat(actual(AB, "http://a.com")).containsExactly(
                entry("Access-Control-Allow-Origin", "http://a.com"),
                entry("Vary", "Origin"));
    }

    @Test
    void addsNothingWithoutAnOrigin() {
        assertThat(actual(AB, null)).isEmpty();
        assertThat(actual(CorsPolicy.parse(List.of("*"), false), null)).isEmpty();
        assertThat(actual(CorsPolicy.parse(List.of("*"), true), null)).isEmpty();
        assertThat(actual(CorsPolicy.parse(List.of("*"), true), "")).isEmpty();
    }

    @Test
    void allowsCredentialsWhenConfigured() {
        CorsPolicy policy = CorsPolicy.parse(List.of("http://localhost:3000"), true);

        assertThat(preflight(policy, "http://localhost:3000", "POST", "content-type")).containsExactly(
                entry("Access-Control-Allow-Origin", "http://localhost:3000"),
                entry("Access-Control-Allow-Credentials", "true"),
                entry("Access-Control-Allow-Methods", "POST"),
                entry("Access-Control-Allow-Headers", "content-type"),
                entry("Access-Control-Max-Age", "600"),
                entry("Vary", "Origin"));
        assertThat(actual(policy, "http://localhost:3000")).containsExactly(
                entry("Access-Control-Allow-Origin", "http://localhost:3000"),
                entry("Access-Control-Allow-Credentials", "true"),
                entry("Vary", "Origin"));
        assertThat(actual(policy, "http://localhost:3001")).isEmpty();
        assertThat(preflight(policy, "http://localhost:3001", "POST", null)).isEmpty();
    }

    // ---- any origin

    @Test
    void answersAStarToAnyOriginWithoutCredentials() {
        CorsPolicy policy = CorsPolicy.parse(List.of("*"), false);

        assertThat(policy.allowsAnyOrigin()).isTrue();
        assertThat(actual(policy, "https://anything.example")).containsExactly(entry("Access-Control-Allow-Origin", "*"));
        assertThat(actual(policy, "null")).containsExactly(entry("Access-Control-Allow-Origin", "*"));
        assertThat(preflight(policy, "https://anything.example", "PUT", "x-a")).containsExactly(
                entry("Access-Control-Allow-Origin", "*"),
                entry("Access-Control-Allow-Methods", "PUT"),
                entry("Access-Control-Allow-Headers", "x-a"),
                entry("Access-Control-Max-Age", "600"));
    }

    @Test
    void echoesAnyOriginWithCredentials() {
        CorsPolicy policy = CorsPolicy.parse(List.of("*"), true);

        assertThat(actual(policy, "https://anything.example")).containsExactly(
                entry("Access-Control-Allow-Origin", "https://anything.example"),
                entry("Access-Control-Allow-Credentials", "true"),
                entry("Vary", "Origin"));
        assertThat(preflight(policy, "https://other.example", "DELETE", null)).containsExactly(
                entry("Access-Control-Allow-Origin", "https://other.example"),
                entry("Access-Control-Allow-Credentials", "true"),
                entry("Access-Control-Allow-Methods", "DELETE"),
                entry("Access-Control-Max-Age", "600"),
                entry("Vary", "Origin"));
    }

    @Test
    void treatsAStarAmongOriginsAsAnyOrigin() {
        CorsPolicy policy = CorsPolicy.parse("http://a.com, *", false);

        assertThat(policy.allowsAnyOrigin()).isTrue();
        assertThat(policy.allows("https://z.example")).isTrue();
    }

    // ---- comparing origins

    @Test
    void comparesSchemeAndHostIgnoringCase() {
        CorsPolicy policy = CorsPolicy.parse(List.of("HTTP://App.Example.COM:8080"), false);

        assertThat(policy.origins()).containsExactly("http://app.example.com:8080");
        assertThat(actual(policy, "http://app.example.com:8080"))
                .containsEntry("Access-Control-Allow-Origin", "http://app.example.com:8080");
        assertThat(actual(policy, "HTTP://APP.EXAMPLE.COM:8080")).as("echoed as sent")
                .containsEntry("Access-Control-Allow-Origin", "HTTP://APP.EXAMPLE.COM:8080");
        assertThat(policy.allows("http://app.example.com:808")).isFalse();
        assertThat(policy.allows("http://app.example.com:80800")).isFalse();
        assertThat(policy.allows("https://app.example.com:8080")).isFalse();
        assertThat(policy.allows("http://app.example.com")).isFalse();
        assertThat(policy.allows("http://app.example.com:8080/")).isFalse();
        assertThat(CorsPolicy.parse(List.of("http://kit.example"), false).allows("http://\u212Ait.example"))
                .as("a Kelvin sign is not a k").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://a.com/", " http://a.com/ ", "http://A.COM", "http://a.com:80", "http://a.com:0080/"})
    void readsConfiguredOriginsInTheBrowsersForm(String configured) {
        CorsPolicy policy = CorsPolicy.parse(List.of(configured), false);

        assertThat(policy.origins()).containsExactly("http://a.com");
        assertThat(policy.allows("http://a.com")).isTrue();
    }

    static Stream<Arguments> normalisedOrigins() {
        return Stream.of(
                argumentSet("https default port", "https://b.com:443", "https://b.com"),
                argumentSet("other port kept", "https://b.com:80", "https://b.com:80"),
                argumentSet("ws default port", "ws://b.com:80", "ws://b.com"),
                argumentSet("IPv4", "http://127.0.0.1:7071", "http://127.0.0.1:7071"),
                argumentSet("IPv6 loopback", "http://[::1]:3000", "http://[::1]:3000"),
                argumentSet("IPv6 written out", "http://[0:0:0:0:0:0:0:1]:3000", "http://[::1]:3000"),
                argumentSet("IPv6 upper case", "http://[FE80:0:0:0:1:0:0:ABCD]", "http://[fe80::1:0:0:abcd]"),
                argumentSet("IPv6 first longest run", "http://[1:0:0:2:0:0:3:4]", "http://[1::2:0:0:3:4]"),
                argumentSet("IPv6 single zero kept", "http://[1:2:3:4:5:6:0:8]", "http://[1:2:3:4:5:6:0:8]"),
                argumentSet("IPv6 trailing run", "http://[1::]", "http://[1::]"),
                argumentSet("IPv6 with IPv4 tail", "http://[::ffff:192.168.0.1]", "http://[::ffff:c0a8:1]"),
                argumentSet("IPv6 full with IPv4 tail", "http://[1:2:3:4:5:6:1.2.3.4]", "http://[1:2:3:4:5:6:102:304]"),
                argumentSet("international host", "https://B\u00FCcher.example", "https://xn--bcher-kva.example"),
                argumentSet("app scheme", "capacitor://localhost", "capacitor://localhost"),
                argumentSet("extension", "chrome-extension://abcdefghijklmnop", "chrome-extension://abcdefghijklmnop"),
                argumentSet("opaque origin", "null", "null"),
                argumentSet("underscore", "http://my_host:8080", "http://my_host:8080"));
    }

    @ParameterizedTest
    @MethodSource("normalisedOrigins")
    void normalisesWhatBrowsersNormalise(String configured, String expected) {
        CorsPolicy policy = CorsPolicy.parse(List.of(configured), false);

        assertThat(policy.origins()).containsExactly(expected);
        assertThat(policy.allows(expected)).isTrue();
    }

    @Test
    void skipsBlankEntriesAndDuplicates() {
        CorsPolicy policy = CorsPolicy.parse(" http://a.com ,, https://b.com,http://A.com/, ", true);

        assertThat(policy.origins()).containsExactly("http://a.com", "https://b.com");
        assertThat(policy.allowsCredentials()).isTrue();
    }

    // ---- off

    @Test
    void isOffWithoutOrigins() {
        for (CorsPolicy policy : List.of(CorsPolicy.off(), CorsPolicy.parse(List.of(), true),
                CorsPolicy.parse(List.of(" ", ""), false), CorsPolicy.parse("", true))) {
            assertThat(policy.enabled()).isFalse();
            assertThat(policy.isPreflight("OPTIONS", "http://a.com", "PUT")).isFalse();
            assertThat(actual(policy, "http://a.com")).isEmpty();
            assertThat(preflight(policy, "http://a.com", "PUT", "x-a")).isEmpty();
            assertThat(policy.describe()).isEqualTo("CORS: off");
        }
        assertThat(AB.enabled()).isTrue();
        assertThat(CorsPolicy.parse(List.of("*"), false).enabled()).isTrue();
    }

    // ---- configuration errors

    static Stream<Arguments> badEntries() {
        return Stream.of(
                argumentSet("no scheme", "example.com", "it has no scheme", "\"https://example.com\""),
                argumentSet("no scheme, local", "localhost:3000", "it has no scheme", "\"http://localhost:3000\""),
                argumentSet("no scheme, slash", "example.com/", "it has no scheme", "\"https://example.com\""),
                argumentSet("path", "http://a.com/path", "it has a path (\"/path\")", "\"http://a.com\""),
                argumentSet("path and slash", "http://a.com/app/", "it has a path (\"/app\")", "\"http://a.com\""),
                argumentSet("two slashes", "http://a.com//", "it has a path (\"/\")", "\"http://a.com\""),
                argumentSet("query", "http://a.com?x=1", "it has a query (\"?x=1\")", "\"http://a.com\""),
                argumentSet("fragment", "http://a.com#top", "it has a fragment", "\"http://a.com\""),
                argumentSet("user", "http://me@a.com", "it has a user name", "\"http://a.com\""),
                argumentSet("port too big", "http://a.com:99999", "the port \"99999\"", "scheme://host[:port]"),
                argumentSet("port zero", "http://a.com:0", "the port \"0\"", "scheme://host[:port]"),
                argumentSet("port not a number", "http://a.com:x1", "the port \"x1\"", "scheme://host[:port]"),
                argumentSet("empty port", "http://a.com:", "the port \"\"", "\"http://a.com\""),
                argumentSet("no host", "http://", "it has no host", "scheme://host[:port]"),
                argumentSet("no host, port", "http://:8080", "it has no host", "scheme://host[:port]"),
                argumentSet("wildcard subdomain", "https://*.a.com", "wildcards in a host are not supported", "* alone"),
                argumentSet("bad scheme", "1http://a.com", "\"1http\" is not a URL scheme", "scheme://host[:port]"),
                argumentSet("space in host", "http://a b.com", "has a ' '", "scheme://host[:port]"),
                argumentSet("bad IPv6", "http://[::g]", "\"::g\" is not an IPv6 address", "scheme://host[:port]"),
                argumentSet("IPv6 two gaps", "http://[1::2::3]", "is not an IPv6 address", "scheme://host[:port]"),
                argumentSet("IPv6 too long", "http://[1:2:3:4:5:6:7:8:9]", "is not an IPv6 address", "scheme://host[:port]"),
                argumentSet("IPv6 short IPv4 tail", "http://[::1.2.3]", "is not an IPv6 address", "scheme://host[:port]"),
                argumentSet("IPv6 IPv4 tail too late", "http://[1:2:3:4:5:6:7:1.2.3.4]", "is not an IPv6 address",
                        "scheme://host[:port]"),
                argumentSet("IPv6 unclosed", "http://[::1", "no closing ']'", "scheme://host[:port]"),
                argumentSet("IPv6 zone", "http://[fe80::1%25eth0]", "is not an IPv6 address", "scheme://host[:port]"),
                argumentSet("file", "file:///home/me/index.html", "sends \"Origin: null\"", "list null to allow"));
    }

    @ParameterizedTest
    @MethodSource("badEntries")
    void namesABadEntry(String entry, String reason, String hint) {
        assertThatThrownBy(() -> CorsPolicy.parse(List.of("http://ok.example", entry), false))
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOfSatisfying(InvalidOriginsException.class, e -> assertThat(e.problems()).hasSize(1))
                .hasMessageStartingWith("\"" + entry + "\" is not an origin: ")
                .hasMessageContaining(reason)
                .hasMessageContaining(hint);
    }

    @Test
    void namesEveryBadEntryAtOnce() {
        assertThatThrownBy(() -> CorsPolicy.parse("example.com, http://a.com, http://b.com/x", true))
                .isInstanceOfSatisfying(InvalidOriginsException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("\"example.com\" is not an origin: it has no scheme"),
                        p -> assertThat(p).startsWith("\"http://b.com/x\" is not an origin: it has a path")))
                .hasMessage("\"example.com\" is not an origin: it has no scheme; expected scheme://host[:port], such as"
                        + " \"https://example.com\"\n\"http://b.com/x\" is not an origin: it has a path (\"/x\");"
                        + " expected scheme://host[:port], such as \"http://b.com\"");
    }

    // ---- banner

    @Test
    void describesItselfForTheBanner() {
        assertThat(AB.describe()).isEqualTo("CORS: http://a.com, https://b.com:8443");
        assertThat(CorsPolicy.parse(List.of("http://a.com/", "HTTPS://B.com"), true).describe())
                .isEqualTo("CORS: http://a.com, https://b.com (credentials allowed)");
        assertThat(CorsPolicy.parse(List.of("*"), false).describe()).isEqualTo("CORS: any origin (*)");
        assertThat(CorsPolicy.parse(List.of("*"), true).describe())
                .isEqualTo("CORS: any origin, echoed (credentials allowed, so any site can make credentialed calls)");
        assertThat(CorsPolicy.off()).hasToString("CORS: off");
    }

    // ----

    private static Map<String, String> preflight(CorsPolicy policy, String origin, String method, String headers) {
        Map<String, String> out = new LinkedHashMap<>();
        policy.preflight(origin, method, headers, (name, value) -> put(out, name, value));
        return out;
    }

    private static Map<String, String> actual(CorsPolicy policy, String origin) {
        Map<String, String> out = new LinkedHashMap<>();
        policy.actual(origin, (name, value) -> put(out, name, value));
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        assertThat(out).as("%s handed over once", name).doesNotContainKey(name);
        out.put(name, value);
    }
}
