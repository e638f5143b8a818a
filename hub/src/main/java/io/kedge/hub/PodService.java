package io.kedge.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's endpoint for the node's pods: its HTTPS listener, its way to the cloud with pods' own
 * tokens, and the cloud's service-account key, read again every {@link #KEY_REFRESH} while the cloud
 * answers (and soon after the cloud accepted a token the hub could not check).
 */
final class PodService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodService.class);
    static final Duration KEY_REFRESH = Duration.ofMinutes(10);
    private static final Duration STALE_RETRY = Duration.ofSeconds(30);

    private final IssuerKeys keys;
    private final Supplier<CloudClient> cloud;
    private final PodCloudClient podCloud;
    private final HubServer server;
    private final ScheduledExecutorService refresher;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    /** System.nanoTime() of the last attempt to read the key, and when the next one is due. */
    private volatile long lastAttempt;
    private volatile long nextDue;
    private InetSocketAddress address;

    private PodService(IssuerKeys keys, Supplier<CloudClient> cloud, PodCloudClient podCloud) {
        this.keys = keys;
        this.cloud = cloud;
        this.podCloud = podCloud;
        this.server = new HubServer();
        this.lastAttempt = System.nanoTime() - STALE_RETRY.toNanos();
        this.nextDue = System.nanoTime();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-issuer-keys");
            t.setDaemon(true);
            return t;
        });
    }

    static PodService start(HubConfig config, HubDatabase database, HubStore store, CloudHealth health, Watches watches,
                            Runnable cloudSuspect, Supplier<CloudClient> cloud, SliceTopology slices) throws IOException {
        PodEndpoint endpoint = config.pods();
        IssuerKeys keys = IssuerKeys.load(config.dataDir());
        PodCloudClient podCloud = new PodCloudClient(config, () -> cloud.get().activeServer());
        PodService service = new PodService(keys, cloud, podCloud);
        PodApi api = new PodApi(podCloud, health, store, new PodReads(database), new PodTokens(keys, Clock.systemUTC()), watches,
                cloudSuspect, service::keysStale, config.nodeName());
        try {
            service.address = service.server.start(endpoint.address(), new ServingTls(endpoint.identity()), api::handle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.close();
            throw new IOException("interrupted while binding the pods' endpoint", e);
        } catch (RuntimeException e) {
            service.close();
            throw new IOException("the hub cannot listen for pods on " + endpoint.address().getHostString() + ":"
                    + endpoint.address().getPort() + ": " + e.getMessage() + " (the address must be on this node; "
                    + "--hub-pod-address '' turns the pods' endpoint off)", e);
        }
        slices.serveApiAt(service.address);
        LOG.info("hub serving the node's pods on https://{}:{} (kubernetes.default){}", service.address.getHostString(),
                service.address.getPort(), keys.current().isPresent() ? "" : "; the cloud's service-account key is not read yet, "
                        + "so pods' tokens can be checked offline only once it has been");
        return service;
    }

    InetSocketAddress address() {
        return address;
    }

    /** The cloud answers: the key is read again when it is due. */
    void cloudHealthy() {
        if (System.nanoTime() - nextDue >= 0) {
            refreshSoon();
        }
    }

    private void keysStale() {
        if (System.nanoTime() - lastAttempt >= STALE_RETRY.toNanos()) {
            refreshSoon();
        }
    }

    private void refreshSoon() {
        if (!refreshQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            refresher.execute(() -> {
                refreshQueued.set(false);
                lastAttempt = System.nanoTime();
                try {
                    boolean read = keys.refresh(cloud.get());
                    nextDue = System.nanoTime() + (read ? KEY_REFRESH : STALE_RETRY).toNanos();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RejectedExecutionException closing) {
            refreshQueued.set(false);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        podCloud.close();
    }
}
