package dev.flint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flint keys}, run in-process on an app written into a temporary folder. */
class KeysCommandTest {

    private static final String VALUE = "[A-Za-z0-9_-]{43}";

    @TempDir
    Path dir;

    private Path app;

    @BeforeEach
    void writeApp() {
        app = AppFolder.in(dir.resolve("app"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'python3'}}}")
                .function("circle", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'methods':['get']},{'type':'http','direction':'out','name':'res'}]}")
                .function("square", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req'},"
                        + "{'type':'http','direction':'out','name':'res'}]}")
                .root();
    }

    private record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    /** {@code flint keys <args...>}, with {@code environment} as the whole environment. */
    private Result keys(String... args) {
        return keys(Map.of(), args);
    }

    /** Rooted at {@code keys} itself: the test holds whether or not FlintCommand lists it yet. */
    private Result keys(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new KeysCommand(environment));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString().replace(System.lineSeparator(), "\n"),
                err.toString().replace(System.lineSeparator(), "\n"));
    }

    private Result ok(String... args) {
        Result result = keys(args);
        assertThat(result.exitCode()).as("flint keys %s: %s", String.join(" ", args), result.err()).isZero();
        return result;
    }

    private static List<List<String>> columns(Result list) {
        return list.lines().stream().map(line -> List.of(line.split(" +"))).toList();
    }

    @Test
    void listShowsTheGeneratedKeysInAlignedColumns() throws Exception {
        Result list = ok("list", "--app", app.toString());

        assertThat(list.lines()).hasSize(4);
        assertThat(list.lines().get(0)).matches("master    -       _master  " + VALUE);
        assertThat(list.lines().get(1)).matches("host      -       default  " + VALUE);
        assertThat(list.lines().get(2)).matches("function  circle  default  " + VALUE);
        assertThat(list.lines().get(3)).matches("function  square  default  " + VALUE);
        assertThat(app.resolve(".flint/keys.json")).exists();
        assertThat(app.resolve(".flint/.gitignore")).hasContent("*");

        assertThat(ok("list", "--app", app.toString()).out()).as("a second list: the same keys").isEqualTo(list.out());
        assertThat(ok("list", "--app", app.toString(), "--function", "CIRCLE").lines())
                .containsExactly(list.lines().get(2));
    }

    @Test
    void setRenewAndDeleteRoundTripThroughList() {
        String appArg = app.toString();

        assertThat(ok("set", "ci", "--value", "ci-value-0123456789", "--app", appArg).out())
                .isEqualTo("Created the host key \"ci\".\n");
        assertThat(ok("set", "ci", "--value", "ci-value-9876543210", "--app", appArg).out())
                .isEqualTo("Updated the host key \"ci\".\n");
        ok("set", "hook", "--system", "--value", "hook-value-0123456789", "--app", appArg);
        ok("set", "mobile", "--function", "circle", "--value", "mobile-value-0123456789", "--app", appArg);
        ok("set", "_master", "--value", "master-value-0123456789", "--app", appArg);

        List<List<String>> listed = columns(ok("list", "--app", appArg));
        assertThat(listed).contains(
                List.of("master", "-", "_master", "master-value-0123456789"),
                List.of("system", "-", "hook", "hook-value-0123456789"),
                List.of("host", "-", "ci", "ci-value-9876543210"),
                List.of("function", "circle", "mobile", "mobile-value-0123456789"));

        String renewed = ok("renew", "ci", "--app", appArg).out().strip();
        assertThat(renewed).matches(VALUE);
        assertThat(columns(ok("list", "--app", appArg))).contains(List.of("host", "-", "ci", renewed));

        assertThat(ok("delete", "mobile", "--function", "circle", "--app", appArg).out())
                .isEqualTo("Deleted the key \"mobile\" of function circle.\n");
        assertThat(ok("list", "--app", appArg, "--function", "circle").out()).doesNotContain("mobile");

        Result again = keys("delete", "mobile", "--function", "circle", "--app", appArg);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("nothing to delete: the key \"mobile\" of function circle does not exist\n");
    }

    @Test
    void anInvalidNameExitsWith2AndSaysWhy() {
        Result result = keys("set", "../../etc/passwd", "--value", "a-valid-value-0123456789", "--app", app.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("the key name \"../../etc/passwd\" is not allowed: expected 1 to 128 letters,"
                + " digits, '.', '_' or '-', starting with a letter or digit\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anInvalidValueExitsWith2WithoutShowingIt() {
        Result result = keys("set", "ci", "--value", "too short", "--app", app.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("the value of the host key \"ci\" is 9 characters long").doesNotContain("too short");
    }

    @Test
    void anUnknownFunctionExitsWith2() {
        Result set = keys("set", "default", "--function", "triangle", "--value", "a-valid-value-0123456789",
                "--app", app.toString());
        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).isEqualTo("no function named \"triangle\"; the app's functions are circle, square\n");

        Result list = keys("list", "--function", "triangle", "--app", app.toString());
        assertThat(list.exitCode()).isEqualTo(2);
        assertThat(list.err()).startsWith("no function named \"triangle\"");
    }

    @Test
    void theMasterKeyIsNeitherAFunctionNorASystemKeyAndCannotBeDeleted() {
        Result scoped = keys("renew", "_master", "--system", "--app", app.toString());
        assertThat(scoped.exitCode()).isEqualTo(2);
        assertThat(scoped.err()).contains("leave out --function and --system");

        Result delete = keys("delete", "_master", "--app", app.toString());
        assertThat(delete.exitCode()).isEqualTo(2);
        assertThat(delete.err()).startsWith("the master key cannot be deleted");

        assertThat(keys("renew", "x", "--system", "--function", "circle", "--app", app.toString()).exitCode())
                .as("--system and --function together").isEqualTo(2);
    }

    @Test
    void theDataDirectoryComesFromTheOptionOrFlintDataDir() {
        Path option = dir.resolve("option-data");
        ok("list", "--app", app.toString(), "--data-dir", option.toString());
        assertThat(option.resolve("keys.json")).exists();

        Path variable = dir.resolve("variable-data");
        Result result = keys(Map.of("FLINT_DATA_DIR", variable.toString()), "list", "--app", app.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(variable.resolve("keys.json")).exists();
        assertThat(app.resolve(".flint")).doesNotExist();
    }

    @Test
    void keysFromTheEnvironmentAreListedButNotChanged() {
        Map<String, String> env = Map.of("FLINT_MASTER_KEY", "env-master-0123456789",
                "FLINT_FUNCTION_KEYS", "circle.default=env-circle-0123456789");

        Result list = keys(env, "list", "--app", app.toString());
        assertThat(list.exitCode()).isZero();
        assertThat(list.lines()).containsExactly(
                "master    -       _master  env-master-0123456789",
                "function  circle  default  env-circle-0123456789");

        Result set = keys(env, "renew", "default", "--app", app.toString());
        assertThat(set.exitCode()).isEqualTo(2);
        assertThat(set.err()).contains("supplied through the environment variables FLINT_MASTER_KEY, FLINT_FUNCTION_KEYS");
        assertThat(app.resolve(".flint")).doesNotExist();
    }

    @Test
    void aBrokenAppExitsWith2WithItsProblems() throws Exception {
        Files.delete(app.resolve("host.json"));

        Result result = keys("list", "--app", app.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Flint cannot load the app in " + app + ":\n  " + app.resolve("host.json"));
    }

    @Test
    void keysThatCannotBeWrittenExitWith1() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");

        Result result = keys("list", "--app", app.toString(), "--data-dir", file.resolve("data").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("cannot create the key directory " + file.resolve("data") + ": " + file
                + " is in the way (not a directory)\n");
    }
}
