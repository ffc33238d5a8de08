import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.handler.codec.http.*;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal keep-alive HTTP/1.1 reverse proxy on raw Netty, for bench/request-path.sh's
 * {@code netty-ceiling} target: roughly the fastest a JVM forwarder on Netty can be on the
 * machine, to compare Flint with. Not a product. It does no routing, no timeouts and no
 * hop-by-hop filtering beyond Connection, and no error handling beyond closing the caller's
 * connection.
 *
 * <p>Each event loop keeps a stack of idle upstream connections; a request takes one (or connects),
 * Netty's HttpRequest/HttpContent objects are written through unchanged with the two
 * X-Azure-Functions-* headers Flint adds, and the response objects go back the same way.
 *
 * <p>Usage: java -cp 'netty jars:classes' NettyProxy LISTEN_PORT UPSTREAM_PORT EVENT_LOOPS
 */
public final class NettyProxy {
    static final AttributeKey<Channel> FRONT = AttributeKey.valueOf("front");
    static final ThreadLocal<ArrayDeque<Channel>> IDLE = ThreadLocal.withInitial(ArrayDeque::new);
    static int upstreamPort;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        upstreamPort = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(EpollChannelOption.SO_REUSEPORT, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Front());
                    }
                }).bind("127.0.0.1", port).sync();
        System.out.println("listening " + port);
        Thread.currentThread().join();
    }

    static final class Front extends ChannelInboundHandlerAdapter {
        Channel upstream;
        final ArrayDeque<Object> pending = new ArrayDeque<>();

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                HttpHeaders h = req.headers();
                h.remove(HttpHeaderNames.CONNECTION);
                h.set("X-Azure-Functions-HostVersion", "4.1037.0");
                ThreadLocalRandom r = ThreadLocalRandom.current();
                h.set("X-Azure-Functions-InvocationId", new UUID(r.nextLong(), r.nextLong()).toString());
                ArrayDeque<Channel> idle = IDLE.get();
                Channel up = idle.pollFirst();
                while (up != null && !up.isActive()) up = idle.pollFirst();
                if (up != null) {
                    upstream = up;
                    up.attr(FRONT).set(ctx.channel());
                } else {
                    upstream = null;
                    pending.add(msg);
                    connect(ctx);
                    return;
                }
            }
            if (upstream == null) { pending.add(msg); return; }
            if (msg instanceof LastHttpContent) upstream.writeAndFlush(msg, upstream.voidPromise());
            else upstream.write(msg, upstream.voidPromise());
        }

        void connect(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new Back());
                        }
                    }).connect("127.0.0.1", upstreamPort).addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) { front.close(); return; }
                        upstream = f.channel();
                        upstream.attr(FRONT).set(front);
                        Object m;
                        while ((m = pending.poll()) != null) upstream.write(m, upstream.voidPromise());
                        upstream.flush();
                    });
        }
    }

    static final class Back extends ChannelInboundHandlerAdapter {
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel front = ctx.channel().attr(FRONT).get();
            if (front == null) { ReferenceCountUtil.release(msg); return; }
            if (msg instanceof LastHttpContent) {
                front.writeAndFlush(msg, front.voidPromise());
                ctx.channel().attr(FRONT).set(null);
                IDLE.get().addFirst(ctx.channel());
            } else {
                front.write(msg, front.voidPromise());
            }
        }
    }
}
