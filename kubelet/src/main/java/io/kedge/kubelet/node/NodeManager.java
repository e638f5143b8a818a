package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.kubelet.RuntimeHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the kubelet: registers the Node, keeps its status, writes the CNI config once
 * the node has a pod CIDR, and mirrors static pods. The node's Lease is renewed by the hub, which
 * also measures the cloud's health with it; each status tick tells the hub that the kubelet is
 * alive, so that a dead kubelet lets the Lease go stale. Every step that fails
 * (server unreachable, conflict) is logged and tried again on the next tick; nothing here stops
 * the agent.
 *
 * <p>The status is recomputed every {@code statusCheckInterval} and whenever the Node changes,
 * and written (a strategic merge patch of the status subresource) when it differs from the
 * server's copy or {@code statusReportInterval} has passed since the last write. Ready is False,
 * with reason KubeletNotReady, while the runtime reports a problem or the pod network is not set up.
 */
public final class NodeManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeManager.class);

    private final KubernetesClient client;
    private final NodeSettings settings;
    private final RuntimeHealth runtime;
    private final Clock clock;
    private final String nodeIp;
    private final NodeStatusFactory statusFactory;
    private final NodeRegistration registration;
    private final CniConfig cni;
    private final StaticPods staticPods;
    private final ScheduledExecutorService statusTimer;
    private final Runnable alive;

    private volatile Node node;
    private volatile String networkProblem = networkNotReady("the node has no pod CIDR yet");
    private volatile Instant lastStatusWrite = Instant.EPOCH;
    private volatile SharedIndexInformer<Node> informer;
    private volatile boolean closed;
    private volatile java.util.function.Consumer<Boolean> readinessListener = ready -> { };
    /** Ready as last told to the listener; null until the first status of this process. */
    private volatile Boolean toldReady;

    /** A node manager whose liveness nobody watches; the agent gives the hub's heartbeat instead. */
    public NodeManager(KubernetesClient client, NodeSettings settings, MachineInfo machine, RuntimeHealth runtime) {
        this(client, settings, machine, runtime, () -> { }, Clock.systemUTC());
    }

    /** {@code alive} is called on every status tick, reachable cloud or not: the hub renews the Lease while it hears it. */
    public NodeManager(KubernetesClient client, NodeSettings settings, MachineInfo machine, RuntimeHealth runtime, Runnable alive) {
        this(client, settings, machine, runtime, alive, Clock.systemUTC());
    }

    NodeManager(KubernetesClient client, NodeSettings settings, MachineInfo machine, RuntimeHealth runtime, Runnable alive,
                Clock clock) {
        this.client = client;
        this.settings = settings;
        this.runtime = runtime;
        this.clock = clock;
        this.nodeIp = settings.nodeIp() != null ? settings.nodeIp() : HostAddresses.firstIpv4().orElse(null);
        this.statusFactory = new NodeStatusFactory(machine, settings.nodeName());
        this.registration = new NodeRegistration(client, settings, machine.architecture());
        this.alive = alive;
        this.cni = new CniConfig(settings.cniConfDir(), settings.dataDir().resolve("cni").resolve("networks"));
        this.staticPods = settings.podManifestDir() == null ? null : new StaticPods(client, settings.nodeName(), settings.podManifestDir());
        this.statusTimer = Executors.newSingleThreadScheduledExecutor(daemon("node-status"));
    }

    /** Starts registering and reporting, in the background; returns at once. */
    public NodeManager start() {
        statusTimer.scheduleWithFixedDelay(this::syncStatus, 0, settings.statusCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Told whether the node is Ready at its first status and at each change after (for the NodeReady event). */
    public NodeManager onReadinessChange(java.util.function.Consumer<Boolean> listener) {
        this.readinessListener = listener;
        return this;
    }

    /** The InternalIP the node reports, or null when the host has no usable IPv4 and none was given. */
    public String nodeIp() {
        return nodeIp;
    }

    /** What pods may use of this node; also what resourceFieldRef reports for unset limits. */
    public Map<String, Quantity> allocatable() {
        return statusFactory.allocatable();
    }

    /** Whether the CNI config for the node's pod CIDR is in place. */
    public boolean networkReady() {
        return networkProblem == null;
    }

    private void syncStatus() {
        if (closed) {
            return;
        }
        try {
            Node current = currentNode();
            // the first tick of this agent's life (a Node left from before gets its labels), or the Node was deleted
            if (current == null || node == null) {
                current = registration.register(status(null));
                node = current;
                startInformer();
            }
            syncNetwork(current);
            NodeStatus wanted = status(current.getStatus() == null ? null : current.getStatus().getConditions());
            Instant now = clock.instant();
            boolean due = Duration.between(lastStatusWrite, now).compareTo(settings.statusReportInterval()) >= 0;
            if (due || !NodeStatusFactory.sameState(current.getStatus(), wanted)) {
                node = client.nodes().withName(settings.nodeName()).subresource("status")
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                                client.getKubernetesSerialization().asJson(Map.of("status", wanted)));
                lastStatusWrite = now;
                logReadiness(current, wanted);
            }
            if (staticPods != null) {
                staticPods.sync(node);
            }
        } catch (RuntimeException e) {
            if (closed) {
                return; // interrupted by close()
            }
            LOG.warn("node {}: status not updated, retrying in {}: {}", settings.nodeName(), settings.statusCheckInterval(), e.toString());
        } finally {
            // after the registration above, so that the first heartbeat finds the Node the Lease is owned by
            heartbeat();
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            alive.run();
        } catch (RuntimeException e) {
            LOG.warn("node {}: the kubelet's heartbeat to the hub failed: {}", settings.nodeName(), e.toString());
        }
    }

    /** The server's Node, from the informer once it runs, so that a Node deleted by hand is registered again. */
    private Node currentNode() {
        SharedIndexInformer<Node> inf = informer;
        if (inf != null && inf.hasSynced()) {
            Node seen = inf.getStore().getByKey(settings.nodeName());
            Node written = node;
            // right after a write the informer may still hold the copy from before it (kedge's resourceVersions are ordered)
            return seen != null && written != null && isOlder(seen, written) ? written : seen;
        }
        return client.nodes().withName(settings.nodeName()).get();
    }

    private static boolean isOlder(Node a, Node b) {
        try {
            return a.getMetadata().getUid().equals(b.getMetadata().getUid())
                    && Long.parseLong(a.getMetadata().getResourceVersion()) < Long.parseLong(b.getMetadata().getResourceVersion());
        } catch (RuntimeException notComparable) {
            return false;
        }
    }

    private void startInformer() {
        if (informer != null) {
            return;
        }
        informer = client.nodes().withName(settings.nodeName()).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node obj) {
                poke();
            }

            @Override
            public void onUpdate(Node oldObj, Node newObj) {
                boolean cidrChanged = !java.util.Objects.equals(oldObj.getSpec() == null ? null : oldObj.getSpec().getPodCIDR(),
                        newObj.getSpec() == null ? null : newObj.getSpec().getPodCIDR());
                // the node's own status writes come back here too; only what others change needs a prompt answer
                if (cidrChanged || !NodeConditions.sameState(oldObj.getStatus() == null ? null : oldObj.getStatus().getConditions(),
                        newObj.getStatus() == null ? null : newObj.getStatus().getConditions())) {
                    poke();
                }
            }

            @Override
            public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
                poke();
            }
        });
    }

    private void poke() {
        try {
            statusTimer.execute(this::syncStatus);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // close() shut the timer down; nothing left to report
        }
    }

    private void syncNetwork(Node current) {
        String cidr = current.getSpec() == null ? null : current.getSpec().getPodCIDR();
        if (cidr == null || cidr.isEmpty()) {
            networkProblem = networkNotReady("the node has no pod CIDR yet");
            return;
        }
        try {
            if (cni.write(cidr)) {
                LOG.info("wrote CNI config {} for pod CIDR {}", cni.file(), cidr);
            }
            networkProblem = null;
        } catch (Exception e) {
            networkProblem = networkNotReady("couldn't write CNI config " + cni.file() + ": " + e.getMessage());
        }
    }

    private NodeStatus status(List<NodeCondition> previous) {
        List<String> problems = new ArrayList<>();
        Optional<String> runtimeProblem;
        try {
            runtimeProblem = Optional.ofNullable(runtime.problem()).flatMap(p -> p);
        } catch (RuntimeException e) {
            runtimeProblem = Optional.of("container runtime status check failed: " + e.getMessage());
        }
        runtimeProblem.ifPresent(problems::add);
        String network = networkProblem;
        if (network != null && runtimeProblem.map(p -> !p.contains("network not ready")).orElse(true)) {
            problems.add(network);
        }
        List<NodeCondition> conditions = NodeConditions.of(PressureSignals.read(settings.dataDir()), problems, previous, clock.instant());
        return statusFactory.status(conditions, nodeIp, runtimeVersion());
    }

    private void logReadiness(Node before, NodeStatus after) {
        NodeCondition was = NodeConditions.find(before.getStatus() == null ? null : before.getStatus().getConditions(), NodeConditions.READY);
        NodeCondition now = NodeConditions.find(after.getConditions(), NodeConditions.READY);
        if (was == null || !was.getStatus().equals(now.getStatus()) || !java.util.Objects.equals(was.getMessage(), now.getMessage())) {
            LOG.info("node {} is {}: {}", settings.nodeName(), "True".equals(now.getStatus()) ? "Ready" : "NotReady", now.getMessage());
        }
        boolean ready = "True".equals(now.getStatus());
        if (!Boolean.valueOf(ready).equals(toldReady)) {
            toldReady = ready;
            readinessListener.accept(ready);
        }
    }

    /** A version the runtime cannot tell (it is down) is reported empty, as upstream does. */
    private String runtimeVersion() {
        try {
            return Optional.ofNullable(runtime.runtimeVersion()).flatMap(v -> v).orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String networkNotReady(String why) {
        return "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:" + why;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        statusTimer.shutdownNow();
        SharedIndexInformer<Node> inf = informer;
        if (inf != null) {
            inf.close();
        }
        try {
            statusTimer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
