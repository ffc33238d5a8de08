package dev.flint.host.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every inline constraint, accepting and rejecting, through the public API: the value is
 * percent-encoded into a path and matched against {@code {v:<constraint>}} (or {@code {*v:…}}
 * when the value has a slash). Expected results are what ASP.NET Core's constraints, which call
 * .NET's invariant-culture {@code TryParse} methods, answer.
 */
class RouteConstraintTest {

    @ParameterizedTest
    @MethodSource("accepted")
    void accepts(String constraint, String value) {
        assertThat(matchValue(constraint, value)).as("{v:%s} on \"%s\"", constraint, value).contains(value);
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejects(String constraint, String value) {
        assertThat(matchValue(constraint, value)).as("{v:%s} on \"%s\"", constraint, value).isEmpty();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                ok("int", "123"), ok("int", "-123"), ok("int", "+7"), ok("int", "0"), ok("int", "007"),
                ok("int", "2147483647"), ok("int", "-2147483648"), ok("int", " 12 "),
                ok("long", "9223372036854775807"), ok("long", "-9223372036854775808"), ok("long", "2147483648"),
                ok("bool", "true"), ok("bool", "False"), ok("bool", "TRUE"), ok("bool", " false "),
                ok("guid", "d071b70c-a812-4b54-87d2-7769528e2814"),
                ok("guid", "D071B70CA8124B5487D27769528E2814"),
                ok("guid", "{d071b70c-a812-4b54-87d2-7769528e2814}"),
                ok("guid", "(d071b70c-a812-4b54-87d2-7769528e2814)"),
                ok("guid", "{0xd071b70c,0xa812,0x4b54,{0x87,0xd2,0x77,0x69,0x52,0x8e,0x28,0x14}}"),
                ok("alpha", "abc"), ok("alpha", "ABCxyz"),
                ok("datetime", "2024-01-15"), ok("datetime", "2024-1-5"), ok("datetime", "2024-02-29"),
                ok("datetime", "2024-01-15T10:30:00"), ok("datetime", "2024-01-15T10:30:00Z"),
                ok("datetime", "2024-01-15T10:30:00.1234567+01:00"), ok("datetime", "2024-01-15T10:30:00-05:00"),
                ok("datetime", "2024-01-15 10:30"), ok("datetime", "10:30"), ok("datetime", "1/15/2024"),
                ok("datetime", "1/15/2024 3:45 PM"), ok("datetime", "2024/01/15"),
                ok("decimal", "12.5"), ok("decimal", "-12.5"), ok("decimal", "42"), ok("decimal", ".5"),
                ok("decimal", "1,000.50"), ok("decimal", "5-"), ok("decimal", "79228162514264337593543950335"),
                ok("double", "1.5"), ok("double", "-1.5e10"), ok("double", "1E-5"), ok("double", "1,000.5"),
                ok("double", ".5"), ok("double", "1e400"), ok("double", "Infinity"), ok("double", "-infinity"),
                ok("double", "NaN"),
                ok("float", "3.14"), ok("float", "-2.5E3"), ok("float", "1e39"),
                ok("min(5)", "5"), ok("min(5)", "6"), ok("min(-5)", "-5"),
                ok("max(10)", "10"), ok("max(10)", "-3"),
                ok("range(1,10)", "1"), ok("range(1,10)", "10"), ok("range(1, 10)", "5"),
                ok("length(3)", "abc"), ok("length(3)", "123"),
                ok("length(2,4)", "ab"), ok("length(2,4)", "abcd"),
                ok("minlength(3)", "abc"), ok("minlength(3)", "abcdef"),
                ok("maxlength(3)", "abc"), ok("maxlength(3)", "a"),
                ok("regex(^[a-z]{{2}}[0-9]+$)", "ab12"), ok("regex(^[a-z]{{2}}[0-9]+$)", "AB12"),
                ok("regex(^(get|create)$)", "Create"), ok("regex(^a{{1,2}}$)", "aa"), ok("regex(^a:b$)", "a:b"),
                ok("regex(abc)", "xxABCxx"),
                ok("required", "x"),
                ok("file", "app.js"), ok("file", ".gitignore"), ok("file", "assets/site.css"),
                ok("nonfile", "readme"), ok("nonfile", "a.b/c"),
                ok("INT", "5"), ok("int:min(1)", "1"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                no("int", "abc"), no("int", "1.5"), no("int", "2147483648"), no("int", "-2147483649"),
                no("int", "1e3"), no("int", "12a"), no("int", "1,000"), no("int", "- 5"), no("int", "\u0661\u0662"),
                no("long", "9223372036854775808"), no("long", "-9223372036854775809"), no("long", "1.0"),
                no("bool", "yes"), no("bool", "1"), no("bool", "truee"),
                no("guid", "d071b70c-a812-4b54-87d2-7769528e281"),
                no("guid", "d071b70c-a812-4b54-87d2-7769528e281g"),
                no("guid", "{d071b70c-a812-4b54-87d2-7769528e2814)"),
                no("guid", "d071b70ca-812-4b54-87d2-7769528e2814"),
                no("guid", "{0xd071b70c,0xa812,0x4b54,{0x87,0xd2,0x77,0x69,0x52,0x8e,0x28}}"),
                no("guid", "not-a-guid"),
                no("alpha", "abc1"), no("alpha", "\u00e9t\u00e9"), no("alpha", "a-b"), no("alpha", "ab c"),
                no("datetime", "2024-13-01"), no("datetime", "2024-02-30"), no("datetime", "2023-02-29"),
                no("datetime", "2024-01-15T25:00"), no("datetime", "2024-01-15T10:60"), no("datetime", "today"),
                no("datetime", "20240115"), no("datetime", "13:00 PM"),
                no("decimal", "1e5"), no("decimal", "abc"), no("decimal", "1.2.3"), no("decimal", ",5"),
                no("decimal", "79228162514264337593543950336"), no("decimal", "Infinity"),
                no("double", "1e"), no("double", "abc"), no("double", "5-"), no("double", "1.2.3"),
                no("double", "0x10"),
                no("float", "pi"), no("float", "3.1.4"),
                no("min(5)", "4"), no("min(5)", "-5"), no("min(5)", "abc"), no("min(5)", "5.5"),
                no("max(10)", "11"), no("max(10)", "x"),
                no("range(1,10)", "0"), no("range(1,10)", "11"), no("range(1,10)", "a"),
                no("length(3)", "ab"), no("length(3)", "abcd"),
                no("length(2,4)", "a"), no("length(2,4)", "abcde"),
                no("minlength(3)", "ab"),
                no("maxlength(3)", "abcd"),
                no("regex(^[a-z]{{2}}[0-9]+$)", "abc12"), no("regex(^[a-z]{{2}}[0-9]+$)", "ab"),
                no("regex(^(get|create)$)", "getx"), no("regex(^a{{1,2}}$)", "aaa"), no("regex(abc)", "ab"),
                no("file", "readme"), no("file", "a.b/c"), no("file", "a.."),
                no("nonfile", "app.js"),
                no("int:min(1)", "0"));
    }

    @Test
    void constrainedOptionalParameterMayBeLeftOut() {
        RouteTemplate template = RouteTemplate.parse("api/items/{id:int?}");

        assertThat(template.match("/api/items")).hasValueSatisfying(p -> assertThat(p).containsEntry("id", null));
        assertThat(template.match("/api/items/7")).contains(Map.of("id", "7"));
        assertThat(template.match("/api/items/seven")).isEmpty();
    }

    @Test
    void defaultValueMustSatisfyTheConstraints() {
        RouteTemplate template = RouteTemplate.parse("api/pages/{page:int=abc}");

        assertThat(template.match("/api/pages")).isEmpty();
        assertThat(template.match("/api/pages/2")).contains(Map.of("page", "2"));
        assertThat(RouteTemplate.parse("api/pages/{page:int=1}").match("/api/pages")).contains(Map.of("page", "1"));
    }

    @Test
    void emptyCatchAllFailsEveryConstraintExceptNonfile() {
        assertThat(RouteTemplate.parse("app/{*path:int}").match("/app")).isEmpty();
        assertThat(RouteTemplate.parse("app/{*path:nonfile}").match("/app"))
                .hasValueSatisfying(p -> assertThat(p).containsEntry("path", null));
        assertThat(RouteTemplate.parse("app/{*path:nonfile}").match("/app/main.js")).isEmpty();
    }

    @Test
    void constraintsCheckTheDecodedValue() {
        assertThat(RouteTemplate.parse("{v:length(3)}").match("/%C3%A9t%C3%A9")).contains(Map.of("v", "\u00e9t\u00e9"));
    }

    private static Optional<String> matchValue(String constraint, String value) {
        boolean slash = value.contains("/");
        RouteTemplate template = RouteTemplate.parse((slash ? "{*v:" : "{v:") + constraint + "}");
        return template.match("/" + encode(value)).map(params -> params.get("v"));
    }

    /** Percent-encodes everything but unreserved characters and '/'. */
    private static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return encoded.toString();
    }

    private static Arguments ok(String constraint, String value) {
        return argumentSet(constraint + " accepts \"" + value + "\"", constraint, value);
    }

    private static Arguments no(String constraint, String value) {
        return argumentSet(constraint + " rejects \"" + value + "\"", constraint, value);
    }
}
