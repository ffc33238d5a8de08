package dev.flint.host.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Choosing among several routes: precedence, registration order and methods. */
class RouteTableTest {

    /**
     * Both templates match the path; the first one must win whichever is registered first.
     */
    @ParameterizedTest
    @MethodSource("precedence")
    void moreSpecificTemplateWins(String winner, String loser, String path) {
        assertThat(target(table(winner, loser), "GET", path)).contains(winner);
        assertThat(target(table(loser, winner), "GET", path)).contains(winner);
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                order("literal beats parameter", "api/products/new", "api/products/{id}", "/api/products/new"),
                order("constrained beats unconstrained", "api/items/{id:int}", "api/items/{name}", "/api/items/5"),
                order("parameter beats catch-all", "api/{name}", "api/{*rest}", "/api/x"),
                order("literal beats catch-all", "api/hello", "{*rest}", "/api/hello"),
                order("constrained catch-all beats catch-all", "app/{*path:file}", "app/{*path}", "/app/site.css"),
                order("complex segment beats plain parameter", "files/{name}.{ext}", "files/{name}", "/files/a.txt"),
                order("left segments decide first", "api/b/{a}", "api/{a}/b", "/api/b/b"),
                order("exact route beats optional tail", "api/items", "api/items/{id?}", "/api/items"),
                order("exact route beats empty catch-all", "api/items", "api/items/{*rest}", "/api/items"),
                order("shorter beats defaulted tail", "api/{a}", "api/{a}/{b=x}", "/api/1"),
                order("literal beats optional", "api/items/all", "api/items/{id?}", "/api/items/ALL"));
    }

    @Test
    void unconstrainedRouteStillMatchesWhatTheConstrainedOneRejects() {
        RouteTable<String> table = table("api/items/{name}", "api/items/{id:int}");

        assertThat(table.match("GET", "/api/items/abc")).hasValueSatisfying(m -> {
            assertThat(m.target()).isEqualTo("api/items/{name}");
            assertThat(m.params()).isEqualTo(Map.of("name", "abc"));
        });
        assertThat(table.match("GET", "/api/items/12")).hasValueSatisfying(m -> {
            assertThat(m.target()).isEqualTo("api/items/{id:int}");
            assertThat(m.params()).isEqualTo(Map.of("id", "12"));
        });
    }

    @Test
    void equallySpecificRoutesGoInRegistrationOrder() {
        assertThat(target(table("api/{a}", "api/{b}"), "GET", "/api/x")).contains("api/{a}");
        assertThat(target(table("api/{b}", "api/{a}"), "GET", "/api/x")).contains("api/{b}");
    }

    @Test
    void methodOutsideTheListDoesNotMatch() {
        RouteTable<String> table = RouteTable.of(List.of(route("api/items", Set.of("get", "Post"), "items")));

        assertThat(target(table, "GET", "/api/items")).contains("items");
        assertThat(target(table, "POST", "/api/items")).contains("items");
        assertThat(target(table, "post", "/api/items")).contains("items");
        assertThat(table.match("DELETE", "/api/items")).isEmpty();
        assertThat(table.match("HEAD", "/api/items")).isEmpty();
    }

    @Test
    void emptyMethodListAllowsEveryMethod() {
        RouteTable<String> table = RouteTable.of(List.of(route("api/items", Set.of(), "items")));

        assertThat(target(table, "PATCH", "/api/items")).contains("items");
        assertThat(target(table, "PROPFIND", "/api/items")).contains("items");
    }

    @Test
    void methodMismatchFallsThroughToALessSpecificRoute() {
        RouteTable<String> table = RouteTable.of(List.of(
                route("api/items/new", Set.of("POST"), "create"),
                route("api/items/{id}", Set.of("GET"), "read")));

        assertThat(target(table, "POST", "/api/items/new")).contains("create");
        assertThat(table.match("GET", "/api/items/new")).hasValueSatisfying(m -> {
            assertThat(m.target()).isEqualTo("read");
            assertThat(m.params()).isEqualTo(Map.of("id", "new"));
        });
        assertThat(table.match("PUT", "/api/items/new")).isEmpty();
    }

    @Test
    void sameTemplateWithDifferentMethodsGoesToDifferentTargets() {
        RouteTable<String> table = RouteTable.of(List.of(
                route("api/items", Set.of("GET"), "list"),
                route("api/items", Set.of("POST"), "add")));

        assertThat(target(table, "GET", "/api/items")).contains("list");
        assertThat(target(table, "POST", "/api/items")).contains("add");
    }

    @Test
    void entryNormalizesMethodsToUpperCase() {
        assertThat(route("x", Set.of("get", "Post"), "t").methods()).containsExactlyInAnyOrder("GET", "POST");
    }

    @Test
    void noRouteMatches() {
        assertThat(table("api/a", "api/b/{id:int}").match("GET", "/api/b/x")).isEmpty();
        assertThat(RouteTable.<String>of(List.of()).match("GET", "/")).isEmpty();
    }

    @Test
    void resultCarriesDecodedParameters() {
        Optional<RouteMatch<String>> match = table("api/products/{category:alpha}/{id:int?}")
                .match("GET", "/api/products/Books");

        assertThat(match).hasValueSatisfying(m -> {
            assertThat(m.target()).isEqualTo("api/products/{category:alpha}/{id:int?}");
            assertThat(m.params()).containsExactly(entry("category", "Books"), entry("id", null));
        });
    }

    /** A larger app, to exercise the candidate index: every route must still be found, whatever the order. */
    @Test
    void largeTableFindsEveryRoute() {
        List<String> templates = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            templates.add("api/res" + i + "/{id:int}");
            templates.add("api/res" + i + "/{id}/sub");
            templates.add("api/RES" + i + "/list");
        }
        templates.add("api/{*rest}");
        templates.add("api/{type}/{id}");
        templates.add("api/caf\u00e9/{id}");
        Collections.shuffle(templates, new Random(42));
        RouteTable<String> table = table(templates.toArray(String[]::new));

        for (int i = 0; i < 50; i++) {
            assertThat(target(table, "GET", "/api/res" + i + "/7")).contains("api/res" + i + "/{id:int}");
            assertThat(target(table, "GET", "/API/Res" + i + "/x/sub")).contains("api/res" + i + "/{id}/sub");
            assertThat(target(table, "GET", "/api/res" + i + "/list/")).contains("api/RES" + i + "/list");
            assertThat(target(table, "GET", "/api/res" + i + "/x")).contains("api/{type}/{id}");
        }
        assertThat(target(table, "GET", "/api/%72es3/7")).contains("api/res3/{id:int}");
        assertThat(target(table, "GET", "/api/caf%C3%A9/1")).contains("api/caf\u00e9/{id}");
        assertThat(target(table, "GET", "/api/other/1")).contains("api/{type}/{id}");
        assertThat(target(table, "GET", "/api/res1/7/8/9")).contains("api/{*rest}");
        assertThat(target(table, "GET", "/api")).contains("api/{*rest}");
        assertThat(table.match("GET", "/other")).isEmpty();
        assertThat(table.match("GET", "/")).isEmpty();
    }

    @Test
    void tableWithoutACommonPrefix() {
        RouteTable<String> table = table("hello", "{name}", "files/{*path}", "");

        assertThat(target(table, "GET", "/Hello")).contains("hello");
        assertThat(target(table, "GET", "/bob")).contains("{name}");
        assertThat(target(table, "GET", "/files/a/b")).contains("files/{*path}");
        assertThat(target(table, "GET", "/")).contains("");
        assertThat(table.match("GET", "/a/b")).isEmpty();
    }

    private static Arguments order(String name, String winner, String loser, String path) {
        return argumentSet(name + ": " + winner + " over " + loser + " for " + path, winner, loser, path);
    }

    /** A table whose targets are the templates, registered in the given order, for every method. */
    private static RouteTable<String> table(String... templates) {
        return RouteTable.of(Stream.of(templates).map(t -> route(t, Set.of(), t)).toList());
    }

    private static RouteTable.Entry<String> route(String template, Set<String> methods, String target) {
        return new RouteTable.Entry<>(RouteTemplate.parse(template), methods, target);
    }

    private static Optional<String> target(RouteTable<String> table, String method, String path) {
        return table.match(method, path).map(RouteMatch::target);
    }
}
