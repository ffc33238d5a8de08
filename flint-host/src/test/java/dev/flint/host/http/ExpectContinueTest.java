package dev.flint.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.HostOptions;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Expect: 100-continue} is answered only for a request that passed the checks, so that a
 * refused caller learns it before it uploads its body.
 */
class ExpectContinueTest {

    @TempDir
    static Path dir;

    static RunningHost host;

    @BeforeAll
    static void start() throws Exception {
        TestApp app = TestApp.in(dir.resolve("expect"))
                .hostJson("{'version':'2.0','customHandler':{'enableForwardingHttpRequest':true,'description':"
                        + "{'defaultExecutablePath':'node','arguments':['forwarding_handler.js']}}}")
                .handler("forwarding_handler.js")
                .function("count", "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'function',"
                        + "'methods':['post']},{'type':'http','direction':'out','name':'res'}]}");
        host = RunningHost.start(app.root(), HostOptions.defaults().withAuth(HostOptions.AuthSwitch.ENABLED)
                .withMaxBodyBytes(1000));
        host.awaitHandler();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static String hostKey() {
        return host.host().keys().orElseThrow().current().keys(dev.flint.host.auth.KeyScope.HOST, null).get(0).value();
    }

    @Test
    void anAdmittedRequestGets100ContinueThenItsAnswer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", host.host().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/count HTTP/1.1\r\nHost: x\r\nx-functions-key: " + hostKey()
                    + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aRefusedRequestGetsItsFinalAnswerWithout100() throws Exception {
        assertThat(firstLine("x-functions-key: not-the-key-000000000000\r\nContent-Length: 5\r\n"))
                .isEqualTo("HTTP/1.1 401 Unauthorized");
        assertThat(firstLine("x-functions-key: " + hostKey() + "\r\nContent-Length: 5000\r\n"))
                .isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }

    private static String firstLine(String headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", host.host().port())) {
            socket.getOutputStream().write(("POST /api/count HTTP/1.1\r\nHost: x\r\n" + headers
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
