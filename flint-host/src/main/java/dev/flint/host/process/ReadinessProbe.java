package dev.flint.host.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Azure's readiness rule ({@code DefaultHttpWorkerService.IsWorkerReady}): send {@code GET /} and
 * take <em>any</em> HTTP answer, whatever its status, as ready; a refused connection means not yet.
 * Runs on a virtual thread, so plain blocking sockets are the simplest correct tool.
 */
final class ReadinessProbe {

    private static final int IO_TIMEOUT_MILLIS = 2_000;

    private ReadinessProbe() {}

    /** True when the handler answered with an HTTP status line. */
    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), IO_TIMEOUT_MILLIS);
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: Flint-Readiness\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(5);
            return new String(start, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            // Accepted but no answer yet (or reset): keep waiting, as Azure does for socket errors.
            return false;
        }
    }
}
