package dev.flint.host.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one of a handler's output streams line by line on a virtual thread and hands each line to a
 * sink, keeping the last few lines so that an exit can be explained.
 */
final class OutputPump {

    private static final int KEPT_LINES = 20;

    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread thread;

    OutputPump(String name, InputStream stream, Consumer<String> sink) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> pump(stream, sink));
    }

    void start() {
        thread.start();
    }

    private void pump(InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                sink.accept(line);
            }
        } catch (IOException e) {
            // The stream closes when the process dies; nothing more to read.
        }
    }

    /** Waits for the stream to reach its end (bounded), so that the last lines are in. */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<String> lastLines() {
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }
}
