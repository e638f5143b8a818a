package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Everything the far end of a local connection received, complete once that connection closed. */
    private static final class Received extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> whenClosed = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            b.release();
            bytes.writeBytes(chunk);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            whenClosed.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** A loopback connection whose near end lives on {@code loop}; {@code far} reads the other end. */
    private Channel connect(EventLoop loop, Received far) throws InterruptedException {
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(far);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(listener.localAddress()).sync().channel();
    }

    @Test
    void aPeerThatWroteAndClosedOnAnotherLoopBeforeTheRelayWasAttachedStillDeliversEveryByte() throws Exception {
        EventLoop fromLoop = group.next();
        EventLoop toLoop = group.next();
        assertThat(fromLoop).isNotSameAs(toLoop);
        Received client = new Received();
        Channel from = connect(fromLoop, client);
        Channel to = connect(toLoop, new Received());

        // Hold from's loop, queue the attach there, then let the peer write to from and close on its own
        // loop: the attach finds the peer closed while the peer's last write still waits in the queue.
        CountDownLatch hold = new CountDownLatch(1);
        fromLoop.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fromLoop.execute(() -> Relay.attach(from, to));
        toLoop.submit(() -> to.close().syncUninterruptibly()).sync();
        toLoop.execute(() -> {
            from.writeAndFlush(Unpooled.copiedBuffer("the last words", StandardCharsets.UTF_8));
            Relay.closeAfterFlush(from);
        });
        hold.countDown();

        assertThat(client.whenClosed.get(10, TimeUnit.SECONDS)).isEqualTo("the last words");
    }
}
