package io.kedge.hub;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's listener: plain HTTP/1.1 on loopback for node components, or HTTPS for pods. Each
 * request is handed to a worker thread, since answering it may wait on the cloud or the disk; the
 * connection reads its next request only after the answer is out, so answers never overtake each other.
 */
final class HubServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubServer.class);
    private static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hub-request");
        t.setDaemon(true);
        return t;
    });
    private Channel listener;

    InetSocketAddress start(int port, BiConsumer<HubRequest, Exchange> handler) throws InterruptedException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, handler);
    }

    /** @param tls the TLS context for each new connection, asked for anew each time (a rotated certificate); null: plain HTTP */
    InetSocketAddress start(InetSocketAddress address, Supplier<SslContext> tls, BiConsumer<HubRequest, Exchange> handler)
            throws InterruptedException {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.get().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Dispatch(handler));
                    }
                })
                .bind(address).sync().channel();
        return (InetSocketAddress) listener.localAddress();
    }

    private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final BiConsumer<HubRequest, Exchange> handler;

        Dispatch(BiConsumer<HubRequest, Exchange> handler) {
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : msg.headers()) {
                headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
            }
            HubRequest request = new HubRequest(msg.method().name(), msg.uri(), headers, ByteBufUtil.getBytes(msg.content()));
            String upgrade = msg.headers().get("Upgrade");
            FullHttpRequest websocket = upgrade != null && upgrade.equalsIgnoreCase("websocket")
                    ? new DefaultFullHttpRequest(msg.protocolVersion(), msg.method(), msg.uri(), Unpooled.EMPTY_BUFFER,
                            msg.headers().copy(), msg.trailingHeaders().copy())
                    : null;
            Exchange exchange = new Exchange(ctx, HttpUtil.isKeepAlive(msg), websocket);
            ctx.channel().config().setAutoRead(false);
            workers.execute(() -> {
                try {
                    handler.accept(request, exchange);
                } catch (HubDatabase.StorageException e) {
                    if (!e.diskFull()) {
                        LOG.warn("{} {}: {}", request.method(), request.uri(), e.toString(), e);
                        exchange.error(io.kedge.api.ApiException.internal("the hub failed on this request: " + e.getMessage()));
                        return;
                    }
                    LOG.warn("{} {} refused: {}", request.method(), request.uri(), e.getMessage());
                    exchange.error(io.kedge.api.ApiException.of(507, "InsufficientStorage", e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.warn("{} {}: {}", request.method(), request.uri(), e.toString(), e);
                    exchange.error(io.kedge.api.ApiException.internal("the hub failed on this request: " + e));
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("local connection: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        workers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
