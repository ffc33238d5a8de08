package dev.flint.host.traces;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A 200 answer written from a worker thread. Up to {@link #BUFFER_BYTES} it is kept and sent whole,
 * with a {@code Content-Length}; past that it is streamed in chunks, and the writer waits while the
 * caller's connection is backed up (the response's write queue is full), so a large export costs a
 * buffer of memory, not its size. Every touch of the response happens on its event loop.
 *
 * <p>For one writer thread. Closing sends what is left and ends the response; closing twice does nothing.
 */
final class ResponseStream extends OutputStream {

    /** Answers up to this size are sent whole. */
    static final int BUFFER_BYTES = 1 << 20;

    private final Context context;
    private final HttpServerRequest request;
    private final String contentType;
    private byte[] buffer = new byte[8192];
    private int count;
    private boolean sent;
    private boolean closed;
    private volatile CompletableFuture<Void> pending;

    ResponseStream(Context context, HttpServerRequest request, String contentType) {
        this.context = context;
        this.request = request;
        this.contentType = contentType;
    }

    /** Whether part of the answer has gone: a failure now can only cut the connection. */
    boolean sent() {
        return sent;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the answer has been sent");
        }
        while (len > 0) {
            if (count == buffer.length) {
                if (!sent && buffer.length < BUFFER_BYTES) {
                    buffer = Arrays.copyOf(buffer, Math.min(BUFFER_BYTES, buffer.length * 2));
                } else {
                    send(false);
                }
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        send(true);
    }

    private void send(boolean last) throws IOException {
        Buffer chunk = Buffer.buffer(Arrays.copyOf(buffer, count));
        count = 0;
        boolean head = !sent;
        sent = true;
        if (head && last) {
            context.runOnContext(v -> {
                HttpServerResponse response = request.response();
                if (!response.ended() && !response.closed()) {
                    response.setStatusCode(200).putHeader("Content-Type", contentType)
                            .putHeader("Content-Length", Integer.toString(chunk.length())).end(chunk);
                }
            });
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending = done;
        context.runOnContext(v -> {
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                done.completeExceptionally(new IOException("the caller closed the connection"));
                return;
            }
            if (head) {
                response.setStatusCode(200).putHeader("Content-Type", contentType).setChunked(true);
                response.closeHandler(c -> {
                    CompletableFuture<Void> waiting = pending;
                    if (waiting != null) {
                        waiting.completeExceptionally(new IOException("the caller closed the connection"));
                    }
                });
            }
            if (last) {
                response.end(chunk);
                done.complete(null);
            } else {
                response.write(chunk);
                if (response.writeQueueFull()) {
                    response.drainHandler(d -> done.complete(null));
                } else {
                    done.complete(null);
                }
            }
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the answer was sent");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
