package dev.flint.bench.load;

import dev.flint.bench.result.Mode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The load generator's threads: one Netty event loop per thread (epoll when the native transport
 * loads, NIO otherwise), shared by every run of a {@code flint bench} invocation. Connections of a
 * run are spread over the loops round-robin.
 */
public final class LoadEngine implements AutoCloseable {

    private final MultiThreadIoEventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final Class<? extends SocketChannel> channelType;
    private final boolean epoll;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;

    /** {@code threads} event loops; at least 1. */
    public LoadEngine(int threads) {
        if (threads < 1 || threads > LoadPlan.MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be from 1 to " + LoadPlan.MAX_THREADS);
        }
        epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("flint-bench", true), handlers);
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    public int threads() {
        return loops.size();
    }

    EventLoop loop(int index) {
        return loops.get(index % loops.size());
    }

    /** A connection's bootstrap, before its loop and handler are set. */
    Bootstrap bootstrap(Duration timeout) {
        return new Bootstrap().channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
    }

    /** Encodes a target's requests once, into direct buffers; {@link EncodedRequests#release()} them after. */
    EncodedRequests encode(RequestSpec spec, RandomGenerator random) {
        return spec.encode(allocator, random);
    }

    /** A run of {@code requests} shaped by the arguments; not started. */
    LoadRun newRun(EncodedRequests requests, Mode mode, int connections, double rate, Duration ramp, Duration warmup,
            Duration duration, long requestLimit, Duration timeout) {
        return new LoadRun(this, requests, mode, connections, rate, ramp, warmup, duration, requestLimit, timeout);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
