package io.kedge.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers an offered stream by dialing a TCP address on the stream's own event loop and relaying
 * the stream to the connection once it is up; a dial that fails rejects the stream with the
 * address and the cause (after trying the other candidates, when there are several). Both ends use it: the agent for its local targets, the server for
 * cloud endpoints.
 */
public final class StreamDialer {
    static final int DIAL_TIMEOUT_MILLIS = 5_000;

    private StreamDialer() {}

    /** Dials {@code address} and relays {@code stream} to it; closing the stream first cancels the dial. */
    public static void dialAndRelay(StreamChannel stream, InetSocketAddress address) {
        dialAndRelay(stream, List.of(address));
    }

    /**
     * Dials the candidates in order until one answers, and relays {@code stream} to it; when none
     * does, the stream is rejected with every address tried and why it failed.
     */
    public static void dialAndRelay(StreamChannel stream, List<InetSocketAddress> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no address to dial for target \"" + stream.target() + "\"");
        }
        dialNext(stream, List.copyOf(candidates), 0, new ArrayList<>());
    }

    /** The dialed socket shares the stream's event loop, so it must be of that loop's kind: epoll on the server, NIO elsewhere. */
    static Class<? extends io.netty.channel.socket.SocketChannel> socketChannelFor(io.netty.channel.EventLoop loop) {
        return loop instanceof io.netty.channel.IoEventLoop io && io.isIoType(io.netty.channel.epoll.EpollIoHandler.class)
                ? io.netty.channel.epoll.EpollSocketChannel.class : NioSocketChannel.class;
    }

    private static void dialNext(StreamChannel stream, List<InetSocketAddress> candidates, int index, List<String> failures) {
        InetSocketAddress address = candidates.get(index);
        ChannelFuture dial = new Bootstrap()
                .group(stream.eventLoop())
                .channel(socketChannelFor(stream.eventLoop()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, DIAL_TIMEOUT_MILLIS)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        GenericFutureListener<Future<Void>> cancel = c -> dial.cancel(false);
        stream.closeFuture().addListener(cancel);
        dial.addListener(f -> {
            stream.closeFuture().removeListener(cancel);
            if (f.isSuccess()) {
                Relay.between(stream, dial.channel());
                stream.accept();
                return;
            }
            if (!stream.isOpen()) {
                return;
            }
            failures.add(hostAndPort(address) + ": " + f.cause().getMessage());
            if (index + 1 < candidates.size()) {
                dialNext(stream, candidates, index + 1, failures);
            } else if (candidates.size() == 1) {
                stream.reject("dial " + hostAndPort(address) + " for target \"" + stream.target() + "\": " + f.cause().getMessage());
            } else {
                stream.reject("dial for target \"" + stream.target() + "\": every endpoint failed: " + String.join("; ", failures));
            }
        });
    }

    static String hostAndPort(InetSocketAddress address) {
        return (address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString())
                + ":" + address.getPort();
    }
}
