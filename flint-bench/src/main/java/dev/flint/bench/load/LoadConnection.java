package dev.flint.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * One load connection of a run: sends a request, waits for its answer, records it, sends the next;
 * reopens its TCP connection when it closes or fails. At most one request is outstanding (no
 * pipelining, as wrk). Everything happens on the connection's event-loop thread.
 *
 * <p>Closed loop: the next request goes out as soon as the answer is in, and latency counts from
 * the write (a reconnect before it is not counted, as wrk does). Constant rate: request {@code k}
 * of connection {@code c} is due at {@link LoadRun#intended(int, long)}; it is sent then, or at
 * once when the connection is behind (no request is skipped), and its latency counts from the time
 * it was due. That is the coordinated-omission correction of wrk2: a stall delays the requests that
 * should have been sent during it, and their latencies show it. Requests due before the measured
 * phase ends are sent even when a stall has pushed them past it (bounded by the timeout); none due
 * after it is.
 *
 * <p>Failures: the request counts as an error of its kind and the connection reopens. When it failed
 * to connect, or failed before a single answer on its connection, it first backs off (10 ms,
 * doubling up to 500 ms, reset by an answer), so that a server refusing every connection is not
 * hammered in a hot loop. At a constant rate the requests due during the back-off fail with the same
 * kind as they fall due: an unreachable server costs R errors a second rather than a pile of requests
 * sent late.
 *
 * <p>The object is its channels' handler (one channel at a time, all on one thread, hence
 * {@code @Sharable}); events from a channel it has let go of are ignored.
 */
@ChannelHandler.Sharable
final class LoadConnection extends ChannelInboundHandlerAdapter implements ChannelFutureListener, Runnable {

    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final LoadRun run;
    private final WorkerSlice slice;
    private final EventLoop loop;
    private final int index;
    private final boolean rateMode;
    private final EncodedRequests requests;
    private final Bootstrap bootstrap;
    private final ResponseParser parser = new ResponseParser();

    private Channel channel;
    private boolean connecting;
    private boolean preconnecting;
    /** A request is claimed and has neither an answer nor an error (it may wait for the connection). */
    private boolean inFlight;
    /** That request is written and its answer awaited. */
    private boolean written;
    private boolean measured;
    private boolean writing;
    private boolean done;
    /** Latency origin of the request: its write (closed loop) or its intended time (rate). */
    private long start;
    /** When the request was written, or its connection attempt began: the timeout counts from it. */
    private long sentAt;
    /** Rate: the next request of this connection's schedule. */
    private long next;
    /** Rate: after a failure, the requests due before this time fail too, with this kind (null: none). */
    private long notBefore;
    private ErrorKind backoffKind;
    private int cursor;
    private int answersOnChannel;
    private long backoffNanos;

    LoadConnection(LoadRun run, WorkerSlice slice, int index, Bootstrap template) {
        this.run = run;
        this.slice = slice;
        this.loop = slice.loop;
        this.index = index;
        this.rateMode = run.rateMode();
        this.requests = run.requests();
        this.cursor = index;
        this.bootstrap = template.clone(loop).handler(this);
    }

    WorkerSlice slice() {
        return slice;
    }

    // --- driven by the run ---------------------------------------------------------------------

    /** Opens the TCP connection before the clock starts; the run learns when the attempt ended. */
    void preconnect() {
        preconnecting = true;
        connect();
    }

    /** The clock started: begin sending (at this connection's ramp offset in closed loop). */
    void begin() {
        if (done) {
            return;
        }
        if (rateMode) {
            scheduleNext();
            return;
        }
        long delay = run.closedStart(index) - System.nanoTime();
        if (delay > 0) {
            loop.schedule(this, delay, TimeUnit.NANOSECONDS);
        } else {
            sendNext(System.nanoTime());
        }
    }

    /** Ends now: drops a request still outstanding (it is not counted) and closes the connection. */
    void abort() {
        finish();
    }

    /** A scheduled wake-up: the ramp offset, a back-off, or the next due time. */
    @Override
    public void run() {
        if (done) {
            return;
        }
        if (rateMode) {
            scheduleNext();
        } else {
            sendNext(System.nanoTime());
        }
    }

    void checkTimeout(long now) {
        if (inFlight && !done && now - sentAt > run.timeoutNanos()) {
            fail(connecting ? ErrorKind.CONNECT : ErrorKind.TIMEOUT);
        }
    }

    // --- sending -------------------------------------------------------------------------------

    private void sendNext(long now) {
        int admission = run.admit(now);
        if (admission == LoadRun.STOP) {
            finish();
            return;
        }
        measured = admission == LoadRun.MEASURED;
        start = now;
        send(now);
    }

    private void scheduleNext() {
        while (true) {
            long intended = run.intended(index, next);
            long now = System.nanoTime();
            if (run.over(intended)) {
                // A request due before the end is still sent when the connection is behind (a stall
                // at the end), and measured from its due time: dropping it would cut the slowest
                // requests out of the tail. None due after the end is sent.
                finish();
                return;
            }
            if (backoffKind != null && intended < notBefore) {
                // Due while the connection backs off after a failure: it fails as well, at once.
                int admission = run.admit(intended);
                if (admission == LoadRun.STOP) {
                    finish();
                    return;
                }
                next++;
                slice.error(admission == LoadRun.MEASURED, backoffKind, now);
                continue;
            }
            if (intended > now) {
                loop.schedule(this, intended - now, TimeUnit.NANOSECONDS);
                return;
            }
            int admission = run.admit(intended);
            if (admission == LoadRun.STOP) {
                finish();
                return;
            }
            next++;
            measured = admission == LoadRun.MEASURED;
            start = intended;
            send(now);
            return;
        }
    }

    private void send(long now) {
        inFlight = true;
        sentAt = now;
        Channel ch = channel;
        if (ch == null) {
            connect();
        } else if (!connecting) {
            write(ch);
        }
    }

    private void write(Channel ch) {
        written = true;
        parser.reset(requests.head());
        writing = true;
        ch.writeAndFlush(requests.request(cursor++), ch.voidPromise());
        writing = false;
    }

    private void connect() {
        connecting = true;
        ChannelFuture future = bootstrap.connect(requests.address());
        channel = future.channel();
        future.addListener(this);
    }

    /** The connection attempt ended. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (future.channel() != channel) {
            return;
        }
        connecting = false;
        boolean first = preconnecting;
        preconnecting = false;
        if (future.isSuccess()) {
            answersOnChannel = 0;
            if (inFlight && !written) {
                long now = System.nanoTime();
                if (!rateMode) {
                    start = now;
                }
                sentAt = now;
                write(channel);
            }
        } else {
            channel = null;
            if (inFlight) {
                fail(ErrorKind.CONNECT);
            }
        }
        if (first) {
            run.preconnected();
        }
    }

    // --- channel events ------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel() != channel || !(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!written) {
                closeChannel(); // bytes nobody asked for: the connection's state is unknown
                return;
            }
            if (measured) {
                slice.bytes += in.readableBytes();
            }
            int result = parser.feed(in);
            if (result == ResponseParser.COMPLETE) {
                answered(parser.status(), parser.keepAlive() && !in.isReadable());
            } else if (result == ResponseParser.INVALID) {
                fail(ErrorKind.PROTOCOL);
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() != channel) {
            return;
        }
        channel = null;
        if (written) {
            if (!parser.idle() && parser.endOfInput() == ResponseParser.COMPLETE) {
                answered(parser.status(), false);
            } else {
                fail(ErrorKind.READ);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() != channel) {
            return;
        }
        fail(writing ? ErrorKind.WRITE : ErrorKind.READ);
    }

    // --- outcomes ------------------------------------------------------------------------------

    private void answered(int status, boolean keepAlive) {
        long now = System.nanoTime();
        inFlight = false;
        written = false;
        slice.answer(measured, now - start, status, now);
        answersOnChannel++;
        backoffNanos = 0;
        backoffKind = null;
        if (!keepAlive) {
            closeChannel();
        }
        if (rateMode) {
            scheduleNext();
        } else {
            sendNext(now);
        }
    }

    private void fail(ErrorKind kind) {
        boolean pending = inFlight;
        boolean backOff = kind == ErrorKind.CONNECT || answersOnChannel == 0;
        closeChannel();
        if (!pending || done) {
            return; // an idle connection closed or failed: nothing was lost, it reopens for the next request
        }
        long now = System.nanoTime();
        inFlight = false;
        written = false;
        slice.error(measured, kind, now);
        if (backOff) {
            // Never a hot loop against a server that refuses or drops every connection.
            backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
            notBefore = now + backoffNanos;
            backoffKind = kind;
            if (!rateMode) {
                loop.schedule(this, backoffNanos, TimeUnit.NANOSECONDS);
                return;
            }
        }
        if (rateMode) {
            scheduleNext();
        } else {
            sendNext(now);
        }
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        connecting = false;
        written = false;
        if (ch != null) {
            ch.close();
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        inFlight = false;
        closeChannel();
        if (preconnecting) {
            preconnecting = false;
            run.preconnected();
        }
        run.finished();
    }
}
