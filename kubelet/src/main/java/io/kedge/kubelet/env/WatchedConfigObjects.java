package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.kubelet.ContainerConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ConfigMaps and Secrets read from one watch per object, as upstream's kubelet reads them: each pod
 * sync finds them in memory instead of asking the API. Before, every pod re-read each object on
 * every sync, so an idle node with 20 pods sent 20 GETs of {@code kube-root-ca.crt} a minute over its
 * uplink. A watch unused for a while is closed. Where a watch cannot be had (the cloud refused it, or
 * it does not list in time), the object is read directly, as before.
 */
public final class WatchedConfigObjects implements ConfigObjects, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedConfigObjects.class);
    static final Duration FIRST_LIST = Duration.ofSeconds(10);
    static final Duration UNUSED = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final DirectConfigObjects direct;
    private final Map<String, Watched<?>> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-object-watches");
        t.setDaemon(true);
        return t;
    });

    /** One object's watch: the informer, its first listing, and when it was opened and last read. */
    private static final class Watched<T extends HasMetadata> {
        final SharedIndexInformer<T> informer;
        final CompletableFuture<Void> started;
        final long opened = System.nanoTime();
        volatile long lastUsed = opened;

        Watched(SharedIndexInformer<T> informer) {
            this.informer = informer;
            this.started = informer.start().toCompletableFuture();
        }

        Optional<T> current() {
            lastUsed = System.nanoTime();
            return informer.getStore().list().stream().findFirst();
        }
    }

    public WatchedConfigObjects(KubernetesClient client) {
        this.client = client;
        this.direct = new DirectConfigObjects(client);
        sweeper.scheduleWithFixedDelay(this::closeUnused, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) throws ContainerConfigException {
        Optional<Optional<ConfigMap>> seen = read("configmaps", namespace, name,
                () -> client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0));
        return seen.isPresent() ? seen.get() : direct.configMap(namespace, name);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) throws ContainerConfigException {
        Optional<Optional<Secret>> seen = read("secrets", namespace, name,
                () -> client.secrets().inNamespace(namespace).withName(name).runnableInformer(0));
        return seen.isPresent() ? seen.get() : direct.secret(namespace, name);
    }

    /** What the object's watch holds; empty (outer) when there is no synced watch to ask. */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Optional<Optional<T>> read(String kind, String namespace, String name,
            Supplier<SharedIndexInformer<T>> open) {
        String key = kind + "/" + namespace + "/" + name;
        Watched<T> w;
        try {
            w = (Watched<T>) watched.computeIfAbsent(key, k -> new Watched<>(open.get()));
        } catch (KubernetesClientException e) {
            LOG.debug("no watch of {}: {}", key, e.getMessage());
            return Optional.empty();
        }
        // only the first reads wait for the listing; a watch that has not listed by then is not waited on again
        long wait = FIRST_LIST.toNanos() - (System.nanoTime() - w.opened);
        try {
            w.started.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("watch of {} not listed: {}", key, e.toString());
            return Optional.empty();
        }
        return Optional.of(w.current());
    }

    private void closeUnused() {
        long now = System.nanoTime();
        watched.entrySet().removeIf(e -> {
            // a watch that failed to start is tried again on the next read
            boolean failed = e.getValue().started.isCompletedExceptionally();
            if (!failed && now - e.getValue().lastUsed < UNUSED.toNanos()) {
                return false;
            }
            e.getValue().informer.close();
            return true;
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        watched.values().forEach(w -> w.informer.close());
        watched.clear();
    }
}
