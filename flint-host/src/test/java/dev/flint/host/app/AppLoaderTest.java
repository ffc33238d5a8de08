package dev.flint.host.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.host.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppLoaderTest {

    private static final String HOST = "{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'python3',"
            + "'arguments':['handler.py']}}}";

    @TempDir
    Path dir;

    private TestApp app() {
        return TestApp.in(dir.resolve("app")).hostJson(HOST);
    }

    private static String problems(ThrowingLoad load) {
        try {
            load.run();
        } catch (AppConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the app to be refused");
    }

    interface ThrowingLoad {
        void run() throws AppConfigException;
    }

    @Test
    void loadsHostFunctionsAndSettings() throws Exception {
        TestApp app = app()
                .hostJson("{'version':'2.0','functionTimeout':'00:02:30','extensions':{'http':{'routePrefix':'/v1/'}},"
                        + "'logging':{'logLevel':{'default':'Warning','Function':'Information'}},"
                        + "'extensionBundle':{'id':'Microsoft.Azure.Functions.ExtensionBundle','version':'[4.*, 5.0.0)'},"
                        + "'customHandler':{'description':{'defaultExecutablePath':'python3','arguments':['handler.py'],"
                        + "'workingDirectory':'work'},'enableForwardingHttpRequest':true}}")
                .localSettings("{'IsEncrypted':false,'Values':{'FUNCTIONS_WORKER_RUNTIME':'custom','GREETING':'hi'},"
                        + "'Host':{'LocalHttpPort':7072,'CORS':'http://a.example, http://b.example','CORSCredentials':true}}")
                .httpFunction("circle", "['get','post']")
                .function("multi", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','route':'items/{id:int}'},"
                        + "{'type':'http','direction':'out','name':'res'},{'type':'http','direction':'out','name':'other'}]}");

        FunctionApp loaded = AppLoader.load(app.root(), Map.of());

        assertThat(loaded.name()).isEqualTo("app");
        assertThat(loaded.host().functionTimeout()).contains(Duration.ofSeconds(150));
        assertThat(loaded.host().routePrefix()).isEqualTo("v1");
        assertThat(loaded.host().logLevels()).containsEntry("default", "Warning");
        assertThat(loaded.host().extensionBundle()).contains(
                new HostConfig.ExtensionBundle("Microsoft.Azure.Functions.ExtensionBundle", "[4.*, 5.0.0)"));
        assertThat(loaded.host().handler().arguments()).containsExactly("handler.py");
        assertThat(loaded.host().handler().workingDirectory()).isEqualTo("work");
        assertThat(loaded.settings().values()).containsEntry("GREETING", "hi");
        assertThat(loaded.settings().localHttpPort()).contains(7072);
        assertThat(loaded.settings().cors()).containsExactly("http://a.example", "http://b.example");
        assertThat(loaded.settings().corsCredentials()).isTrue();

        FunctionDefinition circle = loaded.function("circle").orElseThrow();
        assertThat(circle.isPureHttp()).isTrue();
        assertThat(circle.mode()).isEqualTo(HttpMode.FORWARD);
        assertThat(circle.httpTrigger().orElseThrow().methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(circle.httpTrigger().orElseThrow().authLevel()).isEqualTo(AuthLevel.ANONYMOUS);
        FunctionDefinition multi = loaded.function("MULTI").orElseThrow();
        assertThat(multi.isPureHttp()).as("two outputs: not pure HTTP").isFalse();
        assertThat(multi.mode()).isEqualTo(HttpMode.ENVELOPE);
        assertThat(multi.httpTrigger().orElseThrow().authLevel()).as("Azure's default").isEqualTo(AuthLevel.FUNCTION);
        assertThat(multi.httpTrigger().orElseThrow().methods()).as("no methods: all").isEmpty();
        assertThat(multi.httpTrigger().orElseThrow().route()).isEqualTo("items/{id:int}");
    }

    @Test
    void defaultsFollowAzure() throws Exception {
        FunctionApp loaded = AppLoader.load(app().httpFunction("f", "['get']").root(), Map.of());
        assertThat(loaded.host().functionTimeout()).contains(Duration.ofMinutes(30));
        assertThat(loaded.host().startupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(loaded.host().routePrefix()).isEqualTo("api");
        assertThat(loaded.host().pureHttpMode()).isEqualTo(HttpMode.ENVELOPE);
        assertThat(loaded.settings()).isEqualTo(LocalSettings.EMPTY);
    }

    @Test
    void functionTimeoutMinusOneIsUnlimitedAndStartupTimeoutIsConfigurable() throws Exception {
        FunctionApp loaded = AppLoader.load(app().hostJson("{'version':'2.0','functionTimeout':'-1',"
                + "'flint':{'handlerStartupTimeout':'00:01:30'},"
                + "'customHandler':{'description':{'defaultExecutablePath':'x'}}}").root(), Map.of());
        assertThat(loaded.host().functionTimeout()).isEmpty();
        assertThat(loaded.host().startupTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void legacyHttpWorkerForwardsToTheFunctionPath() throws Exception {
        FunctionApp loaded = AppLoader.load(app().hostJson("{'version':'2.0','httpWorker':{'description':"
                + "{'defaultExecutablePath':'x'}}}").httpFunction("f", "['get']").root(), Map.of());
        assertThat(loaded.host().legacyHttpWorker()).isTrue();
        assertThat(loaded.function("f").orElseThrow().mode()).isEqualTo(HttpMode.LEGACY_FORWARD);
    }

    @Test
    void hostJsonKeysAreCaseInsensitiveAndCommentsAllowed() throws Exception {
        TestApp app = app().file("host.json", "{\n // generated\n \"Version\": \"2.0\", \"CustomHandler\": {\"Description\":"
                + " {\"DefaultExecutablePath\": \"x\"}, \"EnableProxyingHttpRequest\": true}}");
        FunctionApp loaded = AppLoader.load(app.root(), Map.of());
        assertThat(loaded.host().pureHttpMode()).isEqualTo(HttpMode.PROXY);
    }

    @Test
    void missingHostJsonIsNamed() {
        TestApp app = TestApp.in(dir.resolve("empty"));
        assertThat(problems(() -> AppLoader.load(app.root(), Map.of()))).contains("host.json: is missing");
    }

    @Test
    void invalidJsonNamesTheLine() {
        TestApp app = app().file("f/function.json", "{\n  \"bindings\": [\n    {\"type\": \"httpTrigger\",,}\n  ]\n}");
        String message = problems(() -> AppLoader.load(app.root(), Map.of()));
        assertThat(message).contains("f/function.json: line 3").contains("is not valid JSON");
    }

    @Test
    void unknownBindingTypeNamesFileAndPath() {
        TestApp app = app().function("f", "{'bindings':[{'type':'htpTrigger','direction':'in','name':'req'}]}");
        String message = problems(() -> AppLoader.load(app.root(), Map.of()));
        assertThat(message).contains("f/function.json: $.bindings[0].type: unknown binding type \"htpTrigger\"");
    }

    @Test
    void invalidNamesAreRefused() {
        TestApp app = app()
                .function("9lives", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req'}]}")
                .function("ok", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'my-req'},"
                        + "{'type':'http','direction':'sideways','name':'res'}]}");
        String message = problems(() -> AppLoader.load(app.root(), Map.of()));
        assertThat(message)
                .contains("9lives/function.json: the folder name \"9lives\" is not a valid function name")
                .contains("ok/function.json: $.bindings[0].name: \"my-req\" is not a valid binding name")
                .contains("ok/function.json: $.bindings[1].direction: expected \"in\", \"out\" or \"inout\", found \"sideways\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        TestApp app = TestApp.in(dir.resolve("bad"))
                .hostJson("{'version':'3.0','functionTimeout':'soon'}")
                .function("f", "{'bindings':[]}");
        String message = problems(() -> AppLoader.load(app.root(), Map.of()));
        assertThat(message)
                .contains("host.json: $.version: expected \"2.0\"")
                .contains("host.json: $.customHandler: is required")
                .contains("host.json: $.functionTimeout: expected a timespan \"hh:mm:ss\" or -1 for no limit, found \"soon\"")
                .contains("f/function.json: $.bindings: has no trigger");
    }

    @Test
    void unknownKeysAreWarningsNotErrors() throws Exception {
        FunctionApp loaded = AppLoader.load(app().hostJson("{'version':'2.0','shinyNewFeature':1,"
                + "'customHandler':{'description':{'defaultExecutablePath':'x'}}}").httpFunction("f", "['get']").root(), Map.of());
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w.toString())
                .contains("host.json: $.shinyNewFeature: unknown key in host.json; ignored"));
    }

    @Test
    void unsupportedTriggersAreListedWithAWarningAndTheRestRuns() throws Exception {
        FunctionApp loaded = AppLoader.load(app()
                .httpFunction("web", "['get']")
                .function("tick", "{'bindings':[{'type':'timerTrigger','direction':'in','name':'myTimer','schedule':'0 */5 * * * *'}]}")
                .function("enqueue", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req'},"
                        + "{'type':'queue','direction':'out','name':'msg','queueName':'q'}]}")
                .root(), Map.of());
        assertThat(loaded.functions()).extracting(FunctionDefinition::name).containsExactly("enqueue", "tick", "web");
        assertThat(loaded.runnableFunctions()).extracting(FunctionDefinition::name).containsExactly("web");
        assertThat(loaded.function("tick").orElseThrow().unsupportedReason())
                .hasValueSatisfying(r -> assertThat(r).contains("timerTrigger binding \"myTimer\""));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w.toString())
                .contains("enqueue/function.json").contains("queue binding \"msg\""));
    }

    @Test
    void disabledFunctionsAreListedButNotRunnable() throws Exception {
        FunctionApp loaded = AppLoader.load(app()
                .function("off", "{'disabled':true,'bindings':[{'type':'httpTrigger','direction':'in','name':'req'},"
                        + "{'type':'http','direction':'out','name':'res'}]}")
                .httpFunction("bysetting", "['get']")
                .localSettings("{'Values':{'AzureWebJobs.bysetting.Disabled':'true'}}")
                .root(), Map.of());
        assertThat(loaded.function("off").orElseThrow().disabled()).isTrue();
        assertThat(loaded.function("bysetting").orElseThrow().disabled()).isTrue();
        assertThat(loaded.runnableFunctions()).isEmpty();
    }

    @Test
    void functionsAllowListLimitsWhatIsLoaded() throws Exception {
        FunctionApp loaded = AppLoader.load(app().hostJson("{'version':'2.0','functions':['a','ghost'],"
                + "'customHandler':{'description':{'defaultExecutablePath':'x'}}}")
                .httpFunction("a", "['get']").httpFunction("b", "['get']").root(), Map.of());
        assertThat(loaded.functions()).extracting(FunctionDefinition::name).containsExactly("a");
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w.toString()).contains("\"ghost\""));
    }

    @Test
    void timeSpansParseLikeDotNet() {
        assertThat(FunctionTimeouts.parseTimeSpan("00:00:01")).contains(Duration.ofSeconds(1));
        assertThat(FunctionTimeouts.parseTimeSpan("1.02:03:04")).contains(Duration.parse("P1DT2H3M4S"));
        assertThat(FunctionTimeouts.parseTimeSpan("00:00:00.5")).contains(Duration.ofMillis(500));
        assertThat(FunctionTimeouts.parseTimeSpan("00:61:00")).isEmpty();
        assertThat(FunctionTimeouts.parseTimeSpan("5m")).isEmpty();
        assertThat(Optional.of(1)).isPresent();
    }

    @Test
    void timeoutBelowOneSecondIsRefused() {
        TestApp app = app().hostJson("{'version':'2.0','functionTimeout':'00:00:00',"
                + "'customHandler':{'description':{'defaultExecutablePath':'x'}}}");
        assertThat(problems(() -> AppLoader.load(app.root(), Map.of())))
                .contains("$.functionTimeout: must be at least 00:00:01");
    }
}
