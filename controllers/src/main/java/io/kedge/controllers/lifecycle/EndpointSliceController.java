package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keeps the EndpointSlices (discovery.k8s.io/v1) of each selector Service in line with the pods it
 * selects: labelled {@code kubernetes.io/service-name} and managed-by
 * {@code endpointslice-controller.k8s.io}, owned by the Service, at most 100 endpoints each, with
 * the ready/serving/terminating conditions and each endpoint's {@code nodeName}, which a proxy
 * needs to keep traffic on a node or in an edge unit.
 */
public final class EndpointSliceController implements Reconciler {
    static final String BY_SERVICE = "lifecycle.endpointslices-by-service";
    private static final Duration STALE_CACHE_RECHECK = Duration.ofMillis(500);

    private final ControllerContext ctx;
    private final ServicePods servicePods;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SlicePlanner planner;
    private final SliceTracker tracker = new SliceTracker();

    private EndpointSliceController(ControllerContext ctx, ServicePods servicePods, SharedIndexInformer<EndpointSlice> slices) {
        this.ctx = ctx;
        this.servicePods = servicePods;
        this.slices = slices;
        this.planner = new SlicePlanner(ctx.client().getKubernetesSerialization());
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Service> services = Informers.shared(ctx.informers(), Service.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        SharedIndexInformer<EndpointSlice> slices = Informers.shared(ctx.informers(), EndpointSlice.class);
        Informers.ensureIndex(slices, BY_SERVICE, s -> {
            String service = serviceOf(s);
            return service == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + service);
        });
        ServicePods servicePods = new ServicePods(services, pods);
        Controller controller = new Controller("endpointslice", new EndpointSliceController(ctx, servicePods, slices), 2);
        services.addEventHandler(controller.enqueueSelf());
        pods.addEventHandler(servicePods.podHandler(controller.queue()));
        slices.addEventHandler(controller.<EndpointSlice>enqueue(s -> {
            String service = serviceOf(s);
            return service == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + service);
        }));
        return controller;
    }

    /** The Service a slice belongs to, if this controller manages it. */
    private static String serviceOf(EndpointSlice s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        if (labels == null || !SlicePlanner.MANAGED_BY.equals(labels.get(SlicePlanner.MANAGED_BY_LABEL))) {
            return null;
        }
        return labels.get(SlicePlanner.SERVICE_NAME_LABEL);
    }

    @Override
    public Duration reconcile(String key) {
        List<EndpointSlice> existing = slices.getIndexer().byIndex(BY_SERVICE, key);
        Service service = servicePods.service(key);
        if (service == null) {
            // the garbage collector would get them through their ownerReference; not waiting for it costs nothing
            for (EndpointSlice s : existing) {
                ctx.client().discovery().v1().endpointSlices().inNamespace(s.getMetadata().getNamespace())
                        .withName(s.getMetadata().getName()).delete();
            }
            tracker.forget(key);
            return null;
        }
        if (!PodEndpoints.selects(service)) {
            return null;
        }
        if (tracker.stale(key, existing)) {
            return STALE_CACHE_RECHECK;
        }
        SlicePlanner.Plan plan = planner.plan(service, SliceEndpoints.of(service, servicePods.selected(service)), existing);
        try {
            write(key, plan);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 && !plan.create().isEmpty()) {
                return null; // the namespace is terminating
            }
            ctx.events().warning(service, "FailedToUpdateEndpointSlices", "Error updating Endpoint Slices for Service "
                    + key + ": " + e.getMessage());
            throw e;
        }
        return null;
    }

    private void write(String key, SlicePlanner.Plan plan) {
        var api = ctx.client().discovery().v1().endpointSlices();
        // new slices first, deletions last, so that an endpoint moving between slices is never missing
        for (EndpointSlice s : plan.create()) {
            tracker.written(key, api.inNamespace(s.getMetadata().getNamespace()).resource(s).create());
        }
        for (EndpointSlice s : plan.update()) {
            tracker.written(key, api.inNamespace(s.getMetadata().getNamespace()).resource(s).update());
        }
        for (EndpointSlice s : plan.delete()) {
            api.inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).delete();
            tracker.deleted(key, s.getMetadata().getName());
        }
    }
}
