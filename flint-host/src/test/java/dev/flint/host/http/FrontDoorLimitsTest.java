package dev.flint.host.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.HostOptions;
import dev.flint.host.admission.FrontDoorLimits;
import dev.flint.host.testing.LogCapture;
import dev.flint.host.testing.RunningHost;
import dev.flint.host.testing.TestApp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door's bounds on what a caller sends, with real sockets against a running host: the body
 * limit in envelope and forwarding mode, the request-line and header limits, requests that are not
 * HTTP, and the cap on open connections. Every refusal is followed by a request that succeeds.
 *
 * <p>The handler ({@code limits_handler.js}) prints a {@code saw ...} line for every request it
 * receives, which is how these tests tell what Flint kept from it.
 */
class FrontDoorLimitsTest {

    static final int LIMIT = 64 * 1024;
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static LogCapture logs;
    static RunningHost forwarding;
    static RunningHost envelope;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        FrontDoorLimits limits = FrontDoorLimits.DEFAULTS.withMaxBodyBytes(LIMIT);
        forwarding = RunningHost.start(app(dir.resolve("forwarding"), true).root(),
                HostOptions.defaults().withLimits(limits));
        envelope = RunningHost.start(app(dir.resolve("envelope"), false).root(),
                HostOptions.defaults().withLimits(limits));
        forwarding.awaitHandler();
        envelope.awaitHandler();
    }

    @AfterAll
    static void stop() {
        if (forwarding != null) {
            forwarding.close();
        }
        if (envelope != null) {
            envelope.close();
        }
        logs.close();
    }

    /** An app served by {@code limits_handler.js}, in forwarding or envelope mode. */
    static TestApp app(Path root, boolean forwardingMode) {
        String section = forwardingMode
                ? "'customHandler':{'enableForwardingHttpRequest':true,'description':{'defaultExecutablePath':'node',"
                        + "'arguments':['limits_handler.js']}}"
                : "'customHandler':{'description':{'defaultExecutablePath':'node',"
                        + "'arguments':['limits_handler.js','envelope']}}";
        return TestApp.in(root)
                .hostJson("{'version':'2.0'," + section + "}")
                .handler("limits_handler.js")
                .httpFunction("count", "['post']")
                .httpFunction("early", "['post']")
                .httpFunction("big", "['get']")
                .httpFunction("sleep", "['get','post']")
                .httpFunction("fast", "['get']");
    }

    // ---- 1. the body limit

    @Test
    void envelopeModeRefusesADeclaredBodyOverTheLimitBeforeTheHandlerSeesIt() throws Exception {
        try (Raw raw = Raw.connect(envelope.host().port())) {
            raw.send("POST /api/count?tag=env-declared HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n" + "x".repeat(LIMIT + 1));
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("X-Flint-Error")).isEqualTo("body-too-large");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(raw.readToEof(WAIT)).as("closed once the refused body is in, nothing after the 413").isZero();
        }
        logs.await(l -> l.contains("Rejected POST /api/count with 413 (function count, body limit " + LIMIT
                + " bytes): Content-Length is " + (LIMIT + 1)), WAIT);

        assertThat(postCount(envelope, "env-after-declared", LIMIT).text()).isEqualTo("{\"bytes\":" + LIMIT + "}");
        awaitHandlerSaw("env-after-declared");
        assertThat(handlerLines()).noneMatch(l -> l.contains("env-declared"));
    }

    @Test
    void envelopeModeCutsAChunkedBodyAtTheLimitAndAcceptsOneExactlyAtIt() throws Exception {
        try (Raw raw = Raw.connect(envelope.host().port())) {
            raw.send(chunkedHead("/api/count?tag=env-chunked"));
            raw.send(chunks(LIMIT)); // exactly the limit so far: still fine
            raw.send(chunk(1));      // one byte past it
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("X-Flint-Error")).isEqualTo("body-too-large");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            raw.send(chunk(100) + "0\r\n\r\n"); // the rest of the body, which Flint drops before it closes
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        logs.await(l -> l.contains("Executed 'Functions.count' (Failed") && l.contains("body-too-large"), WAIT);

        try (Raw raw = Raw.connect(envelope.host().port())) {
            raw.send(chunkedHead("/api/count?tag=env-chunked-at-limit"));
            raw.send(chunks(LIMIT));
            raw.send("0\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("{\"bytes\":" + LIMIT + "}");
        }
        awaitHandlerSaw("env-chunked-at-limit");
        assertThat(handlerLines()).noneMatch(l -> l.contains("tag=env-chunked "));
        assertThat(postCount(envelope, "env-after-chunked", LIMIT).status()).isEqualTo(200);
    }

    @Test
    void forwardingModeRefusesADeclaredBodyOverTheLimitBeforeTheHandlerSeesIt() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("POST /api/count?tag=fwd-declared HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n" + "x".repeat(LIMIT + 1));
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("X-Flint-Error")).isEqualTo("body-too-large");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        Response fits = postCount(forwarding, "fwd-at-limit", LIMIT);
        assertThat(fits.status()).isEqualTo(200);
        assertThat(fits.text()).isEqualTo("{\"bytes\":" + LIMIT + "}");
        awaitHandlerSaw("count /api/count?tag=fwd-at-limit complete: " + LIMIT + " bytes");
        assertThat(handlerLines()).noneMatch(l -> l.contains("fwd-declared"));
    }

    @Test
    void forwardingModeCutsAChunkedBodyAtTheLimitAndAcceptsOneExactlyAtIt() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send(chunkedHead("/api/count?tag=fwd-chunked"));
            raw.send(chunks(LIMIT));
            raw.send(chunk(1));
            Response response = raw.response();
            assertThat(response.status()).as("the handler had not answered yet: Flint can still say 413").isEqualTo(413);
            assertThat(response.header("X-Flint-Error")).isEqualTo("body-too-large");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            raw.send(chunk(100) + "0\r\n\r\n");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        // The handler saw the body start streaming in, and then saw it cut: never a complete, truncated request.
        String cut = awaitHandlerSaw("count /api/count?tag=fwd-chunked cut after");
        assertThat(Long.parseLong(cut.replaceAll(".* cut after (\\d+) bytes.*", "$1"))).isLessThanOrEqualTo(LIMIT);
        assertThat(handlerLines()).noneMatch(l -> l.contains("tag=fwd-chunked complete"));

        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send(chunkedHead("/api/count?tag=fwd-chunked-at-limit"));
            raw.send(chunks(LIMIT));
            raw.send("0\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("{\"bytes\":" + LIMIT + "}");
        }
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    @Test
    void forwardingModeCutsTheConnectionWhenTheBodyPassesTheLimitAfterTheResponseStarted() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send(chunkedHead("/api/early?tag=fwd-early"));
            raw.send(chunk(1024));
            Head head = raw.head(); // the handler answers before it reads the body
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
            try {
                raw.send(chunks(LIMIT)); // 1 KB past the limit
            } catch (IOException cutWhileSending) {
                // the connection may be cut before the last bytes are written: what is asserted below
            }
            byte[] rest = raw.readAllUntilEof(WAIT);
            String text = new String(rest, ISO_8859_1);
            assertThat(text).as("a 413 cannot follow a 200: the response is cut, without its last chunk")
                    .doesNotContain("read ").doesNotEndWith("0\r\n\r\n");
        }
        logs.await(l -> l.contains("Executed 'Functions.early' (Failed"), WAIT);
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    // ---- 2. requests the HTTP decoder refuses

    @Test
    void headersOverTheLimitAre431AndTheConnectionIsClosed() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("GET /api/fast?tag=big-headers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "h".repeat(40 * 1024)
                    + "\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("X-Flint-Error")).isEqualTo("headers-too-large");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        logs.await(l -> l.contains("with 431 (header limit 32768 bytes)"), WAIT);
        assertThat(get(forwarding, "/api/fast?tag=after-big-headers").status()).isEqualTo(200);
        awaitHandlerSaw("after-big-headers");
        assertThat(handlerLines()).noneMatch(l -> l.contains("tag=big-headers"));
    }

    @Test
    void aRequestLineOverTheLimitIs414AndTheConnectionIsClosed() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("GET /api/fast?tag=long-line&q=" + "q".repeat(9 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(414);
            assertThat(response.header("X-Flint-Error")).isEqualTo("uri-too-long");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        String line = logs.await(l -> l.contains("with 414 (request line limit 8192 bytes)"), WAIT);
        assertThat(line.length()).as("the URL is not copied into the log").isLessThan(1024);
        assertThat(get(forwarding, "/api/fast?tag=after-long-line").status()).isEqualTo(200);
        awaitHandlerSaw("after-long-line");
        assertThat(handlerLines()).noneMatch(l -> l.contains("tag=long-line"));
    }

    @Test
    void somethingThatIsNotHttpIs400AndTheConnectionIsClosed() throws Exception {
        try (Raw raw = Raw.connect(forwarding.host().port())) {
            raw.send("THIS IS NOT HTTP AT ALL\r\n\r\n");
            Response response = raw.response();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("X-Flint-Error")).isEqualTo("bad-request");
            assertThat(raw.readToEof(WAIT)).isZero();
        }
        logs.await(l -> l.contains("with 400 (HTTP/1.1 syntax)"), WAIT);
        assertThat(get(forwarding, "/api/fast").status()).isEqualTo(200);
    }

    // ---- 5. the connection cap

    @Test
    void aConnectionPastTheCapIsClosedAtOnceAndTheNextOneAfterAFreedSlotWorks() throws Exception {
        try (RunningHost capped = RunningHost.start(app(dir.resolve("capped"), true).root(),
                HostOptions.defaults().withLimits(FrontDoorLimits.DEFAULTS.withMaxConnections(2)))) {
            capped.awaitHandler();
            int port = capped.host().port();
            try (Raw first = Raw.connect(port); Raw second = Raw.connect(port)) {
                assertThat(first.exchange(keepAlive("/api/fast")).status()).isEqualTo(200);
                assertThat(second.exchange(keepAlive("/api/fast")).status()).isEqualTo(200);

                try (Raw third = Raw.connect(port)) {
                    third.send(keepAlive("/api/fast"));
                    assertThat(third.readToEof(WAIT)).as("closed at once, without a byte").isZero();
                }
                logs.await(l -> l.contains("Refused a connection from") && l.contains("(max connections 2)"), WAIT);
                assertThat(first.exchange(keepAlive("/api/fast")).status()).as("the open ones still work").isEqualTo(200);

                second.close();
                // The server learns of the close asynchronously: a slot is free once it has.
                assertThat(firstAdmittedRequest(port).status()).isEqualTo(200);
                assertThat(first.exchange(keepAlive("/api/fast")).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingCountsAgainstTheCapAndARefusedRequestNeverRuns() throws Exception {
        try (RunningHost capped = RunningHost.start(app(dir.resolve("capped-silent"), true).root(),
                HostOptions.defaults().withLimits(FrontDoorLimits.DEFAULTS.withMaxConnections(2)))) {
            capped.awaitHandler();
            int port = capped.host().port();
            // One at a time, each counted before the next: the event loops accept in no fixed order,
            // and the test must know which connection is the one past the cap.
            try (Raw first = Raw.connect(port); Raw second = awaitCounted(capped, 1, () -> Raw.connect(port))) {
                awaitCounted(capped, 2, () -> null);
                try (Raw third = Raw.connect(port)) {
                    assertThat(third.readToEof(WAIT)).as("two are open, silent or not: closed at once").isZero();
                }
                try (Raw fourth = Raw.connect(port)) {
                    fourth.send(keepAlive("/api/fast?tag=past-the-cap"));
                    assertThat(fourth.readToEof(WAIT)).isZero();
                }
                assertThat(first.exchange(keepAlive("/api/fast?tag=after-the-cap")).status()).isEqualTo(200);
                awaitHandlerSaw("tag=after-the-cap");
                assertThat(handlerLines()).as("the refused connection's request never ran")
                        .noneMatch(l -> l.contains("tag=past-the-cap"));
            }
            assertThat(firstAdmittedRequest(port).status()).isEqualTo(200);
        }
    }

    private interface Connect {
        Raw open() throws IOException;
    }

    /** Waits (bounded) until the host counts {@code open} connections, then opens the next one. */
    private static Raw awaitCounted(RunningHost host, int open, Connect next) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (host.host().openConnections() < open) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the host counts " + host.host().openConnections() + " connections, not " + open);
            }
            Thread.sleep(5);
        }
        return next.open();
    }

    /** A GET on new connections until one is not refused by the cap (bounded). */
    private static Response firstAdmittedRequest(int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Raw raw = Raw.connect(port)) {
                return raw.exchange(keepAlive("/api/fast"));
            } catch (IOException refused) {
                last = refused;
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no connection was admitted within " + WAIT, last);
    }

    // ---- helpers shared by the tests of this package

    static String keepAlive(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    /** A GET on a new connection, closed after the response. */
    static Response get(RunningHost host, String path) throws IOException {
        try (Raw raw = Raw.connect(host.host().port())) {
            return raw.exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }
    }

    private static Response postCount(RunningHost host, String tag, int bytes) throws IOException {
        try (Raw raw = Raw.connect(host.host().port())) {
            raw.send("POST /api/count?tag=" + tag + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Connection: close\r\nContent-Length: " + bytes + "\r\n\r\n");
            raw.send("x".repeat(bytes));
            return raw.response();
        }
    }

    private static String chunkedHead(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
    }

    /** {@code total} bytes of body in 16 KB chunks. */
    private static String chunks(int total) {
        StringBuilder out = new StringBuilder();
        for (int sent = 0; sent < total; ) {
            int n = Math.min(16 * 1024, total - sent);
            out.append(chunk(n));
            sent += n;
        }
        return out.toString();
    }

    private static String chunk(int size) {
        return Integer.toHexString(size) + "\r\n" + "x".repeat(size) + "\r\n";
    }

    /** Waits for a line the handler printed that contains {@code text}. */
    private static String awaitHandlerSaw(String text) {
        return logs.await(l -> l.contains("Host.Function.Console") && l.contains(text), WAIT);
    }

    private static List<String> handlerLines() {
        return logs.lines().stream().filter(l -> l.contains("Host.Function.Console")).toList();
    }

    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** One HTTP/1.1 connection written and read by hand, every read bounded by a timeout. */
    static final class Raw implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Raw connect(int port) throws IOException {
            return connect(port, 0);
        }

        /** @param receiveBuffer the socket's receive buffer (a small one makes a slow reader quickly), 0 for the default */
        static Raw connect(int port, int receiveBuffer) throws IOException {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout((int) WAIT.toMillis());
            return new Raw(socket);
        }

        Raw send(String text) throws IOException {
            out.write(text.getBytes(ISO_8859_1));
            out.flush();
            return this;
        }

        Response exchange(String request) throws IOException {
            send(request);
            return response();
        }

        /** The status line and headers of the next final response (a 100 Continue is skipped). */
        Head head() throws IOException {
            while (true) {
                String statusLine = line();
                if (statusLine == null) {
                    throw new EOFException("the connection closed before a response");
                }
                int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                for (String header; !(header = lineOrFail()).isEmpty(); ) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
                }
                if (status != 100) {
                    return new Head(status, headers);
                }
            }
        }

        /** The next response, its body read by Content-Length, chunks, or to the end of the connection. */
        Response response() throws IOException {
            Head head = head();
            byte[] body;
            String length = head.header("content-length");
            if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int size; (size = Integer.parseInt(lineOrFail().split(";")[0].trim(), 16)) > 0; ) {
                    all.write(exactly(size));
                    lineOrFail();
                }
                while (!lineOrFail().isEmpty()) {
                    // trailers
                }
                body = all.toByteArray();
            } else if (length != null) {
                body = exactly(Integer.parseInt(length));
            } else {
                body = in.readAllBytes();
            }
            return new Response(head.status(), head.headers(), body);
        }

        /**
         * Reads until the server closes the connection (an end of stream or a reset) and returns how
         * many bytes came first; fails if it is still open after {@code timeout}.
         */
        long readToEof(Duration timeout) throws IOException {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("the connection is still open after " + timeout + " (" + total + " bytes read)");
                }
                socket.setSoTimeout((int) left);
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return total;
                    }
                    total += n;
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the connection is still open after " + timeout + " (" + total + " bytes read)");
                } catch (SocketException reset) {
                    return total;
                }
            }
        }

        /** Like {@link #readToEof}, keeping the bytes. */
        byte[] readAllUntilEof(Duration timeout) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buffer = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("the connection is still open after " + timeout + ": " + all);
                }
                socket.setSoTimeout((int) left);
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return all.toByteArray();
                    }
                    all.write(buffer, 0, n);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the connection is still open after " + timeout + ": " + all);
                } catch (SocketException reset) {
                    return all.toByteArray();
                }
            }
        }

        private byte[] exactly(int size) throws IOException {
            byte[] bytes = in.readNBytes(size);
            if (bytes.length != size) {
                throw new EOFException("the connection closed after " + bytes.length + " of " + size + " bytes");
            }
            return bytes;
        }

        private String lineOrFail() throws IOException {
            String line = line();
            if (line == null) {
                throw new EOFException("the connection closed mid-response");
            }
            return line;
        }

        /** A CRLF-terminated line, or null at the end of the stream before any byte. */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("the connection closed mid-line: " + line.toString(ISO_8859_1));
                }
                line.write(b);
            }
            String text = line.toString(ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
