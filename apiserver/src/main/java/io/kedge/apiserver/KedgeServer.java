package io.kedge.apiserver;

import io.kedge.apiserver.auth.Authenticator;
import io.kedge.apiserver.auth.BootstrapTokenAuthenticator;
import io.kedge.apiserver.auth.ClientCertificates;
import io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery;
import io.kedge.apiserver.auth.ServiceAccountKey;
import io.kedge.apiserver.auth.ServiceAccountTokenAuthenticator;
import io.kedge.apiserver.auth.ServiceAccountTokenIssuer;
import io.kedge.apiserver.auth.StoredObjects;
import io.kedge.apiserver.auth.TokenRequests;
import io.kedge.apiserver.auth.TokenReviews;
import io.kedge.apiserver.encryption.EncryptingStore;
import io.kedge.apiserver.encryption.EncryptionConfig;
import io.kedge.apiserver.http.AuditLog;
import io.kedge.apiserver.auth.TokenFile;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.authz.Authorization;
import io.kedge.apiserver.handlers.ApiContext;
import io.kedge.apiserver.handlers.OpenApiEndpoints;
import io.kedge.apiserver.handlers.Router;
import io.kedge.apiserver.handlers.SchemaFieldCheck;
import io.kedge.apiserver.handlers.ServerSideApply;
import io.kedge.apiserver.http.RequestHandler;
import io.kedge.apiserver.http.RequestMetrics;
import io.kedge.apiserver.http.ServerInitializer;
import io.kedge.apiserver.registry.Admission;
import io.kedge.apiserver.registry.BuiltinTypes;
import io.kedge.apiserver.registry.CustomResources;
import io.kedge.apiserver.registry.DefaultTolerationSeconds;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.NamespaceLifecycle;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.registry.CsrRequester;
import io.kedge.apiserver.registry.ServiceAccountAdmission;
import io.kedge.apiserver.registry.NodePortAllocator;
import io.kedge.apiserver.registry.ServiceIpAllocator;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CacheListener;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.WatchFilter;
import io.kedge.apiserver.tunnel.TunnelRegistry;
import io.kedge.apiserver.tunnel.Tunnels;
import io.kedge.tunnel.TunnelSettings;
import io.kedge.store.KvStore;
import io.kedge.store.HistoryRetention;
import io.kedge.store.KvStores;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cloud control plane's API server: store, caches, registry and the HTTPS endpoint. */
public final class KedgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KedgeServer.class);

    private final ServerConfig cfg;
    private KvStore store;
    private CacheHub hub;
    private HistoryRetention retention;
    private io.kedge.apiserver.registry.EventExpiry eventExpiry;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ThreadPoolExecutor handlers;
    private Channel listener;
    private Path adminKubeconfig;
    private Path controllerManagerKubeconfig;
    private Path schedulerKubeconfig;
    private Tunnels tunnels;
    private AuditLog audit;
    private Authorization authorization;
    private int port;

    public KedgeServer(ServerConfig cfg) {
        this.cfg = cfg;
    }

    public synchronized KedgeServer start() throws Exception {
        Files.createDirectories(cfg.dataDir());
        Certificates certs = Certificates.ensure(cfg);
        adminKubeconfig = certs.adminKubeconfig;
        controllerManagerKubeconfig = certs.controllerManagerKubeconfig;
        schedulerKubeconfig = certs.schedulerKubeconfig;
        // a bad encryption config stops the start before the store is opened
        EncryptionConfig encryption = cfg.encryptionConfig() == null ? null : EncryptionConfig.read(cfg.encryptionConfig());
        store = "etcd".equals(cfg.store())
                ? KvStores.openEtcd(String.join(",", cfg.etcdServers()))
                : KvStores.openSqlite(cfg.dataDir().resolve("state.db"));
        Clock clock = Clock.systemUTC();
        RequestMetrics metrics = new RequestMetrics();
        KvStore sealed = encryption == null ? store : new EncryptingStore(store, encryption);
        KvStore measured = new MeasuredStore(sealed, metrics);

        ResourceTypes types = new ResourceTypes();
        ServiceIpAllocator ips = new ServiceIpAllocator(cfg.serviceCidr());
        NodePortAllocator nodePorts = new NodePortAllocator();
        BuiltinTypes.all(ips, nodePorts).forEach(types::register);

        retention = HistoryRetention.start(store, cfg.history());
        hub = new CacheHub(measured, cfg.history());
        hub.start(lost -> {
            LOG.error("stopping: the caches can no longer follow the store; a restart reloads them");
            new Thread(() -> { close(); System.exit(1); }, "fatal-stop").start();
        });
        types.all().forEach(hub::cacheFor);
        ResourceType services = types.find("", "v1", "services").orElseThrow();
        for (CachedObject svc : hub.cacheFor(services).list(services.keyPrefix(), null, 0, new WatchFilter(null, null, null)).items()) {
            String ip = io.kedge.api.Json.trusted(svc.json()).path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None")) ips.markUsed(ip);
            io.kedge.api.Json.trusted(svc.json()).path("spec").path("ports").forEach(p -> nodePorts.markUsed(p.path("nodePort").asInt(0)));
        }

        authorization = Authorization.start(types, hub);
        ResourceType namespaces = types.find("", "v1", "namespaces").orElseThrow();
        StoredObjects objects = new StoredObjects(types, hub, measured);
        // mutating admission first, then the checks of what the result may be
        List<Admission> admission = new ArrayList<>(List.of(new NamespaceLifecycle(measured, namespaces), new DefaultTolerationSeconds(),
                new ServiceAccountAdmission(objects), new CsrRequester()));
        admission.addAll(authorization.admission());
        GenericRegistry registry = new GenericRegistry(measured, Admission.chain(admission), clock);
        authorization.aggregateClusterRoles(types, hub, registry, SystemObjects.SYSTEM);
        eventExpiry = new io.kedge.apiserver.registry.EventExpiry(registry, hub, List.of(
                types.find("", "v1", "events").orElseThrow(), types.find("events.k8s.io", "v1", "events").orElseThrow()),
                cfg.eventTtl(), clock).start();
        CustomResources crds = new CustomResources(types, measured);
        ResourceType crdType = types.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        hub.cacheFor(crdType).watch(new CacheListener(crds::apply, crds::remove), -1, hub.revision(), false);

        OpenApiEndpoints openapi = new OpenApiEndpoints(types);
        ApiContext ctx = new ApiContext(types, registry, hub, metrics, clock, new SchemaFieldCheck(openapi));
        metrics.objectCounts(() -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            hub.caches().values().forEach(c -> counts.put(c.type().groupResource(), c.size()));
            return counts;
        });

        Map<String, UserInfo> tokens = cfg.tokenFile() == null ? Map.of() : TokenFile.read(cfg.tokenFile());
        handlers = new ThreadPoolExecutor(cfg.workerThreads(), cfg.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2000), named("api-handler"));
        tunnels = new Tunnels(types, registry, hub, certs.ca, clock, TunnelSettings.DEFAULTS, authorization.authorizer());
        Router router = new Router(ctx, cfg.clientAddress() + ":" + cfg.securePort(), openapi,
                new ServerSideApply(ctx), tunnels, authorization.authorizer(), authorization.reviews());
        ServiceAccountKey saKey = ServiceAccountKey.loadOrCreate(cfg.dataDir().resolve("pki"));
        List<String> apiAudiences = List.of(ServiceAccountTokenIssuer.ISSUER);
        ClientCertificates clientCertificates = ClientCertificates.trusting(certs.ca.certificate());
        Authenticator authenticator = new Authenticator(tokens, List.of(new BootstrapTokenAuthenticator(objects, clock),
                new ServiceAccountTokenAuthenticator(saKey, objects, clock)), apiAudiences, clientCertificates);
        router.tokens(new TokenRequests(new ServiceAccountTokenIssuer(saKey, clock), objects, apiAudiences,
                        cfg.extendTokenExpiration()),
                new TokenReviews(authenticator));
        router.issuerDiscovery(new ServiceAccountIssuerDiscovery(saKey, () -> cfg.clientAddress() + ":" + port));
        RequestHandler requests = new RequestHandler(authenticator, handlers, router, metrics);
        if (cfg.auditLog() != null) {
            audit = new AuditLog(cfg.auditLog(), clock);
            requests.audited(audit);
        }

        SslContext ssl = SslContextBuilder.forServer(certs.serving.key(), certs.serving.certificate(), certs.ca.certificate())
                .sslProvider(SslProvider.JDK)
                .trustManager(clientCertificates.handshakeTrust())
                .clientAuth(ClientAuth.OPTIONAL)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        boolean epoll = Epoll.isAvailable();
        boss = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        listener = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerInitializer(ssl, requests, Math.max(1, cfg.requestBodyTimeout().toSeconds())))
                .bind(new InetSocketAddress(cfg.bindAddress(), cfg.securePort())).sync().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        certs.writeKubeconfigs(cfg, port);
        SystemObjects.ensure(types, registry, ips, cfg.clientAddress(), port);
        // the authorizer follows the caches: let it see the default roles before the components ask as themselves
        hub.waitFor(hub.storeRevision(), Duration.ofSeconds(30));
        LOG.info("serving the Kubernetes API on https://{}:{} (store: {}); admin kubeconfig: {}",
                cfg.bindAddress(), port, cfg.store(), adminKubeconfig);
        return this;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /** The controllers' kubeconfig: user {@code system:kube-controller-manager}, which RBAC grants what they need. */
    public Path controllerManagerKubeconfig() {
        return controllerManagerKubeconfig;
    }

    /** The scheduler's kubeconfig: user {@code system:kube-scheduler}. */
    public Path schedulerKubeconfig() {
        return schedulerKubeconfig;
    }

    public int port() {
        return port;
    }

    /** The nodes' tunnels to this server. */
    public TunnelRegistry tunnels() {
        return tunnels.registry();
    }

    public void awaitTermination() throws InterruptedException {
        listener.closeFuture().sync();
    }

    @Override
    public synchronized void close() {
        if (tunnels != null) tunnels.close();
        if (authorization != null) authorization.close();
        if (listener != null) listener.close().syncUninterruptibly();
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (handlers != null) handlers.shutdownNow();
        if (eventExpiry != null) eventExpiry.close();
        if (retention != null) retention.close();
        if (hub != null) hub.close();
        if (store != null) store.close();
        if (audit != null) audit.close();
    }
}
