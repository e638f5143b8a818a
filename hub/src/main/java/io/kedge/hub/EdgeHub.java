package io.kedge.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EdgeHub: the node's local API endpoint ({@code http://127.0.0.1:10261}). Node components talk
 * to it as to the API server; it forwards to the cloud with the node's credentials, keeps what it
 * reads in a persistent cache, and measures the cloud's health by renewing the node's Lease. While
 * the cloud is unhealthy it answers reads from the cache, journals the node's own writes, and
 * replays them in order when the cloud is back.
 */
public final class EdgeHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHub.class);
    /** The cloud's event TTL (kube-apiserver's default): a cached event unchanged for longer is gone there too. */
    static final java.time.Duration EVENT_TTL = java.time.Duration.ofHours(1);

    private final HubConfig config;
    private final Clock clock;
    private final CloudHealth health;
    private final Watches watches = new Watches();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final ClientCertificateStatus certificate;
    private HubDatabase database;
    private HubStore store;
    private Journal journal;
    private CloudClient cloud;
    private LeaseHeartbeat lease;
    private JournalReplay replay;
    private TopologyFeed topology;
    private volatile CloudServices cloudServices;
    private HubMetrics metrics;
    private HubServer server;
    private ScheduledExecutorService timer;
    private InetSocketAddress address;
    private PodService pods;
    private SliceTopology slices;

    public EdgeHub(HubConfig config) {
        this(config, Clock.systemUTC());
    }

    EdgeHub(HubConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.health = new CloudHealth(clock);
        this.certificate = new ClientCertificateStatus(config.identity() == null ? null : config.identity().certificate());
    }

    /** The service-topology picture the hub serves EndpointSlices through. */
    UnitView topologyView() {
        return topology.view();
    }

    /** Opens the cache, starts listening and starts measuring the cloud; returns once the port is bound. */
    public synchronized EdgeHub start() throws IOException {
        database = HubDatabase.open(config.dataDir());
        store = new HubStore(database);
        journal = new Journal(database, store);
        cloud = new CloudClient(config);
        lease = new LeaseHeartbeat(cloud, health, config, clock);
        replay = new JournalReplay(journal, cloud, config.leaseTimeout().multipliedBy(5));
        metrics = new HubMetrics(health, database, store, journal, cloud, watches, certificate);
        NodeWrites writes = new NodeWrites(store, journal, watches, clock, config.nodeName());
        SliceTopology slices = new SliceTopology(watches, store, () -> topology.view(), () -> topology.awaitFirstListing(),
                () -> cloudServices);
        topology = new TopologyFeed(cloud, health, store, config.nodeName(), slices::changed).start();
        ApiHandler api = new ApiHandler(cloud, health, store, journal, watches, writes, this::checkSoon, slices);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-health");
            t.setDaemon(true);
            return t;
        });
        health.onChange(healthy -> {
            if (!healthy) {
                watches.cloudLost();
                topology.cloudLost();
            }
        });
        server = new HubServer();
        try {
            address = server.start(config.port(), (request, exchange) -> {
                if (!local(request, exchange)) {
                    api.handle(NodeScope.scoped(request, config.nodeName()), exchange);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the hub's port", e);
        } catch (RuntimeException e) {
            close();
            throw new IOException("the hub cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
        }
        this.slices = slices;
        if (config.pods() != null) {
            try {
                servePods(config.pods());
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }
        timer.scheduleWithFixedDelay(this::tick, 0, config.leaseInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::forgetOldEvents, 1, 10, TimeUnit.MINUTES);
        int pending = journal.depth();
        LOG.info("hub listening on http://{}:{} for node {}; cloud {}; cache in {}{}", address.getHostString(), address.getPort(),
                config.nodeName(), config.servers(), config.dataDir(), pending > 0 ? "; " + pending + " journaled writes to replay" : "");
        return this;
    }

    /** The kubelet is alive: the hub keeps renewing the node's Lease for {@link HubConfig#kubeletGrace()} after this. */
    /** The hub's metrics in the Prometheus text format, as its {@code /metrics} serves them. */
    public String metricsText() {
        return new String(metrics.scrape(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public void kubeletAlive() {
        if (lease != null && lease.kubeletAlive()) {
            checkSoon(); // the first heartbeat renews at once, as the kubelet itself did after registering
        }
    }

    /**
     * Starts serving the node's pods at {@code endpoint} (when {@link HubConfig#pods()} was not given:
     * the agent opens it once the node's network holds its address), and from then on serves the
     * {@code default/kubernetes} Service to the node with that endpoint.
     */
    public synchronized InetSocketAddress servePods(PodEndpoint endpoint) throws IOException {
        if (server == null) {
            throw new IllegalStateException("the hub has not been started");
        }
        if (pods != null) {
            throw new IllegalStateException("the hub already serves pods on " + pods.address());
        }
        pods = PodService.start(config.withPods(endpoint), database, store, health, watches, this::checkSoon, () -> cloud, slices);
        return pods.address();
    }

    /** Where the node's pods reach the hub (HTTPS); null when the hub serves no pods. */
    public synchronized InetSocketAddress podAddress() {
        return pods == null ? null : pods.address();
    }

    /** Where node components reach the hub. */
    public synchronized InetSocketAddress address() {
        if (address == null) {
            throw new IllegalStateException("the hub has not been started");
        }
        return address;
    }

    /** {@code http://127.0.0.1:PORT}, the URL node components are given. */
    /**
     * From now on, a Service that runs only in the cloud is served to this node's clients as an
     * EndpointSlice pointing at the agent's local relay. Watches already open see it at the next
     * change of the slice or of the picture of the units.
     */
    public void relayCloudServices(CloudServices relay) {
        this.cloudServices = relay;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + address().getPort());
    }

    public boolean cloudHealthy() {
        return health.healthy();
    }

    /** The cloud server the hub talks to now; the tunnel follows it. */
    public URI activeServer() {
        return cloud.activeServer();
    }

    /**
     * The node has a new client certificate: new connections to the cloud present it, while
     * requests and watches already open finish on theirs. The cache and local watches stay.
     */
    public void useIdentity(io.kedge.pki.IssuedCertificate identity) {
        CloudClient current;
        synchronized (this) {
            current = cloud;
        }
        if (current == null) {
            throw new IllegalStateException("the hub has not been started");
        }
        current.useIdentity(identity);
        certificate.rotated(identity.certificate(), clock.instant());
        LOG.info("hub for node {} now uses the client certificate valid until {}", config.nodeName(),
                identity.certificate().getNotAfter().toInstant());
        checkSoon();
    }

    /** The node's client certificate as the metrics and {@code kedge agent status} show it. */
    public ClientCertificateStatus certificateStatus() {
        return certificate;
    }

    /** How many health checks ran. */
    long healthChecks() {
        return lease.checks();
    }

    public int journalDepth() {
        return journal.depth();
    }

    /**
     * One health check. While the cloud is healthy, the journal is replayed first and then the
     * watches that carried local changes are closed, so that their clients relist what the cloud
     * has after the replay.
     */
    private void tick() {
        checkQueued.set(false);
        lease.check();
        if (health.healthy()) {
            if (journal.depth() > 0) {
                replayJournal();
            }
            watches.cloudBack();
            if (pods != null) {
                pods.cloudHealthy();
            }
        }
    }

    private void forgetOldEvents() {
        try {
            int forgotten = store.forgetEventsBefore(clock.instant().minus(EVENT_TTL));
            if (forgotten > 0) {
                LOG.info("forgot {} cached events unchanged for {}", forgotten, EVENT_TTL);
            }
        } catch (RuntimeException e) {
            LOG.warn("cached events not pruned: {}", e.toString());
        }
    }

    /** A forward failed to connect: measure now rather than at the next tick. */
    private void checkSoon() {
        if (checkQueued.compareAndSet(false, true)) {
            try {
                timer.execute(this::tick);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // shutting down
            }
        }
    }

    private void replayJournal() {
        try {
            replay.replay();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("journal replay failed; retrying at the next check: {}", e.toString());
        }
    }

    /** The hub's own endpoints. */
    private boolean local(HubRequest request, Exchange exchange) {
        String path = request.path().path();
        switch (path) {
            case "/healthz", "/livez" -> exchange.text(200, "text/plain", "ok");
            case "/readyz" -> exchange.text(200, "text/plain", health.healthy()
                    ? "[+]cloud ok\nok\n"
                    : "[-]cloud unreachable since " + health.since() + ": " + health.lastProblem()
                            + " (reads are answered from the cache, node writes journaled)\nok\n");
            case "/metrics" -> exchange.respond(200, Map.of("Content-Type", List.of("text/plain; version=0.0.4; charset=utf-8")),
                    metrics.scrape());
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watches.closeAll();
        if (topology != null) {
            topology.close();
        }
        if (server != null) {
            server.close();
        }
        if (pods != null) {
            pods.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        if (database != null) {
            database.close();
        }
        LOG.info("hub for node {} stopped", config.nodeName());
    }

}
