package io.kedge.netproxy.iptables;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClusterIP and NodePort Services on this node, through iptables: Services and EndpointSlices are
 * watched (from the node's hub, which already narrowed the slices to the endpoints this node may
 * use), and every burst of changes becomes one atomic restore of kedge's chains. A failed sync is
 * logged with the rule at fault and retried; the proxy keeps running.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

    private final ProxySettings settings;
    private final RuleSyncer syncer;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private final AtomicBoolean checkJumps = new AtomicBoolean(true);
    private final AtomicLong syncs = new AtomicLong();
    private volatile String lastError;
    private volatile boolean closed;

    private ServiceProxy(KubernetesClient client, ProxySettings settings) {
        this.settings = settings;
        this.syncer = new RuleSyncer(new Iptables(settings.commandPrefix()));
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kedge-service-proxy");
            t.setDaemon(true);
            return t;
        });
        // a stop does not wait for a retry that is not due yet
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.loop = executor;
    }

    /** Starts watching and syncing; returns at once, the first sync follows the first complete lists. */
    public static ServiceProxy start(KubernetesClient client, ProxySettings settings) {
        ServiceProxy proxy = new ServiceProxy(client, settings);
        proxy.services.addEventHandler(proxy.new Changed<>());
        proxy.slices.addEventHandler(proxy.new Changed<>());
        proxy.services.start();
        proxy.slices.start();
        long check = settings.checkInterval().toMillis();
        proxy.loop.scheduleWithFixedDelay(proxy::requestCheck, check, check, TimeUnit.MILLISECONDS);
        LOG.info("Service proxy of node {} started{}", settings.nodeName(),
                settings.commandPrefix().isEmpty() ? "" : " (iptables run through " + String.join(" ", settings.commandPrefix()) + ")");
        return proxy;
    }

    /** How many syncs have completed without error; a sync that found nothing to change counts too. */
    public long completedSyncs() {
        return syncs.get();
    }

    /** The message of the last failed sync, or null when the last sync succeeded. */
    public String lastError() {
        return lastError;
    }

    private void requestCheck() {
        checkJumps.set(true);
        requestSync();
    }

    private void requestSync() {
        if (!closed && syncPending.compareAndSet(false, true)) {
            loop.schedule(this::sync, settings.syncDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void sync() {
        syncPending.set(false);
        if (closed) {
            return;
        }
        if (!services.hasSynced() || !slices.hasSynced()) {
            // until both lists are in, the rules would lack Services that exist
            loop.schedule(this::requestSync, settings.syncDelay().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        List<ProxiedPort> ports = ServiceTable.build(services.getStore().list(), slices.getStore().list());
        try {
            long start = System.nanoTime();
            if (syncer.sync(ports, checkJumps.getAndSet(false))) {
                LOG.debug("Service rules of node {} applied: {} ports in {} ms", settings.nodeName(), ports.size(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            if (lastError != null) {
                LOG.info("Service rules of node {} are in place again", settings.nodeName());
            }
            lastError = null;
            syncs.incrementAndGet();
        } catch (IptablesException | RuntimeException e) {
            String message = e instanceof IptablesException ? e.getMessage() : e.toString();
            if (!message.equals(lastError)) {
                if (e instanceof IptablesException) {
                    LOG.error("syncing the Service rules of node {} failed, retrying every {} ms: {}", settings.nodeName(),
                            settings.retryInterval().toMillis(), message);
                } else {
                    LOG.error("syncing the Service rules of node {} failed, retrying every {} ms", settings.nodeName(),
                            settings.retryInterval().toMillis(), e);
                }
            }
            lastError = message;
            checkJumps.set(true);
            if (!closed) {
                loop.schedule(this::requestSync, settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops watching and removes every rule and chain the proxy installed; the same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Stops watching and removes every rule and chain the proxy installed, and the jumps to them. */
    public synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        services.stop();
        slices.stop();
        loop.shutdown();
        try {
            if (!loop.awaitTermination(70, TimeUnit.SECONDS)) {
                LOG.warn("a Service rule sync of node {} did not finish; removing the rules anyway", settings.nodeName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            syncer.removeAll();
            LOG.info("Service proxy of node {} stopped; its iptables rules are removed", settings.nodeName());
        } catch (IptablesException e) {
            LOG.error("removing the Service rules of node {} failed: {}", settings.nodeName(), e.getMessage());
        }
    }

    /** Any change of a Service or slice asks for a sync; many in a row make one. */
    private final class Changed<T> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            requestSync();
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            requestSync();
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            requestSync();
        }
    }
}
