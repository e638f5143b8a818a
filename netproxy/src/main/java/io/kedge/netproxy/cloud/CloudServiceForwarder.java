package io.kedge.netproxy.cloud;

import io.kedge.tunnel.Relay;
import io.kedge.tunnel.ServiceTarget;
import io.kedge.tunnel.StreamChannel;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local TCP listener per cloud Service port, on an ephemeral port of the listen address; each
 * connection it accepts becomes a {@code service/<namespace>/<name>/<port>} stream through the
 * first open tunnel, relayed both ways with back-pressure. Without an open tunnel, or when the
 * server refuses the stream, the connection is closed at once, as a client of an unreachable
 * Service sees it. The Service's traffic reaches a listener by netproxy's DNAT of its ClusterIP.
 */
public final class CloudServiceForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudServiceForwarder.class);

    private final Supplier<? extends Collection<TunnelSession>> tunnels;
    private final InetAddress listenAddress;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<ServiceTarget, Channel> listeners = new HashMap<>();
    /** The last refusal logged per target, so that a client retrying in a loop logs it once. */
    private final Map<ServiceTarget, String> lastRefusal = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param tunnels       the agent's tunnel sessions, asked on every connection (closed ones are skipped)
     * @param listenAddress a local address of the node (in production the node DNS address, 169.254.20.10)
     */
    public CloudServiceForwarder(Supplier<? extends Collection<TunnelSession>> tunnels, InetAddress listenAddress) {
        this.tunnels = tunnels;
        this.listenAddress = listenAddress;
    }

    /** A forwarder over the live sessions of the agent's tunnel clients, one per server. */
    public static CloudServiceForwarder overClients(List<TunnelClient> clients, InetAddress listenAddress) {
        List<TunnelClient> copy = List.copyOf(clients);
        return new CloudServiceForwarder(() -> copy.stream().flatMap(c -> c.session().stream()).toList(), listenAddress);
    }

    /**
     * The local address whose connections reach port {@code port} (the Service's {@code spec.ports[].port})
     * of the Service through the tunnel; the listener is created on the first call and reused after.
     * It blocks while binding, so it must not be called from an event loop.
     *
     * @throws IllegalArgumentException for an invalid namespace, Service name or port
     * @throws IllegalStateException    when the listener cannot be bound, or the forwarder is closed
     */
    public synchronized InetSocketAddress listenerFor(String namespace, String service, int port) {
        ServiceTarget target = new ServiceTarget(namespace, service, port);
        if (closed) {
            throw new IllegalStateException("the cloud service forwarder is closed");
        }
        Channel existing = listeners.get(target);
        if (existing != null && existing.isOpen()) {
            return (InetSocketAddress) existing.localAddress();
        }
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false) // nothing is read before the stream is open
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            forward(ch, target);
                        }
                    })
                    .bind(new InetSocketAddress(listenAddress, 0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the listener for " + target, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + listenAddress.getHostAddress() + " for " + target
                    + ": " + e.getMessage(), e);
        }
        listeners.put(target, listener);
        LOG.info("forwarding {} to the cloud through the tunnel", target);
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops the Service port's listener; connections already forwarded go on until they end. */
    public synchronized void release(String namespace, String service, int port) {
        ServiceTarget target = new ServiceTarget(namespace, service, port);
        Channel listener = listeners.remove(target);
        lastRefusal.remove(target);
        if (listener != null) {
            listener.close().syncUninterruptibly();
            LOG.info("no longer forwarding {}", target);
        }
    }

    /** The Service ports with a listener, and where each listens. */
    public synchronized Map<ServiceTarget, InetSocketAddress> listeners() {
        Map<ServiceTarget, InetSocketAddress> out = new HashMap<>();
        listeners.forEach((t, ch) -> out.put(t, (InetSocketAddress) ch.localAddress()));
        return out;
    }

    private void forward(SocketChannel local, ServiceTarget target) {
        Optional<TunnelSession> tunnel = tunnels.get().stream().filter(TunnelSession::isOpen).findFirst();
        if (tunnel.isEmpty()) {
            refused(target, "no tunnel to the cloud is up");
            local.close();
            return;
        }
        Future<StreamChannel> opening = tunnel.get().open(target.target(), new HoldUntilRelayed());
        opening.addListener(f -> {
            if (!f.isSuccess()) {
                refused(target, f.cause().getMessage() != null ? f.cause().getMessage() : f.cause().toString());
                local.close();
                return;
            }
            StreamChannel stream = opening.getNow();
            lastRefusal.remove(target);
            // a client that gave up while the stream was opening is noticed by the relay, which closes the stream
            Relay.attach(stream, local);
            local.eventLoop().execute(() -> Relay.attach(local, stream));
        });
    }

    private void refused(ServiceTarget target, String reason) {
        if (!reason.equals(lastRefusal.put(target, reason))) {
            LOG.warn("cannot forward a connection to {}: {} (repeats are not logged)", target, reason);
        }
    }

    /** Keeps what the far end sends first (a server greeting) queued in the stream until the relay reads it. */
    private static final class HoldUntilRelayed extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(false);
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            listeners.values().forEach(Channel::close);
            listeners.clear();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
