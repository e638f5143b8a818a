package io.kedge.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * Answers an offered stream by dialing a TCP address on the stream's own event loop and relaying
 * the stream to the connection once it is up; a dial that fails rejects the stream with the
 * address and the cause. Both ends use it: the agent for its local targets, the server for
 * cloud endpoints.
 */
public final class StreamDialer {
    static final int DIAL_TIMEOUT_MILLIS = 5_000;

    private StreamDialer() {}

    /** Dials {@code address} and relays {@code stream} to it; closing the stream first cancels the dial. */
    public static ChannelFuture dialAndRelay(StreamChannel stream, InetSocketAddress address) {
        ChannelFuture dial = new Bootstrap()
                .group(stream.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, DIAL_TIMEOUT_MILLIS)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        dial.addListener(f -> {
            if (!f.isSuccess()) {
                stream.reject("dial " + hostAndPort(address) + " for target \"" + stream.target() + "\": "
                        + f.cause().getMessage());
                return;
            }
            Relay.between(stream, dial.channel());
            stream.accept();
        });
        stream.closeFuture().addListener(c -> dial.cancel(false));
        return dial;
    }

    static String hostAndPort(InetSocketAddress address) {
        return (address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString())
                + ":" + address.getPort();
    }
}
