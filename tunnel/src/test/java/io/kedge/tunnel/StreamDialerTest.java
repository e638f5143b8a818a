package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class StreamDialerTest {
    @Test
    void aDialFromTheServersEpollLoopsUsesAnEpollSocketAndConnects() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        EventLoopGroup epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (ServerSocket listening = new ServerSocket(0)) {
            Class<? extends io.netty.channel.socket.SocketChannel> type = StreamDialer.socketChannelFor(epoll.next());
            assertThat(type).isEqualTo(EpollSocketChannel.class);
            var connected = new Bootstrap().group(epoll.next()).channel(type).handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress("127.0.0.1", listening.getLocalPort())).sync();
            connected.channel().close().sync();
        } finally {
            epoll.shutdownGracefully().sync();
        }
    }

    @Test
    void aDialFromNioLoopsUsesANioSocket() throws Exception {
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThat(StreamDialer.socketChannelFor(nio.next())).isEqualTo(NioSocketChannel.class);
        } finally {
            nio.shutdownGracefully().sync();
        }
    }
}
