package io.kedge.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeSet;

/**
 * The agent's answer to OPEN: dial the target's local address, and relay the stream to it once
 * connected; a target it does not know, or one that does not answer, is refused with the reason.
 */
final class LocalDialer implements StreamAcceptor {
    private static final int DIAL_TIMEOUT_MILLIS = 5_000;
    private final Map<String, InetSocketAddress> targets;

    LocalDialer(Map<String, InetSocketAddress> targets) {
        this.targets = Map.copyOf(targets);
    }

    @Override
    public void offered(StreamChannel stream, String target) {
        InetSocketAddress address = targets.get(target);
        if (address == null) {
            stream.reject("unknown target \"" + target + "\"; this agent serves " + new TreeSet<>(targets.keySet()));
            return;
        }
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
                stream.reject("dial " + (address.getAddress() != null ? address.getAddress().getHostAddress()
                        : address.getHostString()) + ":" + address.getPort() + " for target \"" + target
                        + "\": " + f.cause().getMessage());
                return;
            }
            Relay.between(stream, dial.channel());
            stream.accept();
        });
        stream.closeFuture().addListener(c -> dial.cancel(false));
    }
}
