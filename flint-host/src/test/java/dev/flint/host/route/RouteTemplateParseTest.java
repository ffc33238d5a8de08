package dev.flint.host.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parse-time validation: each invalid template fails with a message that names the problem and where it is. */
class RouteTemplateParseTest {

    @ParameterizedTest
    @MethodSource("invalid")
    void rejects(String template, int position, String problem) {
        RouteTemplateException e = catchThrowableOfType(RouteTemplateException.class, () -> RouteTemplate.parse(template));

        assertThat(e).as("parsing %s", template).isNotNull().isInstanceOf(IllegalArgumentException.class);
        assertThat(e.getMessage()).isEqualTo("route \"" + template + "\": " + problem);
        assertThat(e.template()).isEqualTo(template);
        assertThat(e.position()).isEqualTo(position);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("unclosed parameter", "products/{id:int", 10,
                        "missing closing '}' for the parameter that starts at character 10"),
                bad("open brace at the end", "products/{", 10,
                        "missing closing '}' for the parameter that starts at character 10"),
                bad("open brace at the end of a parameter", "{p:regex(^\\d{", 1,
                        "missing closing '}' for the parameter that starts at character 1"),
                bad("escaped close brace is not a closing one", "{id}}", 1,
                        "missing closing '}' for the parameter that starts at character 1"),
                bad("unescaped open brace in a parameter", "{p:regex(^\\d{3})}", 13,
                        "'{' at character 13 inside a parameter must be escaped as '{{'"),
                bad("unmatched close brace", "a}b", 2,
                        "unmatched '}' at character 2; write '}}' for a literal '}'"),
                bad("empty segment", "a//b", 3,
                        "empty segment: '/' at character 3 follows another '/'"),
                bad("empty first segment", "//a", 2,
                        "empty segment: '/' at character 2 follows another '/'"),
                bad("tilde without slash", "~api", 1,
                        "a route may start with '~' only as '~/'"),
                bad("question mark in a literal", "api/a?b", 6,
                        "'?' at character 6 is not allowed in literal text (it only marks a parameter optional, as in {id?})"),
                bad("empty parameter", "api/{}", 5,
                        "invalid parameter name '' at character 5: names must be non-empty and cannot contain"
                                + " '/', '{', '}', '?' or '*'; '?' may only end a parameter (optional) and '*' only"
                                + " start one (catch-all)"),
                bad("catch-all without a name", "api/{*}", 5,
                        "invalid parameter name '' at character 5: names must be non-empty and cannot contain"
                                + " '/', '{', '}', '?' or '*'; '?' may only end a parameter (optional) and '*' only"
                                + " start one (catch-all)"),
                bad("slash in a name", "{a/b}", 1,
                        "invalid parameter name 'a/b' at character 1: names must be non-empty and cannot contain"
                                + " '/', '{', '}', '?' or '*'; '?' may only end a parameter (optional) and '*' only"
                                + " start one (catch-all)"),
                bad("question mark before constraints", "{id?:int}", 1,
                        "invalid parameter name 'id?' at character 1: names must be non-empty and cannot contain"
                                + " '/', '{', '}', '?' or '*'; '?' may only end a parameter (optional) and '*' only"
                                + " start one (catch-all)"),
                bad("duplicate name", "api/{id}/x/{ID}", 12,
                        "parameter 'ID' at character 12 is already defined (parameter names are case-insensitive)"),
                bad("optional catch-all", "files/{*rest?}", 7,
                        "catch-all parameter {*rest?} at character 7 cannot be optional"),
                bad("optional with a default", "api/{id=5?}", 5,
                        "optional parameter 'id' at character 5 cannot also have a default value"),
                bad("catch-all not last", "api/{*rest}/more", 5,
                        "catch-all parameter 'rest' at character 5 must be in the last segment"),
                bad("catch-all beside text", "files/{*rest}.txt", 7,
                        "catch-all parameter 'rest' at character 7 must be the whole segment, with no other text"
                                + " or parameter beside it"),
                bad("consecutive parameters", "{a}{b}", 4,
                        "parameters 'a' and 'b' at character 4 must be separated by literal text, or by '/'"),
                bad("optional not last in its segment", "{a?}.{b}", 1,
                        "optional parameter 'a' at character 1 must be the last part of its segment"),
                bad("optional after a dash", "{name}-{ext?}", 8,
                        "optional parameter 'ext' at character 8 may only follow a '.' within a segment, as in"
                                + " {name}.{ext?}"),
                bad("unknown constraint", "api/{id:integer}", 5,
                        "unknown constraint 'integer'; the known ones are int, long, bool, guid, alpha, datetime,"
                                + " decimal, double, float, min, max, range, length, minlength, maxlength, regex,"
                                + " required, file, nonfile, in parameter 'id' at character 5"),
                bad("constraint without closing parenthesis", "{id:min(1}", 1,
                        "constraint 'min(1' has no closing ')', in parameter 'id' at character 1"),
                bad("argument to a plain constraint", "{id:int(5)}", 1,
                        "constraint 'int(5)' takes no arguments; write 'int', in parameter 'id' at character 1"),
                bad("missing argument", "{id:min}", 1,
                        "constraint 'min' needs one integer argument, as in min(5), in parameter 'id' at character 1"),
                bad("too many arguments", "{id:max(1,2)}", 1,
                        "constraint 'max(1,2)' needs one integer argument, as in max(5), in parameter 'id' at character 1"),
                bad("one argument to range", "{id:range(1)}", 1,
                        "constraint 'range(1)' needs two integer arguments, as in range(1,10), in parameter 'id'"
                                + " at character 1"),
                bad("non-integer argument", "{id:min(abc)}", 1,
                        "constraint 'min(abc)': 'abc' is not an integer, in parameter 'id' at character 1"),
                bad("range upside down", "{id:range(5,1)}", 1,
                        "constraint 'range(5,1)': the minimum 5 is greater than the maximum 1, in parameter 'id'"
                                + " at character 1"),
                bad("length range upside down", "{id:length(5,1)}", 1,
                        "constraint 'length(5,1)': the minimum 5 is greater than the maximum 1, in parameter 'id'"
                                + " at character 1"),
                bad("negative length", "{id:minlength(-1)}", 1,
                        "constraint 'minlength(-1)': a length cannot be negative, in parameter 'id' at character 1"),
                bad("regex without a pattern", "{id:regex}", 1,
                        "constraint 'regex' needs a pattern, as in regex(^[a-z]+$), in parameter 'id' at character 1"),
                bad("invalid regex", "api/{id:regex(()}", 5,
                        "constraint 'regex(()' has an invalid regular expression: Unclosed group near index 1,"
                                + " in parameter 'id' at character 5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "~/", "api", "api/", "/api/x", "~/api/x", "{*all}", "{**all}", "{id:int?}",
            "{a?}/{b?}", "{a?}/{b=x}/{*rest}", "{controller=Home}/{action}", "{name}.{ext?}", ".{ext?}",
            "{a}-{b}.{c?}", "x{{y}}z", "{p:regex(a:b)}", "{p:regex(^a{{1,2}}$):minlength(1)}", "{p:INT:Min(1)}",
            "{p:}", "{p=a:b}", "{p:length(2,4)=abc}", "api/{id}/{*rest:nonfile}"})
    void accepts(String template) {
        assertThatNoException().isThrownBy(() -> RouteTemplate.parse(template));
    }

    private static Arguments bad(String name, String template, int position, String problem) {
        return argumentSet(name + ": " + template, template, position, problem);
    }
}
