package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How a pod takes part in a Service's endpoints: the rules both endpoint controllers share, as upstream has them. */
final class PodEndpoints {
    static final String IPV4 = "IPv4";
    static final String IPV6 = "IPv6";

    private PodEndpoints() {}

    /** Services without a selector get endpoints from elsewhere (by hand, or mirrored), never from the controllers. */
    static boolean selects(Service service) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        return selector != null && !selector.isEmpty() && !"ExternalName".equals(service.getSpec().getType());
    }

    static boolean matches(Service service, Pod pod) {
        if (!selects(service) || !Objects.equals(service.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) {
            return false;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (Map.Entry<String, String> e : service.getSpec().getSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Terminal pods (Succeeded, Failed) and pods without an IP never count; terminating pods only
     * where the caller includes them (EndpointSlices do, with the terminating condition).
     */
    static boolean included(Pod pod, boolean includeTerminating) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        if (ips(pod).isEmpty()) {
            return false;
        }
        return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
    }

    static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static List<String> ips(Pod pod) {
        List<String> out = new ArrayList<>();
        if (pod.getStatus() == null) {
            return out;
        }
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && !ip.getIp().isEmpty()) {
                    out.add(ip.getIp());
                }
            }
        }
        String ip = pod.getStatus().getPodIP();
        if (ip != null && !ip.isEmpty() && !out.contains(ip)) {
            out.add(0, ip);
        }
        return out;
    }

    static String family(String ip) {
        return ip.contains(":") ? IPV6 : IPV4;
    }

    /** The pod's address of that family ("IPv4"/"IPv6"), or null if it has none. */
    static String ipOf(Pod pod, String family) {
        for (String ip : ips(pod)) {
            if (family(ip).equals(family)) {
                return ip;
            }
        }
        return null;
    }

    /** The address families a Service's endpoints are published in. */
    static List<String> families(Service service) {
        List<String> fams = service.getSpec().getIpFamilies();
        if (fams != null && !fams.isEmpty()) {
            return List.copyOf(fams);
        }
        String clusterIp = service.getSpec().getClusterIP();
        if (clusterIp != null && !clusterIp.isEmpty() && !"None".equals(clusterIp)) {
            return List.of(family(clusterIp));
        }
        return List.of(IPV4);
    }

    static boolean headless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    /**
     * The container port a service port sends to: a number as it is, a name looked up among the
     * pod's container ports of the same protocol. Null if the pod has no port of that name.
     */
    static Integer targetPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null || (target.getIntVal() == null && (target.getStrVal() == null || target.getStrVal().isEmpty()))) {
            return port.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String protocol = protocol(port.getProtocol());
        for (Container c : containers(pod)) {
            for (ContainerPort cp : c.getPorts()) {
                if (target.getStrVal().equals(cp.getName()) && protocol.equals(protocol(cp.getProtocol()))) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    private static List<Container> containers(Pod pod) {
        List<Container> out = new ArrayList<>(pod.getSpec().getContainers());
        // sidecars (init containers that keep running) serve ports too
        for (Container c : pod.getSpec().getInitContainers()) {
            if ("Always".equals(c.getRestartPolicy())) {
                out.add(c);
            }
        }
        return out;
    }

    static String protocol(String p) {
        return p == null || p.isEmpty() ? "TCP" : p;
    }

    /** A pod's own DNS name within the service, when its hostname and subdomain ask for one. */
    static String hostname(Pod pod, Service service) {
        String hostname = pod.getSpec().getHostname();
        if (hostname != null && !hostname.isEmpty() && service.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                && service.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
            return hostname;
        }
        return null;
    }

    static ObjectReference targetRef(Pod pod) {
        return new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
    }

    /** Whether a pod change can change any endpoints: other changes (annotations, status details) are ignored. */
    static boolean changedForEndpoints(Pod old, Pod now) {
        return !Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels())
                || !ips(old).equals(ips(now))
                || ready(old) != ready(now)
                || terminating(old) != terminating(now)
                || included(old, true) != included(now, true)
                || !Objects.equals(old.getSpec().getNodeName(), now.getSpec().getNodeName())
                || !Objects.equals(old.getSpec().getHostname(), now.getSpec().getHostname())
                || !Objects.equals(old.getSpec().getSubdomain(), now.getSpec().getSubdomain())
                || !Objects.equals(old.getSpec().getContainers(), now.getSpec().getContainers());
    }
}
