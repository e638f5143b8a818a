package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the scheduler needs of one pod, computed once: its requests, host ports and affinity terms. */
final class PodInfo {
    private final Pod pod;
    private final String uid;
    private final String namespace;
    private final String name;
    private final Map<String, String> labels;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<AffinityTerm> preferredAffinity;
    private final List<AffinityTerm> preferredAntiAffinity;
    private final boolean terminating;

    /** A host port a container binds on its node; an empty host IP means every address. */
    record HostPort(String ip, String protocol, int port) {
        static final String ANY_IP = "0.0.0.0";

        boolean conflictsWith(HostPort used) {
            return port == used.port && protocol.equals(used.protocol)
                    && (ip.equals(ANY_IP) || used.ip.equals(ANY_IP) || ip.equals(used.ip));
        }
    }

    private PodInfo(Pod pod, Map<String, String> labels, Resources requests, Resources nonZeroRequests, List<HostPort> hostPorts,
                    List<List<AffinityTerm>> terms) {
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        // pods built in memory (benchmarks, tests) may have no uid yet; their key is unique enough there
        String u = pod.getMetadata().getUid();
        this.uid = u == null || u.isEmpty() ? namespace + "/" + name : u;
        this.labels = labels;
        this.requests = requests;
        this.nonZeroRequests = nonZeroRequests;
        this.hostPorts = hostPorts;
        this.requiredAffinity = terms.get(0);
        this.requiredAntiAffinity = terms.get(1);
        this.preferredAffinity = terms.get(2);
        this.preferredAntiAffinity = terms.get(3);
        this.terminating = pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** @throws IllegalArgumentException with the pod's name and the offending field if its spec cannot be read */
    static PodInfo of(Pod pod) {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null) {
            throw new IllegalArgumentException("pod without metadata.name");
        }
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        String what = "pod " + ns + "/" + pod.getMetadata().getName();
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            throw new IllegalArgumentException(what + ": no spec");
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        return new PodInfo(pod, labels, PodRequests.of(spec, what), PodRequests.nonZero(spec, what), hostPorts(spec),
                affinityTerms(spec, ns, labels, what));
    }

    private static List<HostPort> hostPorts(PodSpec spec) {
        List<HostPort> ports = new ArrayList<>();
        List<Container> running = new ArrayList<>(spec.getContainers() == null ? List.of() : spec.getContainers());
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(running::add);
        }
        for (Container c : running) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? HostPort.ANY_IP : p.getHostIP();
                    String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
                    ports.add(new HostPort(ip, protocol, p.getHostPort()));
                }
            }
        }
        return List.copyOf(ports);
    }

    private static List<List<AffinityTerm>> affinityTerms(PodSpec spec, String ns, Map<String, String> labels, String what) {
        List<AffinityTerm> reqAff = new ArrayList<>();
        List<AffinityTerm> reqAnti = new ArrayList<>();
        List<AffinityTerm> prefAff = new ArrayList<>();
        List<AffinityTerm> prefAnti = new ArrayList<>();
        Affinity a = spec.getAffinity();
        if (a != null && a.getPodAffinity() != null) {
            required(a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), reqAff, ns, labels, what + " podAffinity");
            preferred(a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), prefAff, ns, labels, what + " podAffinity");
        }
        if (a != null && a.getPodAntiAffinity() != null) {
            required(a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), reqAnti, ns, labels,
                    what + " podAntiAffinity");
            preferred(a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), prefAnti, ns, labels,
                    what + " podAntiAffinity");
        }
        return List.of(List.copyOf(reqAff), List.copyOf(reqAnti), List.copyOf(prefAff), List.copyOf(prefAnti));
    }

    private static void required(List<PodAffinityTerm> terms, List<AffinityTerm> out, String ns, Map<String, String> labels,
                                 String what) {
        if (terms != null) {
            for (PodAffinityTerm t : terms) {
                out.add(AffinityTerm.of(t, 0, ns, labels, what));
            }
        }
    }

    private static void preferred(List<WeightedPodAffinityTerm> terms, List<AffinityTerm> out, String ns,
                                  Map<String, String> labels, String what) {
        if (terms != null) {
            for (WeightedPodAffinityTerm t : terms) {
                if (t.getPodAffinityTerm() != null && t.getWeight() != null && t.getWeight() != 0) {
                    out.add(AffinityTerm.of(t.getPodAffinityTerm(), t.getWeight(), ns, labels, what));
                }
            }
        }
    }

    Pod pod() { return pod; }
    String uid() { return uid; }
    String namespace() { return namespace; }
    Map<String, String> labels() { return labels; }
    Resources requests() { return requests; }
    Resources nonZeroRequests() { return nonZeroRequests; }
    List<HostPort> hostPorts() { return hostPorts; }
    List<AffinityTerm> requiredAffinity() { return requiredAffinity; }
    List<AffinityTerm> requiredAntiAffinity() { return requiredAntiAffinity; }
    List<AffinityTerm> preferredAffinity() { return preferredAffinity; }
    List<AffinityTerm> preferredAntiAffinity() { return preferredAntiAffinity; }
    boolean terminating() { return terminating; }

    boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty() || !preferredAffinity.isEmpty()
                || !preferredAntiAffinity.isEmpty();
    }

    String key() {
        return namespace + "/" + name;
    }
}
