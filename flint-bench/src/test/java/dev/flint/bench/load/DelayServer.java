package dev.flint.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 server for the load generator's tests, whose answers are known: each request
 * gets the {@link Reply} its {@link Behavior} picks from its arrival number, after that reply's
 * delay, and everything can be held back for a stall window. It logs every request (arrival time,
 * URI, body) and counts them. Epoll when available, for timers precise to the microsecond.
 */
final class DelayServer implements AutoCloseable {

    enum Kind {
        /** A normal answer with Content-Length. */
        NORMAL,
        /** The same body, chunked in two. */
        CHUNKED,
        /** A normal answer with Connection: close, then the close. */
        CLOSE_AFTER,
        /** The head and half the body, then the connection closes. */
        CLOSE_MIDWAY,
        /** No answer at all. */
        NEVER,
        /** Bytes that are not HTTP. */
        GARBAGE
    }

    record Reply(Kind kind, int status, String body, long delayNanos) {
        static Reply ok(long delayNanos) {
            return new Reply(Kind.NORMAL, 200, "{\"ok\":true}", delayNanos);
        }
    }

    /** The reply to request number {@code index} (from 0, in arrival order). */
    @FunctionalInterface
    interface Behavior {
        Reply reply(long index, FullHttpRequest request);
    }

    record Logged(long arrivalNanos, String uri, String body) {}

    private final MultiThreadIoEventLoopGroup group;
    private final Channel server;
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<Logged> log = new ConcurrentLinkedQueue<>();
    private volatile Behavior behavior;
    private volatile long stallFrom = Long.MAX_VALUE;
    private volatile long stallUntil = Long.MIN_VALUE;

    private DelayServer(Behavior behavior) throws InterruptedException {
        this.behavior = behavior;
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        server = new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpRequestDecoder(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static DelayServer start(Behavior behavior) throws InterruptedException {
        return new DelayServer(behavior);
    }

    /** Answers 200 {"ok":true} after {@code delayNanos}. */
    static DelayServer fixed(long delayNanos) throws InterruptedException {
        return start((i, r) -> Reply.ok(delayNanos));
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    long requests() {
        return requests.get();
    }

    List<Logged> log() {
        return new ArrayList<>(log);
    }

    void behavior(Behavior value) {
        behavior = value;
    }

    /** Holds back every answer due from {@code fromNanos} (System.nanoTime) for {@code lengthNanos}. */
    void stall(long fromNanos, long lengthNanos) {
        stallUntil = fromNanos + lengthNanos;
        stallFrom = fromNanos;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            long now = System.nanoTime();
            long index = requests.getAndIncrement();
            log.add(new Logged(now, request.uri(), request.content().toString(StandardCharsets.UTF_8)));
            Reply reply = behavior.reply(index, request);
            if (reply.kind() == Kind.NEVER) {
                return;
            }
            long due = now + reply.delayNanos();
            long from = stallFrom;
            long until = stallUntil;
            if (due >= from && due < until) {
                due = until;
            }
            long delay = due - System.nanoTime();
            if (delay <= 0) {
                answer(ctx, reply);
            } else {
                ctx.executor().schedule(() -> answer(ctx, reply), delay, TimeUnit.NANOSECONDS);
            }
        }

        private void answer(ChannelHandlerContext ctx, Reply reply) {
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            String status = "HTTP/1.1 " + reply.status() + " " + (reply.status() < 400 ? "OK" : "Error") + "\r\n";
            switch (reply.kind()) {
                case NORMAL -> ctx.writeAndFlush(bytes(status + "Content-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n" + reply.body()));
                case CLOSE_AFTER -> ctx.writeAndFlush(bytes(status + "Connection: close\r\nContent-Length: " + body.length
                        + "\r\n\r\n" + reply.body())).addListener(ChannelFutureListener.CLOSE);
                case CHUNKED -> {
                    int half = reply.body().length() / 2;
                    String a = reply.body().substring(0, half);
                    String b = reply.body().substring(half);
                    ctx.writeAndFlush(bytes(status + "Transfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(a.length()) + "\r\n" + a + "\r\n"
                            + Integer.toHexString(b.length()) + ";ext=1\r\n" + b + "\r\n0\r\nX-Trailer: 1\r\n\r\n"));
                }
                case CLOSE_MIDWAY -> ctx.writeAndFlush(bytes(status + "Content-Length: " + (body.length + 100) + "\r\n\r\n"
                        + reply.body())).addListener(ChannelFutureListener.CLOSE);
                case GARBAGE -> ctx.writeAndFlush(bytes("SSH-2.0-OpenSSH_9.6\r\n"));
                case NEVER -> {
                    // never answered
                }
            }
        }

        private ByteBuf bytes(String text) {
            return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        }
    }
}
