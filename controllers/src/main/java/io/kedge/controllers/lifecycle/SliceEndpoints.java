package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoints a selector Service should have in EndpointSlices, per address type and per set of
 * ports (pods whose named ports resolve differently land in different slices). Terminating pods are
 * kept, flagged {@code terminating}, so that proxies can drain them.
 */
final class SliceEndpoints {
    private static final Comparator<EndpointPort> BY_PORT = Comparator.comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(EndpointPort::getPort).thenComparing(EndpointPort::getProtocol);

    /** Endpoints sharing one set of ports. */
    record Group(List<EndpointPort> ports, List<Endpoint> endpoints) {}

    private SliceEndpoints() {}

    /** @return address type ("IPv4"/"IPv6") → ports key → group, in a stable order */
    static Map<String, Map<String, Group>> of(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        Map<String, Map<String, Group>> out = new LinkedHashMap<>();
        for (String family : PodEndpoints.families(service)) {
            Map<String, Group> groups = new LinkedHashMap<>();
            out.put(family, groups);
            for (Pod pod : sorted) {
                if (!PodEndpoints.included(pod, true)) {
                    continue;
                }
                String ip = PodEndpoints.ipOf(pod, family);
                if (ip == null) {
                    continue;
                }
                List<EndpointPort> ports = ports(pod, servicePorts);
                Group g = groups.computeIfAbsent(ports.toString(), k -> new Group(ports, new ArrayList<>()));
                g.endpoints().add(endpoint(pod, service, ip, publishNotReady));
            }
        }
        return out;
    }

    static List<EndpointPort> ports(Pod pod, List<ServicePort> servicePorts) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort sp : servicePorts) {
            Integer target = PodEndpoints.targetPort(pod, sp);
            if (target != null) {
                ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(target)
                        .withProtocol(PodEndpoints.protocol(sp.getProtocol())).withAppProtocol(sp.getAppProtocol()).build());
            }
        }
        ports.sort(BY_PORT);
        return ports;
    }

    private static Endpoint endpoint(Pod pod, Service service, String ip, boolean publishNotReady) {
        boolean serving = PodEndpoints.ready(pod);
        boolean terminating = PodEndpoints.terminating(pod);
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(publishNotReady || (serving && !terminating)).withServing(serving)
                .withTerminating(terminating).endConditions()
                .withHostname(PodEndpoints.hostname(pod, service)).withNodeName(pod.getSpec().getNodeName())
                .withTargetRef(PodEndpoints.targetRef(pod)).build();
    }

    /** What identifies an endpoint from one pass to the next: its pod, else its address. */
    static String identity(Endpoint e) {
        if (e.getTargetRef() != null && e.getTargetRef().getUid() != null) {
            return e.getTargetRef().getUid();
        }
        return e.getAddresses() == null || e.getAddresses().isEmpty() ? "" : e.getAddresses().get(0);
    }
}
