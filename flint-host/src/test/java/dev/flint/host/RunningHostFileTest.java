package dev.flint.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running Flint says where it listens in its data directory, for flint bench and flint profile, and stops saying so when it stops. */
class RunningHostFileTest {

    @TempDir
    Path dir;

    @Test
    void theRunningHostsUrlIsInItsDataDirectoryUntilItStops() throws Exception {
        TestApp app = TestApp.in(dir.resolve("app"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'node','arguments':['limits_handler.js']}}}")
                .handler("limits_handler.js")
                .httpFunction("fast", "['get']");
        Path data = dir.resolve("data");
        try (RunningHost host = RunningHost.start(app.root(), HostOptions.defaults().withDataDirectory(data))) {
            assertThat(RunningHostFile.url(data)).contains("http://127.0.0.1:" + host.host().port());
        }
        assertThat(data.resolve(RunningHostFile.NAME)).doesNotExist();
        assertThat(RunningHostFile.url(data)).isEmpty();
    }

    @Test
    void aFileLeftByAFlintThatDiedIsIgnored() throws Exception {
        Files.createDirectories(dir);
        long gone = new ProcessBuilder("true").start().onExit().get().pid();
        Files.writeString(dir.resolve(RunningHostFile.NAME), "{\"pid\":" + gone + ",\"url\":\"http://127.0.0.1:1\"}");
        assertThat(RunningHostFile.url(dir)).isEmpty();
        Files.writeString(dir.resolve(RunningHostFile.NAME), "not json");
        assertThat(RunningHostFile.url(dir)).isEmpty();
    }
}
