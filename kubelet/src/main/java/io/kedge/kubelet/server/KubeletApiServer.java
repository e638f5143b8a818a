package io.kedge.kubelet.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.RenewableCertificate;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's kubelet API over HTTPS (port 10250 by default): container logs, exec, attach,
 * port-forward and stats. Clients prove themselves with a certificate from the cluster's CA.
 */
public final class KubeletApiServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 10250;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ExecutorService logThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubelet-logs");
        t.setDaemon(true);
        return t;
    });
    private Channel channel;

    private KubeletApiServer() {}

    /**
     * Listens on the address; the serving identity is the node's, and {@code clientCa} is the
     * cluster CA whose client certificates are let in.
     */
    public static KubeletApiServer start(InetSocketAddress address, PrivateKey key, X509Certificate[] chain,
                                         X509Certificate clientCa, NodeContainers containers) throws InterruptedException {
        return start(address, new RenewableCertificate(new IssuedCertificate(chain[0], key)), clientCa, containers);
    }

    /**
     * Listens on the address with the node's serving certificate as it is when each connection
     * arrives: a rotated one serves new connections, and open ones keep theirs.
     */
    public static KubeletApiServer start(InetSocketAddress address, RenewableCertificate serving, X509Certificate clientCa,
                                         NodeContainers containers) throws InterruptedException {
        KubeletApiServer server = new KubeletApiServer();
        ServingTls tls;
        try {
            tls = new ServingTls(serving, clientCa);
        } catch (IllegalArgumentException e) {
            server.close();
            throw e;
        }
        KubeletApiHandler router = new KubeletApiHandler(containers, server.logThreads, Clock.systemUTC());
        try {
            server.channel = new ServerBootstrap()
                    .group(server.group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new KubeletApiInitializer(tls::context, router))
                    .bind(address).sync().channel();
        } catch (Exception e) {
            // bind errors arrive unchecked from sync(), so close on anything
            server.close();
            throw e;
        }
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        logThreads.shutdownNow();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
