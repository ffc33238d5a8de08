package dev.flint.host.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Matching one template against request paths. */
class RouteTemplateMatchTest {

    /** template, path, expected parameters as alternating names and values, or null for no match. */
    @ParameterizedTest
    @MethodSource("cases")
    void matches(String template, String path, String[] expected) {
        Optional<Map<String, String>> match = RouteTemplate.parse(template).match(path);

        if (expected == null) {
            assertThat(match).isEmpty();
        } else {
            assertThat(match).isPresent();
            assertThat(match.get()).containsExactlyEntriesOf(params(expected));
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // literals
                matches("literal", "api/products", "/api/products"),
                matches("literals ignore case", "api/Products", "/API/pRODUCTS"),
                matches("trailing slash in the path", "api/products", "/api/products/"),
                matches("trailing slash in the template", "api/products/", "/api/products"),
                matches("leading slash in the template", "/api/products", "/api/products"),
                matches("~/ in the template", "~/api/products", "/api/products"),
                fails("other literal", "api/products", "/api/orders"),
                fails("literal prefix only", "api/products", "/api/productsx"),
                fails("two trailing slashes", "api/products", "/api/products//"),
                fails("extra segment", "api/products", "/api/products/5"),
                fails("missing segment", "api/products", "/api"),
                fails("empty segment in the path", "api/{a}/x", "/api//x"),
                matches("empty template matches the root", "", "/"),
                fails("empty template and a path", "", "/x"),
                matches("literal compared after decoding", "api/caf\u00e9", "/api/caf%C3%A9"),
                matches("escaped ASCII in a literal segment", "api/x", "/%41pi/x"),
                matches("escaped braces in a literal", "api/{{x}}", "/api/%7Bx%7D"),

                // parameters
                matches("parameter", "api/products/{id}", "/api/products/42", "id", "42"),
                matches("names keep their case, values keep theirs", "api/{Category}/{ID}", "/API/Books/X1",
                        "Category", "Books", "ID", "X1"),
                matches("percent-decoded value", "api/items/{name}", "/api/items/hello%20world%21",
                        "name", "hello world!"),
                matches("UTF-8 value", "api/items/{name}", "/api/items/%C3%A9t%C3%A9%F0%9F%98%80",
                        "name", "\u00e9t\u00e9\uD83D\uDE00"),
                matches("plus is not a space", "api/items/{name}", "/api/items/a+b", "name", "a+b"),
                matches("encoded slash stays encoded", "api/items/{name}", "/api/items/a%2Fb", "name", "a%2Fb"),
                matches("invalid escapes stay as written", "api/items/{name}", "/api/items/100%25%zz%C3",
                        "name", "100%%zz%C3"),
                matches("trailing slash after a parameter", "api/items/{id}", "/api/items/5/", "id", "5"),

                // optional and default values
                matches("optional present", "api/items/{id?}", "/api/items/5", "id", "5"),
                matches("optional absent is null", "api/items/{id?}", "/api/items", "id", null),
                matches("optional absent with a trailing slash", "api/items/{id?}", "/api/items/", "id", null),
                matches("two optionals, one given", "api/{a?}/{b?}", "/api/x", "a", "x", "b", null),
                matches("default used", "api/docs/{lang=en}", "/api/docs", "lang", "en"),
                matches("default overridden", "api/docs/{lang=en}", "/api/docs/fr", "lang", "fr"),
                matches("empty default", "api/docs/{lang=}", "/api/docs", "lang", ""),
                matches("defaults in the middle still need a value", "{controller=Home}/{action=Index}/{id?}",
                        "/", "controller", "Home", "action", "Index", "id", null),
                matches("defaults and optional given", "{controller=Home}/{action=Index}/{id?}",
                        "/shop/buy/3", "controller", "shop", "action", "buy", "id", "3"),
                fails("required parameter absent", "api/items/{id}", "/api/items"),

                // catch-all
                matches("catch-all keeps slashes", "api/files/{*path}", "/api/files/a/b/c.txt",
                        "path", "a/b/c.txt"),
                matches("double-star catch-all", "api/files/{**path}", "/api/files/a/b", "path", "a/b"),
                matches("catch-all decodes", "api/files/{*path}", "/api/files/a%20b/c%2Fd", "path", "a b/c%2Fd"),
                matches("catch-all keeps a trailing slash", "api/files/{*path}", "/api/files/a/b/", "path", "a/b/"),
                matches("empty catch-all is null", "api/files/{*path}", "/api/files", "path", null),
                matches("empty catch-all with a trailing slash", "api/files/{*path}", "/api/files/", "path", null),
                matches("catch-all default", "app/{*path=index.html}", "/app", "path", "index.html"),
                matches("catch-all as the whole route", "{*all}", "/anything/at/all", "all", "anything/at/all"),

                // complex segments
                matches("name and extension", "files/{name}.{ext}", "/files/report.pdf", "name", "report", "ext", "pdf"),
                matches("last dot splits", "files/{name}.{ext}", "/files/report.final.pdf",
                        "name", "report.final", "ext", "pdf"),
                fails("no dot", "files/{name}.{ext}", "/files/report"),
                fails("empty extension", "files/{name}.{ext}", "/files/report."),
                matches("optional extension given", "files/{name}.{ext?}", "/files/a.txt", "name", "a", "ext", "txt"),
                matches("optional extension left out", "files/{name}.{ext?}", "/files/readme",
                        "name", "readme", "ext", null),
                fails("dot without the optional extension", "files/{name}.{ext?}", "/files/readme."),
                matches("literal prefix", "report-{id:int}", "/REPORT-5", "id", "5"),
                fails("literal prefix must start the segment", "report-{id}", "/xreport-5"),
                matches("literal suffix", "{name}.txt", "/notes.TXT", "name", "notes"),
                fails("literal suffix must end the segment", "{name}.txt", "/notes.txt.bak"),
                matches("greedy from the right", "{a}-{b}-{c}", "/x-y-z-w", "a", "x-y", "b", "z", "c", "w"),
                matches("date parts", "logs/{y}-{m}-{d}.log", "/logs/2024-01-15.log", "y", "2024", "m", "01", "d", "15"),
                fails("constraint on a part", "v{major:int}.{minor:int}", "/v1.x"),
                matches("decoded before splitting", "files/{name}.{ext}", "/files/my%20file%2Etxt",
                        "name", "my file", "ext", "txt"));
    }

    @Test
    void entriesComeInTemplateOrder() {
        Map<String, String> params = RouteTemplate.parse("{z}/{a}/{m}").match("/1/2/3").orElseThrow();

        assertThat(params).containsExactly(entry("z", "1"), entry("a", "2"), entry("m", "3"));
    }

    @Test
    void resultIsUnmodifiable() {
        Map<String, String> params = RouteTemplate.parse("api/{id}").match("/api/1").orElseThrow();

        assertThatThrownBy(() -> params.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anOptionalParameterBeforeARequiredSegmentOnlyMatchesWhenPresentAsInAzure() {
        // ASP.NET and Azure accept this template; it can only match with the parameter given.
        RouteTemplate template = RouteTemplate.parse("api/{id?}/details");
        assertThat(template.match("/api/5/details")).contains(java.util.Map.of("id", "5"));
        assertThat(template.match("/api/details")).isEmpty();
    }

    @Test
    void toStringGivesTheTemplate() {
        assertThat(RouteTemplate.parse("api/{id:int}/x")).hasToString("api/{id:int}/x");
        assertThat(RouteTemplate.parse("api/x")).isEqualTo(RouteTemplate.parse("api/x"));
    }

    @Test
    void forFunctionPutsTheRouteAfterThePrefix() {
        assertThat(RouteTemplate.forFunction("api", "products/{id}", "GetProduct")).hasToString("api/products/{id}");
        assertThat(RouteTemplate.forFunction("api", null, "HttpExample")).hasToString("api/HttpExample");
        assertThat(RouteTemplate.forFunction("api", "  ", "HttpExample")).hasToString("api/HttpExample");
        assertThat(RouteTemplate.forFunction("v1/api", "x", "f")).hasToString("v1/api/x");
    }

    @Test
    void forFunctionWithoutPrefixUsesTheRouteAlone() {
        RouteTemplate template = RouteTemplate.forFunction("", null, "hello");

        assertThat(template).hasToString("hello");
        assertThat(template.match("/hello")).contains(Map.of());
        assertThat(template.match("/api/hello")).isEmpty();
        assertThat(RouteTemplate.forFunction("", "/hello", "f").match("/hello")).contains(Map.of());
    }

    @Test
    void forFunctionRejectsALeadingSlashAfterAPrefixAsAzureDoes() {
        assertThatThrownBy(() -> RouteTemplate.forFunction("api", "/hello", "f"))
                .isInstanceOf(RouteTemplateException.class)
                .hasMessage("route \"api//hello\": empty segment: '/' at character 5 follows another '/'");
    }

    @Test
    void regexConstraintMayContainEscapedBracesSlashesAndParentheses() {
        RouteTemplate template = RouteTemplate.parse("api/{code:regex(^\\d{{3}}-(a|b)/?$)}");

        assertThat(template.match("/api/123-a")).contains(Map.of("code", "123-a"));
        assertThat(template.match("/api/123-c")).isEmpty();
        assertThat(template.match("/api/12-a")).isEmpty();
    }

    private static Arguments matches(String name, String template, String path, String... expected) {
        return argumentSet(name + ": " + template + " ~ " + path, template, path, expected);
    }

    private static Arguments fails(String name, String template, String path) {
        return argumentSet(name + ": " + template + " !~ " + path, template, path, null);
    }

    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }
}
