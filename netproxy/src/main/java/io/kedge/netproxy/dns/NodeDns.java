package io.kedge.netproxy.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's DNS server, on UDP and TCP at one address: {@code cluster.local} answered from the
 * Services and EndpointSlices of the client it is given (the node's hub, whose cache keeps it
 * answering without the uplink), every other name forwarded to the resolvers of the node's resolv.conf.
 */
public final class NodeDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDns.class);
    /** Short, so that a Service change is seen by clients within seconds. */
    static final long CLUSTER_TTL_SECONDS = 5;
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    private static final int TCP_IDLE_SECONDS = 10;
    private static final int BIND_ATTEMPTS = 10;

    private final EventLoopGroup group;
    private final ClusterCatalog catalog;
    private final Channel udp;
    private final Channel tcp;

    private NodeDns(EventLoopGroup group, ClusterCatalog catalog, Channel udp, Channel tcp) {
        this.group = group;
        this.catalog = catalog;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Starts the informers and binds UDP and TCP at {@code bind} (port 0: a free port, the same for both).
     * Names of the cluster are answered SERVFAIL until the informers have their first lists.
     *
     * @param client     the API the Services and EndpointSlices come from (the node's hub)
     * @param bind       where to listen, 169.254.20.10:53 on a node
     * @param resolvConf the node's resolv.conf, whose nameservers get every other name; read again when it changes
     */
    public static NodeDns start(KubernetesClient client, InetSocketAddress bind, Path resolvConf) throws InterruptedException {
        return start(client, bind, resolvConf, 53);
    }

    /** As above, with the resolvers listening on {@code upstreamPort}, which only tests and benchmarks change. */
    public static NodeDns start(KubernetesClient client, InetSocketAddress bind, Path resolvConf, int upstreamPort)
            throws InterruptedException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(resolvConf, "resolvConf");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ClusterCatalog catalog = ClusterCatalog.start(client);
        try {
            ClusterZone zone = new ClusterZone(catalog, CLUSTER_TTL_SECONDS);
            Forwarder forwarder = new Forwarder(new UpstreamServers(resolvConf, bind, upstreamPort), UPSTREAM_TIMEOUT);
            QueryHandler handler = new QueryHandler(zone, forwarder);
            Channel[] channels = bindBoth(group, bind, handler);
            NodeDns dns = new NodeDns(group, catalog, channels[0], channels[1]);
            LOG.info("node DNS listening on {} (UDP and TCP), forwarding other names to the resolvers of {}", dns.address(), resolvConf);
            return dns;
        } catch (RuntimeException | InterruptedException e) {
            catalog.close();
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel[] bindBoth(EventLoopGroup group, InetSocketAddress bind, QueryHandler handler) throws InterruptedException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < (bind.getPort() == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new UdpCodec.ResponseEncoder(), new UdpCodec.QueryDecoder(), handler);
                        }
                    }).bind(bind).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
            var tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(TCP_IDLE_SECONDS), new TcpDnsQueryDecoder(),
                                    new TcpDnsResponseEncoder(), handler);
                        }
                    }).bind(new InetSocketAddress(bound.getAddress(), bound.getPort())).await();
            if (tcp.isSuccess()) {
                return new Channel[] {udp, tcp.channel()};
            }
            udp.close().sync();
            last = new IllegalStateException("node DNS cannot listen on TCP " + bound, tcp.cause());
        }
        throw last;
    }

    /** The address it listens on, UDP and TCP. */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    /** Waits until the Services and EndpointSlices are listed; false when {@code timeout} passed first. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!catalog.synced()) {
            if (Instant.now().isAfter(end)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        catalog.close();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
