package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.kubelet.ContainerEnv;
import io.kedge.kubelet.PodVolumes;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.Container;
import io.kedge.kubelet.cri.v1.ContainerFilter;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.events.EventRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod workers of one node: they watch the pods bound to the node and make containerd run
 * them, through CRI, one worker per pod. What runs is found in the runtime by CRI labels, so a
 * restarted agent adopts its running containers (same IDs, no restart), and a pod the API no
 * longer has is cleaned up. Each second the runtime is listed, and a pod whose containers changed
 * state (exited, say) is synced at once.
 */
public final class PodSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodSync.class);
    private static final Duration RELIST_PERIOD = Duration.ofSeconds(1);
    private static final long INFORMER_RESYNC_MILLIS = 60_000;
    /**
     * A node's address rarely changes, and every read is a whole Node over the uplink: on the bed, 20
     * pod workers refreshing it at once cost an idle node 1.4 KB/s in that minute.
     */
    private static final Duration HOST_IP_REFRESH = Duration.ofMinutes(5);
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final KubernetesClient client;
    private final String nodeName;
    private final CriRuntime runtime;
    private final PodSyncer syncer;
    private final PodWorkers workers;
    private final ProbeManager probes;
    private final ExecutorService workerPool;
    private final ExecutorService stopPool;
    private final ScheduledExecutorService timer;
    /** Closed with the pod workers when they made it themselves. */
    private final EventRecorder ownEvents;
    private static final String UID_INDEX = "uid";
    private Map<String, String> lastRelist = Map.of();
    private Set<String> lastOrphans = Set.of();
    private volatile SharedIndexInformer<Pod> informer;
    private volatile String hostIp;
    private volatile long hostIpReadAt;
    private final Object hostIpLock = new Object();
    private volatile String lastRelistProblem;

    private PodSync(KubernetesClient client, String nodeName, Path dataDir, CriRuntime runtime, PodVolumes volumes,
            ContainerEnv env, Path resolvConf, String nodeDns, EventRecorder givenEvents) {
        this.client = client;
        this.ownEvents = givenEvents == null ? EventRecorder.start(client, nodeName) : null;
        EventRecorder events = givenEvents == null ? ownEvents : givenEvents;
        this.nodeName = nodeName;
        this.runtime = runtime;
        Clock clock = Clock.systemUTC();
        this.workerPool = Executors.newCachedThreadPool(daemon("pod-worker"));
        this.stopPool = Executors.newCachedThreadPool(daemon("pod-stop"));
        this.timer = Executors.newScheduledThreadPool(1, daemon("pod-timer"));
        PodDirs dirs = new PodDirs(dataDir);
        RestartBackoff backoff = new RestartBackoff(clock);
        ActionRunner actions = new ActionRunner(runtime);
        ImagePuller images = new ImagePuller(runtime, client, backoff, clock, events);
        SandboxManager sandboxes = new SandboxManager(runtime, dirs, new PodDns(resolvConf, nodeDns));
        ContainerStarter starter = new ContainerStarter(runtime, images, new ContainerConfigFactory(nodeMemoryBytes()), env,
                dirs, actions, events);
        PodTerminator terminator = new PodTerminator(runtime, sandboxes, volumes, dirs, actions, stopPool, events);
        this.workers = new PodWorkers(this::syncOne, workerPool, timer);
        this.probes = new ProbeManager(actions, timer, workerPool, workers::enqueue, events);
        this.syncer = new PodSyncer(client, runtime, sandboxes, starter, terminator, volumes, images, backoff, probes,
                new PodStatusWriter(client), this::hostIp, clock, workers::enqueueAfter, events);
    }

    /**
     * @param client   the API (the hub on an edge node)
     * @param nodeName the node whose pods (spec.nodeName) this runs
     * @param dataDir  where pod logs and termination messages go, under {@code pods/<uid>/}
     * @param runtime  the node's containerd
     */
    public static PodSync create(KubernetesClient client, String nodeName, Path dataDir, CriRuntime runtime, PodVolumes volumes,
            ContainerEnv env) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(env, "env");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("PodSync needs the name of its node, got \"" + nodeName + "\"");
        }
        return create(client, nodeName, dataDir, runtime, volumes, env, HOST_RESOLV_CONF);
    }

    /** As above, with the resolv.conf that pods with dnsPolicy Default and ClusterFirst start from. */
    public static PodSync create(KubernetesClient client, String nodeName, Path dataDir, CriRuntime runtime, PodVolumes volumes,
            ContainerEnv env, Path resolvConf) {
        return create(client, nodeName, dataDir, runtime, volumes, env, resolvConf, null);
    }

    /**
     * As above, with the node DNS's address (169.254.20.10) that ClusterFirst pods get as their
     * nameserver; null keeps every pod on the host's resolv.conf.
     */
    public static PodSync create(KubernetesClient client, String nodeName, Path dataDir, CriRuntime runtime, PodVolumes volumes,
            ContainerEnv env, Path resolvConf, String nodeDns) {
        return new PodSync(client, nodeName, dataDir, runtime, volumes, env, resolvConf, nodeDns, null);
    }

    /** As above, posting the pods' events through {@code events}, which the caller closes. */
    public static PodSync create(KubernetesClient client, String nodeName, Path dataDir, CriRuntime runtime, PodVolumes volumes,
            ContainerEnv env, Path resolvConf, String nodeDns, EventRecorder events) {
        return new PodSync(client, nodeName, dataDir, runtime, volumes, env, resolvConf, nodeDns,
                Objects.requireNonNull(events, "events"));
    }

    /** Starts watching the node's pods and the runtime; returns without waiting for the first list. */
    public synchronized PodSync start() {
        if (informer != null) {
            throw new IllegalStateException("PodSync for node " + nodeName + " is already started");
        }
        SharedIndexInformer<Pod> inf = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName)
                .runnableInformer(INFORMER_RESYNC_MILLIS);
        inf.addIndexers(Map.of(UID_INDEX, pod -> List.of(PodSpecs.uid(pod))));
        inf.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                workers.enqueue(PodSpecs.uid(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (worthSyncing(old, pod)) {
                    workers.enqueue(PodSpecs.uid(pod));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                workers.enqueue(PodSpecs.uid(pod));
            }
        });
        informer = inf;
        inf.start();
        timer.scheduleWithFixedDelay(this::relist, RELIST_PERIOD.toMillis(), RELIST_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("pod workers of node {} started", nodeName);
        return this;
    }

    /**
     * Our own status writes come back as updates; only a change of what the pod asks for, or the
     * informer's periodic resync (same resourceVersion), needs a sync.
     */
    private static boolean worthSyncing(Pod old, Pod pod) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
            return true;
        }
        return !Objects.equals(old.getSpec(), pod.getSpec())
                || !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
                || !Objects.equals(old.getMetadata().getDeletionGracePeriodSeconds(), pod.getMetadata().getDeletionGracePeriodSeconds())
                || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
                || !Objects.equals(old.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations())
                || !Objects.equals(old.getStatus() == null ? null : old.getStatus().getPhase(),
                        pod.getStatus() == null ? null : pod.getStatus().getPhase());
    }

    /**
     * The pod as the informer's store has it. The store, not a map kept by the event handlers: the
     * handlers may run after the informer reports itself synced, and a running pod missing from such
     * a map for that moment would be taken for one the API no longer has, and its containers removed
     * (found on the bed after a kill -9 of the agent).
     */
    private Pod cached(String uid) {
        SharedIndexInformer<Pod> inf = informer;
        if (inf == null) {
            return null;
        }
        List<Pod> found = inf.getIndexer().byIndex(UID_INDEX, uid);
        return found.isEmpty() ? null : found.get(0);
    }

    private boolean syncOne(String uid) {
        SharedIndexInformer<Pod> inf = informer;
        Pod pod = cached(uid);
        if (pod == null && (inf == null || !inf.hasSynced())) {
            // until the first list, a pod missing from the cache may just not be listed yet
            workers.enqueueAfter(uid, RELIST_PERIOD);
            return true;
        }
        return syncer.sync(uid, pod);
    }

    /** Lists the runtime's sandboxes and containers, and syncs each pod whose part of it changed, or that the API lacks. */
    private void relist() {
        Map<String, String> now;
        try {
            now = runtimeFingerprints();
            lastRelistProblem = null;
        } catch (CriException e) {
            if (!Objects.equals(e.getMessage(), lastRelistProblem)) {
                LOG.warn("listing the container runtime failed: {}", e.getMessage());
                lastRelistProblem = e.getMessage();
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("listing the container runtime failed", e);
            return;
        }
        Set<String> uids = new HashSet<>(now.keySet());
        uids.addAll(lastRelist.keySet());
        SharedIndexInformer<Pod> inf = informer;
        Set<String> orphans = new HashSet<>();
        if (inf != null && inf.hasSynced()) {
            now.keySet().stream().filter(uid -> cached(uid) == null).forEach(orphans::add);
        }
        for (String uid : uids) {
            // an orphan is synced once when found; that sync removes it, or a later change syncs it again
            if (!Objects.equals(now.get(uid), lastRelist.get(uid)) || (orphans.contains(uid) && !lastOrphans.contains(uid))) {
                workers.enqueue(uid);
            }
        }
        lastRelist = now;
        lastOrphans = orphans;
    }

    /** Per pod uid, a string of its sandboxes' and containers' IDs and states; equal strings mean nothing changed. */
    private Map<String, String> runtimeFingerprints() {
        Map<String, TreeMap<String, String>> byUid = new HashMap<>();
        for (PodSandbox s : runtime.listPodSandboxes(Map.of())) {
            String uid = s.getLabelsMap().get(RuntimeLabels.POD_UID);
            if (uid != null) {
                byUid.computeIfAbsent(uid, k -> new TreeMap<>()).put(s.getId(), s.getState().name());
            }
        }
        List<Container> containers = runtime.listContainers(ContainerFilter.getDefaultInstance());
        for (Container c : containers) {
            String uid = c.getLabelsMap().get(RuntimeLabels.POD_UID);
            if (uid != null) {
                byUid.computeIfAbsent(uid, k -> new TreeMap<>()).put(c.getId(), c.getState().name());
            }
        }
        Map<String, String> out = new HashMap<>();
        byUid.forEach((uid, states) -> out.put(uid, states.toString()));
        return out;
    }

    /** The node's InternalIP (else its first address) from its Node object, re-read by one worker every 5 minutes. */
    private String hostIp() {
        long now = System.nanoTime();
        if (hostIp != null && now - hostIpReadAt < HOST_IP_REFRESH.toNanos()) {
            return hostIp;
        }
        synchronized (hostIpLock) {
            if (hostIp != null && System.nanoTime() - hostIpReadAt < HOST_IP_REFRESH.toNanos()) {
                return hostIp;
            }
            return readHostIp(now);
        }
    }

    private String readHostIp(long now) {
        try {
            Node node = client.nodes().withName(nodeName).get();
            if (node != null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
                List<NodeAddress> addresses = node.getStatus().getAddresses();
                hostIp = addresses.stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).findFirst()
                        .orElse(addresses.isEmpty() ? hostIp : addresses.get(0).getAddress());
            }
            hostIpReadAt = now;
        } catch (KubernetesClientException e) {
            LOG.debug("node {} unreadable for its address: {}", nodeName, e.getMessage());
        }
        return hostIp;
    }

    private static long nodeMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("no /proc/meminfo: {}", e.toString());
        }
        return 0;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops watching and syncing; the pods' containers keep running, to be adopted by the next start. */
    @Override
    public synchronized void close() {
        workers.close();
        if (informer != null) {
            informer.close();
        }
        probes.close();
        timer.shutdownNow();
        workerPool.shutdownNow();
        stopPool.shutdownNow();
        try {
            workerPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownEvents != null) {
            ownEvents.close();
        }
        LOG.info("pod workers of node {} stopped", nodeName);
    }
}
