package io.kedge.tunnel;

import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.PemFiles;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of the tunnel to one server: it connects out, upgrades to the tunnel protocol,
 * serves the server's streams by dialing local targets, and after any failure reconnects with
 * exponential back-off and jitter. Certificate, key and CA are read from their files before every
 * attempt, so a rotated certificate is used without a restart. One client per server.
 */
public final class TunnelClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelClient.class);
    /**
     * A tunnel that lasted this long counts as a success and the back-off starts over; one that drops
     * sooner (a server that replaces it, or refuses it after the upgrade) keeps backing off.
     */
    private static final Duration STABLE = Duration.ofSeconds(30);

    private final TunnelClientConfig config;
    private final Backoff backoff;
    private final LocalDialer dialer;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger attempts = new AtomicInteger();
    private final Object lock = new Object();
    private volatile TunnelSession session;
    private volatile String lastFailure;
    private volatile Instant disconnectedAt;
    private volatile boolean started;
    private volatile boolean closed;
    private BigInteger lastSerial;
    private CountDownLatch connectedSignal = new CountDownLatch(1);

    public TunnelClient(TunnelClientConfig config) {
        this.config = config;
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), new Random());
        this.dialer = new LocalDialer(config.targets());
    }

    /** Starts connecting in the background; returns at once. */
    public TunnelClient start() {
        if (closed) {
            throw new IllegalStateException("this tunnel client is closed");
        }
        if (!started) {
            started = true;
            group.execute(this::connect);
        }
        return this;
    }

    public TunnelClientConfig config() {
        return config;
    }

    /** The live session, if the tunnel is up. */
    public Optional<TunnelSession> session() {
        TunnelSession s = session;
        return s != null && s.isOpen() ? Optional.of(s) : Optional.empty();
    }

    public boolean isConnected() {
        return session().isPresent();
    }

    /** Waits until the tunnel is up; false if it is not within the timeout. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        CountDownLatch signal;
        synchronized (lock) {
            signal = connectedSignal;
        }
        return signal.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && isConnected();
    }

    /** How many connection attempts were made so far, successful or not. */
    public int attempts() {
        return attempts.get();
    }

    /** Why the last attempt or session ended, for status and logs; null before any failure. */
    public String lastFailure() {
        return lastFailure;
    }

    private void connect() {
        if (closed) {
            return;
        }
        attempts.incrementAndGet();
        SslContext tls;
        try {
            tls = loadTls();
        } catch (IOException | RuntimeException e) {
            retry("cannot load the node's certificate files: " + e.getMessage());
            return;
        }
        String host = config.server().getHost();
        int port = config.port();
        AtomicBoolean once = new AtomicBoolean(); // one retry per attempt, whichever failure comes first
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), host, port));
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("handshake", new UpgradeHandshake(config, dialer, s -> connected(s),
                                reason -> {
                                    if (once.compareAndSet(false, true)) {
                                        retry(reason);
                                    }
                                }));
                    }
                })
                .connect(host, port)
                .addListener(f -> {
                    if (!f.isSuccess() && once.compareAndSet(false, true)) {
                        retry("cannot connect to " + host + ":" + port + ": " + f.cause().getMessage());
                    }
                });
    }

    private void connected(TunnelSession s) {
        if (closed) {
            s.close("the agent is shutting down");
            return;
        }
        session = s;
        LOG.info("tunnel to {} is up as node {} (attempt {})", config.server(), config.nodeName(), attempts.get());
        synchronized (lock) {
            connectedSignal.countDown();
        }
        s.closeFuture().addListener(f -> {
            synchronized (lock) {
                connectedSignal = new CountDownLatch(1);
            }
            disconnectedAt = Instant.now();
            if (Duration.between(s.connectedAt(), disconnectedAt).compareTo(STABLE) >= 0) {
                backoff.reset();
            }
            retry("the tunnel closed: " + s.closeReason());
        });
    }

    private void retry(String reason) {
        lastFailure = reason;
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        LOG.warn("tunnel to {}: {}; reconnecting in {} ms", config.server(), reason, delay.toMillis());
        group.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the files afresh; logs when the certificate is a new one. */
    private SslContext loadTls() throws IOException {
        IssuedCertificate identity = IssuedCertificate.readFrom(config.certFile(), config.keyFile());
        List<X509Certificate> chain = PemFiles.parseCertificates(Files.readString(config.certFile()),
                config.certFile().toString());
        List<X509Certificate> cas = PemFiles.parseCertificates(Files.readString(config.caFile()), config.caFile().toString());
        BigInteger serial = identity.certificate().getSerialNumber();
        if (lastSerial != null && !lastSerial.equals(serial)) {
            LOG.info("tunnel to {}: using the renewed certificate (serial {}, valid until {})", config.server(),
                    serial.toString(16), identity.certificate().getNotAfter().toInstant());
        }
        lastSerial = serial;
        return SslContextBuilder.forClient()
                .keyManager(identity.key(), chain.toArray(new X509Certificate[0]))
                .trustManager(cas.toArray(new X509Certificate[0]))
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** When the last session ended; null while connected or before the first one. */
    public Instant disconnectedAt() {
        return isConnected() ? null : disconnectedAt;
    }

    @Override
    public void close() {
        closed = true;
        TunnelSession s = session;
        if (s != null && s.isOpen()) {
            s.close("the agent is shutting down");
            s.closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
