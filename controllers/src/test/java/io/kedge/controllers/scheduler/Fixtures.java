package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** In-memory nodes and pods for the algorithm tests. */
final class Fixtures {
    private Fixtures() {}

    static Node node(String name, String cpu, String memory, int pods, Map<String, String> labels, List<Taint> taints) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("kubernetes.io/hostname", name);
        l.put("kubernetes.io/os", "linux");
        l.put("kubernetes.io/arch", "amd64");
        l.putAll(labels);
        Map<String, Quantity> alloc = new HashMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity(Integer.toString(pods)), "ephemeral-storage", new Quantity("100Gi")));
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(l).endMetadata()
                .withNewSpec().withTaints(taints).endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    static Node node(String name, Map<String, String> labels) {
        return node(name, "4", "8Gi", 110, labels, List.of());
    }

    static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    /** A pod in namespace "ns" requesting {@code cpu} (or nothing when null). */
    static PodBuilder pod(String name, String cpu) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name).endMetadata();
        if (cpu == null) {
            return b.withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec();
        }
        return b.withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec();
    }

    static Pod bound(Pod p, String node) {
        p.getSpec().setNodeName(node);
        return p;
    }
}
