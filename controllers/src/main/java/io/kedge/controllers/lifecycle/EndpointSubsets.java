package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subsets of a Service's Endpoints object: one subset per distinct set of ports, ready pods in
 * {@code addresses}, the others in {@code notReadyAddresses}, everything sorted so that the same
 * pods always give the same object. Capped at {@link #MAX_ADDRESSES}, ready addresses first.
 */
final class EndpointSubsets {
    static final int MAX_ADDRESSES = 1000;
    private static final Comparator<EndpointAddress> BY_ADDRESS = Comparator.comparing(EndpointAddress::getIp)
            .thenComparing(a -> a.getTargetRef() == null ? "" : a.getTargetRef().getName());
    private static final Comparator<EndpointPort> BY_PORT = Comparator.comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
            .thenComparing(EndpointPort::getPort).thenComparing(EndpointPort::getProtocol);

    /** The subsets, and whether some addresses had to be left out. */
    record Result(List<EndpointSubset> subsets, boolean truncated) {}

    private EndpointSubsets() {}

    static Result of(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        String family = PodEndpoints.families(service).get(0);
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        // key: the sorted ports, as text; value: [ready, notReady]
        Map<String, List<EndpointPort>> portsOf = new TreeMap<>();
        Map<String, List<List<EndpointAddress>>> addressesOf = new TreeMap<>();
        for (Pod pod : pods) {
            if (!PodEndpoints.included(pod, publishNotReady)) {
                continue;
            }
            String ip = PodEndpoints.ipOf(pod, family);
            if (ip == null) {
                continue;
            }
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort sp : servicePorts) {
                Integer target = PodEndpoints.targetPort(pod, sp);
                if (target != null) {
                    ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(target)
                            .withProtocol(PodEndpoints.protocol(sp.getProtocol())).withAppProtocol(sp.getAppProtocol()).build());
                }
            }
            if (ports.isEmpty() && !(servicePorts.isEmpty() && PodEndpoints.headless(service))) {
                continue; // none of the service's ports resolves on this pod
            }
            ports.sort(BY_PORT);
            String key = ports.toString();
            portsOf.putIfAbsent(key, ports);
            List<List<EndpointAddress>> lists = addressesOf.computeIfAbsent(key, k -> List.of(new ArrayList<>(), new ArrayList<>()));
            EndpointAddress address = new EndpointAddressBuilder().withIp(ip).withNodeName(pod.getSpec().getNodeName())
                    .withHostname(PodEndpoints.hostname(pod, service)).withTargetRef(PodEndpoints.targetRef(pod)).build();
            lists.get(publishNotReady || PodEndpoints.ready(pod) ? 0 : 1).add(address);
        }
        Map<String, EndpointSubset> subsets = new LinkedHashMap<>();
        int ready = 0;
        int notReady = 0;
        for (Map.Entry<String, List<List<EndpointAddress>>> e : addressesOf.entrySet()) {
            List<EndpointAddress> r = new ArrayList<>(e.getValue().get(0));
            List<EndpointAddress> n = new ArrayList<>(e.getValue().get(1));
            r.sort(BY_ADDRESS);
            n.sort(BY_ADDRESS);
            ready += r.size();
            notReady += n.size();
            subsets.put(e.getKey(), new EndpointSubsetBuilder().withAddresses(r).withNotReadyAddresses(n)
                    .withPorts(portsOf.get(e.getKey())).build());
        }
        List<EndpointSubset> out = new ArrayList<>(subsets.values());
        boolean truncated = ready + notReady > MAX_ADDRESSES;
        if (truncated) {
            truncate(out, ready, notReady);
        }
        return new Result(out, truncated);
    }

    /** Shares the room out in proportion to each subset's size: ready addresses first, then not-ready ones. */
    private static void truncate(List<EndpointSubset> subsets, int ready, int notReady) {
        boolean cutReady = ready > MAX_ADDRESSES;
        int room = cutReady ? MAX_ADDRESSES : MAX_ADDRESSES - ready;
        int total = cutReady ? ready : notReady;
        int left = room;
        for (EndpointSubset s : subsets) {
            List<EndpointAddress> list = cutReady ? s.getAddresses() : s.getNotReadyAddresses();
            int share = Math.min(left, (int) Math.ceil((double) list.size() / total * room));
            List<EndpointAddress> kept = new ArrayList<>(list.subList(0, Math.min(share, list.size())));
            left -= kept.size();
            if (cutReady) {
                s.setAddresses(kept);
                s.setNotReadyAddresses(new ArrayList<>());
            } else {
                s.setNotReadyAddresses(kept);
            }
        }
    }
}
