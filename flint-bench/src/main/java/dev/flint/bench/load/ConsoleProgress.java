package dev.flint.bench.load;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress on stderr: on a terminal one line that rewrites itself ({@code \r}); otherwise (a log, a
 * pipe) a plain line every few seconds.
 */
public final class ConsoleProgress implements Progress {

    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastPrint = Long.MIN_VALUE;
    private int lastLength;

    /**
     * @param out where to print (stderr: stdout may be the report)
     * @param terminal rewrite one line in place
     * @param plainInterval how often to print a line when not on a terminal
     */
    public ConsoleProgress(PrintWriter out, boolean terminal, Duration plainInterval) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = plainInterval.toNanos();
    }

    /**
     * Whether the process's stderr is a terminal: on Linux, what file descriptor 2 is; elsewhere,
     * whether there is an interactive console.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException notJava22) {
                return true;
            }
        }
    }

    @Override
    public void update(Snapshot s) {
        long now = System.nanoTime();
        if (!terminal && lastPrint != Long.MIN_VALUE && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        String line = line(s);
        if (terminal) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void finish() {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }

    static String line(Snapshot s) {
        StringBuilder line = new StringBuilder("flint bench: ");
        line.append(seconds(s.elapsedNanos()));
        if (s.plannedNanos() > 0) {
            line.append('/').append(seconds(s.plannedNanos()));
        }
        line.append("  ").append(s.phase()).append(' ').append(s.target());
        if (s.rounds() > 1) {
            line.append(" (round ").append(s.round()).append('/').append(s.rounds()).append(')');
        }
        line.append(String.format(Locale.ROOT, "  %,.0f req/s  %,d answers  %,d errors", s.requestsPerSecond(),
                s.answered(), s.failed()));
        return line.toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
