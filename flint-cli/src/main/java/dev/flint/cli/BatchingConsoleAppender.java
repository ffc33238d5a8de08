package dev.flint.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes log lines to standard output in batches: lines collect in a buffer that a daemon thread
 * writes out every {@value #FLUSH_MILLIS} ms, or at once when the buffer fills or a line is a
 * warning or worse. Two lines per invocation ({@code Executing}, {@code Executed}) must not cost a
 * {@code write(2)} each, nor a thread wake-up each (what logback's AsyncAppender does); measured,
 * that took 15-20 % of the request rate.
 *
 * <p>Threading: any thread appends under the buffer's lock (encoding happens outside it); only the
 * flusher and a warning line write to the terminal.
 */
public final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final long FLUSH_MILLIS = 50;
    private static final int FLUSH_BYTES = 64 * 1024;

    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final Object lock = new Object();
    private byte[] buffer = new byte[FLUSH_BYTES * 2];
    private int length;
    private Encoder<ILoggingEvent> encoder;
    private Thread flusher;
    private volatile boolean stopped;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for " + getName());
            return;
        }
        flusher = Thread.ofPlatform().daemon().name("flint-log-flusher").start(this::flushPeriodically);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        byte[] line = encoder.encode(event);
        boolean urgent = event.getLevel().isGreaterOrEqual(Level.WARN);
        synchronized (lock) {
            if (length + line.length > buffer.length) {
                flushLocked();
                if (line.length > buffer.length) {
                    buffer = new byte[line.length];
                }
            }
            System.arraycopy(line, 0, buffer, length, line.length);
            length += line.length;
            if (urgent || length >= FLUSH_BYTES) {
                flushLocked();
            }
        }
    }

    private void flushPeriodically() {
        while (!stopped) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                flushLocked();
            }
        }
    }

    private void flushLocked() {
        if (length == 0) {
            return;
        }
        try {
            out.write(buffer, 0, length);
            out.flush();
        } catch (IOException e) {
            // The terminal is gone; there is nobody to tell.
        }
        length = 0;
    }

    @Override
    public void stop() {
        stopped = true;
        super.stop();
        if (flusher != null) {
            flusher.interrupt();
        }
        synchronized (lock) {
            flushLocked();
        }
    }
}
