package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the endpoints a Service should have into slice writes. Endpoints stay in the slice they are
 * in when they can, so that a pod change rewrites one slice, not all; newcomers fill the room in
 * existing slices before new slices are made; slices never hold more than {@link #MAX_ENDPOINTS}.
 */
final class SlicePlanner {
    static final int MAX_ENDPOINTS = 100;
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";

    /** The writes that bring the slices in line. */
    record Plan(List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
        boolean isEmpty() {
            return create.isEmpty() && update.isEmpty() && delete.isEmpty();
        }
    }

    private final KubernetesSerialization json;

    SlicePlanner(KubernetesSerialization json) {
        this.json = json;
    }

    Plan plan(Service service, Map<String, Map<String, SliceEndpoints.Group>> desired, List<EndpointSlice> existing) {
        List<EndpointSlice> create = new ArrayList<>();
        List<EndpointSlice> update = new ArrayList<>();
        List<EndpointSlice> delete = new ArrayList<>();
        Map<String, String> labels = labels(service);
        OwnerReference owner = owner(service);
        // existing slices by address type and ports
        Map<String, List<EndpointSlice>> byShape = new LinkedHashMap<>();
        List<EndpointSlice> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (EndpointSlice s : sorted) {
            byShape.computeIfAbsent(shape(s.getAddressType(), json.asJson(s.getPorts())), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, Map<String, SliceEndpoints.Group>> family : desired.entrySet()) {
            // a Service without endpoints still gets one empty slice per address type, as upstream does
            var groups = family.getValue().isEmpty()
                    ? List.of(new SliceEndpoints.Group(List.of(), List.of())) : family.getValue().values();
            for (SliceEndpoints.Group group : groups) {
                List<EndpointSlice> slices = byShape.remove(shape(family.getKey(), json.asJson(group.ports())));
                place(service, family.getKey(), group, slices == null ? List.of() : slices, labels, owner, create, update, delete);
            }
        }
        byShape.values().forEach(delete::addAll);
        return new Plan(create, update, delete);
    }

    private void place(Service service, String addressType, SliceEndpoints.Group group, List<EndpointSlice> slices,
                       Map<String, String> labels, OwnerReference owner,
                       List<EndpointSlice> create, List<EndpointSlice> update, List<EndpointSlice> delete) {
        Map<String, Endpoint> pending = new LinkedHashMap<>();
        for (Endpoint e : group.endpoints()) {
            pending.put(SliceEndpoints.identity(e), e);
        }
        List<List<Endpoint>> contents = new ArrayList<>();
        for (EndpointSlice s : slices) {
            List<Endpoint> kept = new ArrayList<>();
            for (Endpoint e : s.getEndpoints()) {
                Endpoint now = pending.remove(SliceEndpoints.identity(e));
                if (now != null && kept.size() < MAX_ENDPOINTS) {
                    kept.add(now);
                }
            }
            contents.add(kept);
        }
        List<Endpoint> rest = new ArrayList<>(pending.values());
        for (List<Endpoint> c : contents) {
            while (c.size() < MAX_ENDPOINTS && !rest.isEmpty()) {
                c.add(rest.remove(0));
            }
        }
        boolean placeholder = group.endpoints().isEmpty();
        for (int i = 0; i < slices.size(); i++) {
            EndpointSlice s = slices.get(i);
            List<Endpoint> c = contents.get(i);
            if (c.isEmpty() && !(placeholder && i == 0)) {
                delete.add(s);
            } else if (!json.asJson(c).equals(json.asJson(s.getEndpoints()))
                    || !Objects.equals(labels, s.getMetadata().getLabels())
                    || !List.of(owner).equals(s.getMetadata().getOwnerReferences())) {
                EndpointSlice u = new EndpointSliceBuilder(s).withEndpoints(c).withPorts(group.ports()).build();
                u.getMetadata().setLabels(labels);
                u.getMetadata().setOwnerReferences(List.of(owner));
                update.add(u);
            }
        }
        for (int from = 0; from < rest.size(); from += MAX_ENDPOINTS) {
            create.add(newSlice(service, addressType, group, rest.subList(from, Math.min(rest.size(), from + MAX_ENDPOINTS)),
                    labels, owner));
        }
        if (placeholder && slices.isEmpty()) {
            create.add(newSlice(service, addressType, group, List.of(), labels, owner));
        }
    }

    private static EndpointSlice newSlice(Service service, String addressType, SliceEndpoints.Group group,
                                          List<Endpoint> endpoints, Map<String, String> labels, OwnerReference owner) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(service.getMetadata().getNamespace())
                .withGenerateName(prefix(service.getMetadata().getName())).withLabels(labels).withOwnerReferences(owner)
                .endMetadata().withAddressType(addressType).withPorts(group.ports()).withEndpoints(new ArrayList<>(endpoints))
                .build();
    }

    /** Slices are named after their Service, cut short so that the generated suffix still fits. */
    static String prefix(String serviceName) {
        String prefix = serviceName + "-";
        return prefix.length() > 58 ? serviceName.substring(0, 57) + "-" : prefix;
    }

    private static String shape(String addressType, String portsJson) {
        return addressType + "|" + portsJson;
    }

    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        labels.remove(EndpointsController.HEADLESS_LABEL);
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if (PodEndpoints.headless(service)) {
            labels.put(EndpointsController.HEADLESS_LABEL, "");
        }
        return labels;
    }

    static OwnerReference owner(Service service) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }
}
