package io.kedge.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Two sessions joined by a plain loopback TCP connection: an opener (server role) and an acceptor (agent role). */
final class SessionPair implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final TunnelSession opener;
    final TunnelSession acceptor;
    private final Channel listener;

    SessionPair(StreamAcceptor streams, TunnelSettings settings) throws Exception {
        this(streams, settings, settings, null);
    }

    /** With an acceptor on the opener (server) side too, for streams the agent side opens. */
    SessionPair(StreamAcceptor streams, StreamAcceptor serverStreams, TunnelSettings settings) throws Exception {
        this(streams, serverStreams, settings, settings, null);
    }

    /** With separate settings per side, and a handler put first on the opener's connection (to disturb it). */
    SessionPair(StreamAcceptor streams, TunnelSettings openerSettings, TunnelSettings acceptorSettings,
                io.netty.channel.ChannelHandler openerFirst) throws Exception {
        this(streams, StreamAcceptor.REFUSE_ALL, openerSettings, acceptorSettings, openerFirst);
    }

    private SessionPair(StreamAcceptor streams, StreamAcceptor serverStreams, TunnelSettings openerSettings,
                        TunnelSettings acceptorSettings, io.netty.channel.ChannelHandler openerFirst) throws Exception {
        CompletableFuture<TunnelSession> agent = new CompletableFuture<>();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        agent.complete(TunnelProtocol.installAgent(ch.pipeline(), "server", streams, acceptorSettings));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        CompletableFuture<TunnelSession> server = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (openerFirst != null) {
                            ch.pipeline().addLast(openerFirst);
                        }
                        server.complete(TunnelProtocol.installServer(ch.pipeline(), "edge-1", serverStreams, openerSettings));
                    }
                })
                .connect(listener.localAddress()).sync();
        opener = server.get(10, TimeUnit.SECONDS);
        acceptor = agent.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        listener.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
