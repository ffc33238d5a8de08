package dev.flint.host.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.host.HostOptions;
import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.AppLoader;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, waiting for, restarting and stopping real handler processes. */
class HandlerLifecycleTest {

    @TempDir
    Path dir;

    private TestApp app(String name, String executable, String arguments) {
        return TestApp.in(dir.resolve(name))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'" + executable + "',"
                        + "'arguments':" + arguments + "}}}")
                .function("hello", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                        + "'methods':['get']},{'type':'http','direction':'out','name':'$return'}]}")
                .handler("envelope_handler.py");
    }

    @Test
    void aHandlerThatNeverListensFailsInvocationsAfterTheStartupTimeout() throws Exception {
        TestApp app = app("deaf", "python3", "['-c','import time; time.sleep(600)']");
        try (LogCapture logs = new LogCapture();
             RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withStartupTimeout(Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            HttpResponse<String> response = host.get("/api/hello");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-not-ready");
            assertThat((System.nanoTime() - start) / 1_000_000).as("bounded by the 1 s start-up timeout").isLessThan(5_000);
            logs.await("did not answer GET / on port");
        }
    }

    @Test
    void invocationsWaitForASlowStartingHandler() throws Exception {
        TestApp app = app("sleepy", "sh", "['-c','sleep 1; exec python3 envelope_handler.py']");
        try (RunningHost host = RunningHost.start(app.root())) {
            HttpResponse<String> response = host.get("/api/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("hello world");
        }
    }

    @Test
    void aHandlerThatExitsAtOnceIsLoggedWithItsExitCodeAndStderrAndRetried() throws Exception {
        TestApp app = app("dying", "sh", "['-c','echo cannot open database >&2; exit 7']");
        try (LogCapture logs = new LogCapture();
             RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withStartupTimeout(Duration.ofSeconds(2)))) {
            logs.await("exited with code 7");
            logs.await(l -> l.contains("cannot open database") && l.startsWith("ERROR Host.Function.Console"), Duration.ofSeconds(10));
            logs.await("Restarting the handler");
            HttpResponse<String> response = host.get("/api/hello");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("X-Flint-Error")).hasValue("handler-not-ready");
            assertThat(host.host().handler().orElseThrow().lastFailure()).contains("exited with code 7");
        }
    }

    @Test
    void stoppingFlintStopsTheHandlerAndItsChildren() throws Exception {
        // sh stays the parent of python3 (no exec): both must be gone after close().
        TestApp app = app("family", "sh", "['-c','python3 envelope_handler.py; echo never']");
        RunningHost host = RunningHost.start(app.root());
        HandlerEndpoint endpoint = host.awaitHandler();
        ProcessHandle shell = ProcessHandle.of(endpoint.pid()).orElseThrow();
        List<ProcessHandle> children = shell.descendants().toList();
        assertThat(children).isNotEmpty();

        host.close();

        assertThat(shell.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aHandlerThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        TestApp app = app("stubborn", "./stubborn.sh", "[]")
                .script("stubborn.sh", "#!/bin/sh\ntrap '' TERM\nexec python3 envelope_handler.py\n");
        // python3 inherits the ignored SIGTERM disposition from sh.
        HostOptions options = HostOptions.defaults().withGracePeriod(Duration.ofMillis(500));
        RunningHost host = RunningHost.start(app.root(), options);
        HandlerEndpoint endpoint = host.awaitHandler();
        long start = System.nanoTime();
        host.close();
        assertThat(ProcessHandle.of(endpoint.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void aMissingExecutableIsRefusedBeforeAnythingStarts() {
        TestApp app = app("missing", "bin/handler", "[]");
        assertThatThrownBy(() -> RunningHost.start(app.root()))
                .isInstanceOf(AppConfigException.class)
                .hasMessageContaining("host.json: $.customHandler.description.defaultExecutablePath: \"bin/handler\" was not found");
    }

    @Test
    void aNonExecutableFileIsRefusedWithTheFix() throws Exception {
        TestApp app = app("noexec", "handler", "[]").file("handler", "#!/bin/sh\n");
        assertThatThrownBy(() -> RunningHost.start(app.root()))
                .isInstanceOf(AppConfigException.class)
                .hasMessageContaining("which is not executable (run: chmod +x");
    }

    @Test
    void commandLineExpandsVariablesAndResolvesAgainstTheApp() throws Exception {
        TestApp app = TestApp.in(dir.resolve("expand"))
                .hostJson("{'version':'2.0','customHandler':{'description':{'defaultExecutablePath':'%TOOL%',"
                        + "'arguments':['-u','%SCRIPT%','%UNDEFINED_VAR%'],'workingDirectory':'sub'}}}")
                .localSettings("{'Values':{'SCRIPT':'../envelope_handler.py'}}")
                .file("sub/.keep", "")
                .httpFunction("hello", "['get']");
        HandlerCommand command = HandlerCommand.resolve(AppLoader.load(app.root(), Map.of()),
                Map.of("TOOL", "python3", "PATH", System.getenv("PATH")));
        assertThat(command.command()).containsExactly("python3", "-u", "../envelope_handler.py", "%UNDEFINED_VAR%");
        assertThat(command.workingDirectory()).isEqualTo(app.root().resolve("sub").toAbsolutePath());
        assertThat(command.environment()).containsEntry("FUNCTIONS_APP_ROOT_PATH", app.root().toAbsolutePath().toString())
                .containsEntry("SCRIPT", "../envelope_handler.py");
        assertThat(Optional.of(command)).isPresent();
    }
}
