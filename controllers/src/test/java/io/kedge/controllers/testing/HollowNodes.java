package io.kedge.controllers.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST UTILITY, not a kubelet: hollow nodes that stand in for real nodes in controller tests and
 * scale benchmarks. They register Nodes with capacity and labels, renew their Leases, and move the
 * pods bound to them to Running and Ready through the status subresource, without running anything.
 *
 * <p>A pod annotated {@code hollow.kedge.io/exit-code} ends Succeeded (0) or Failed (other) instead,
 * so that Jobs can complete or fail. A pod being deleted is confirmed at once, as a kubelet would
 * after its containers stopped.
 */
public final class HollowNodes implements AutoCloseable {
    public static final String EXIT_CODE_ANNOTATION = "hollow.kedge.io/exit-code";

    /** What each hollow node looks like. */
    public record Spec(String namePrefix, int count, String cpu, String memory, int pods,
                       Map<String, String> labels, List<Taint> taints) {
        public static Spec of(String namePrefix, int count) {
            return new Spec(namePrefix, count, "4", "8Gi", 110, Map.of(), List.of());
        }

        public Spec withLabels(Map<String, String> l) {
            return new Spec(namePrefix, count, cpu, memory, pods, l, taints);
        }

        public Spec withTaints(List<Taint> t) {
            return new Spec(namePrefix, count, cpu, memory, pods, labels, t);
        }

        public Spec withCapacity(String c, String m, int p) {
            return new Spec(namePrefix, count, c, m, p, labels, taints);
        }
    }

    private final KubernetesClient client;
    private final Spec spec;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hollow-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger podIps = new AtomicInteger();
    private SharedIndexInformer<Pod> pods;

    public HollowNodes(KubernetesClient client, Spec spec) {
        this.client = client;
        this.spec = spec;
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    public HollowNodes start() {
        for (int i = 0; i < spec.count(); i++) {
            String name = spec.namePrefix() + "-" + i;
            names.add(name);
            client.nodes().resource(node(name)).serverSideApply();
            postStatus(name);
        }
        renewLeases();
        heartbeat.scheduleAtFixedRate(this::renewLeases, 10, 10, TimeUnit.SECONDS);
        pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { handle(p); }
            @Override public void onUpdate(Pod o, Pod p) { handle(p); }
            @Override public void onDelete(Pod p, boolean unknown) { }
        });
        return this;
    }

    /** Controllers (IPAM, lifecycle) may write the new Node between the read and the status write. */
    private void postStatus(String name) {
        for (int attempt = 1; ; attempt++) {
            Node current = client.nodes().withName(name).get();
            current.setStatus(node(name).getStatus());
            try {
                client.nodes().resource(current).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** Stops renewing a node's Lease, as if it lost power or its uplink. */
    public void stopHeartbeat(String node) {
        silenced.add(node);
    }

    public void resumeHeartbeat(String node) {
        silenced.remove(node);
        renewLeases();
    }

    private Node node(String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.putAll(spec.labels());
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(spec.cpu()), "memory", new Quantity(spec.memory()),
                "pods", new Quantity(Integer.toString(spec.pods())), "ephemeral-storage", new Quantity("100Gi"));
        String now = now();
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(spec.taints()).endSpec()
                .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("hollow node is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewAddress().withType("InternalIP").withAddress("192.0.2." + (names.size() % 250 + 1)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux").withKubeletVersion("v1.35.0-hollow")
                .withContainerRuntimeVersion("hollow://0").withOsImage("hollow").withKernelVersion("0").endNodeInfo()
                .endStatus().build();
    }

    private void renewLeases() {
        for (String name : names) {
            if (silenced.contains(name)) {
                continue;
            }
            try {
                Lease lease = new LeaseBuilder().withNewMetadata().withName(name).withNamespace("kube-node-lease").endMetadata()
                        .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40)
                        .withRenewTime(ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS))
                        .endSpec().build();
                client.leases().inNamespace("kube-node-lease").resource(lease).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                // the next beat tries again
            }
        }
    }

    private void handle(Pod p) {
        String node = p.getSpec().getNodeName();
        if (node == null || !names.contains(node) || silenced.contains(node)) {
            return;
        }
        try {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                        .withGracePeriod(0).delete();
                return;
            }
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if (!"Pending".equals(phase) && phase != null) {
                return;
            }
            String exit = p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(EXIT_CODE_ANNOTATION);
            String now = now();
            boolean finished = exit != null;
            boolean ok = "0".equals(exit);
            List<PodCondition> conditions = new ArrayList<>();
            for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
                boolean value = type.equals("PodScheduled") || type.equals("Initialized") || !finished;
                conditions.add(new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False")
                        .withLastTransitionTime(now).build());
            }
            int n = podIps.incrementAndGet();
            var status = p.getStatus();
            status.setPhase(finished ? (ok ? "Succeeded" : "Failed") : "Running");
            status.setConditions(conditions);
            status.setHostIP("192.0.2.1");
            status.setPodIP("10.42." + ((n / 250) % 250) + "." + (n % 250 + 1));
            status.setStartTime(now);
            List<io.fabric8.kubernetes.api.model.ContainerStatus> cs = new ArrayList<>();
            for (var c : p.getSpec().getContainers()) {
                var b = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withImageID("hollow://" + c.getImage()).withReady(!finished).withRestartCount(0).withStarted(!finished);
                if (finished) {
                    b.withNewState().withNewTerminated().withExitCode(Integer.parseInt(exit)).withReason(ok ? "Completed" : "Error")
                            .withStartedAt(now).withFinishedAt(now).endTerminated().endState();
                } else {
                    b.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
                }
                cs.add(b.build());
            }
            status.setContainerStatuses(cs);
            client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).updateStatus();
        } catch (KubernetesClientException e) {
            // a conflict or a pod gone meanwhile: the next event for it brings its current state
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (pods != null) {
            pods.close();
        }
    }
}
