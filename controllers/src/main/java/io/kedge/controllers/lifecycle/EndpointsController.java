package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps each selector Service's Endpoints object (same name) in line with the pods it selects, and
 * deletes it when the Service goes. Services without a selector keep whatever endpoints they were given.
 */
public final class EndpointsController implements Reconciler {
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    /** endpoints objects used as leader-election locks have no Service and must stay */
    static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
    private static final String LEFTOVERS = "~leftovers";

    private final ControllerContext ctx;
    private final ServicePods servicePods;
    private final SharedIndexInformer<Endpoints> endpoints;

    private EndpointsController(ControllerContext ctx, ServicePods servicePods, SharedIndexInformer<Endpoints> endpoints) {
        this.ctx = ctx;
        this.servicePods = servicePods;
        this.endpoints = endpoints;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Service> services = Informers.shared(ctx.informers(), Service.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        SharedIndexInformer<Endpoints> endpoints = Informers.shared(ctx.informers(), Endpoints.class);
        ServicePods servicePods = new ServicePods(services, pods);
        Controller controller = new Controller("endpoints", new EndpointsController(ctx, servicePods, endpoints), 2);
        services.addEventHandler(controller.enqueueSelf());
        pods.addEventHandler(servicePods.podHandler(controller.queue()));
        // a deleted Endpoints object of a selector Service is put back
        endpoints.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Endpoints e) {
            }

            @Override
            public void onUpdate(Endpoints old, Endpoints e) {
            }

            @Override
            public void onDelete(Endpoints e, boolean finalStateUnknown) {
                controller.queue().add(Keys.of(e));
            }
        });
        // once, after the caches are filled: endpoints left behind by Services deleted while no controller ran
        controller.queue().add(LEFTOVERS);
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        if (LEFTOVERS.equals(key)) {
            for (Endpoints e : endpoints.getStore().list()) {
                if (e.getMetadata().getAnnotations() == null || !e.getMetadata().getAnnotations().containsKey(LEADER_ANNOTATION)) {
                    if (servicePods.service(Keys.of(e)) == null) {
                        reconcile(Keys.of(e));
                    }
                }
            }
            return null;
        }
        Service service = servicePods.service(key);
        if (service == null) {
            if (endpoints.getStore().getByKey(key) != null) {
                ctx.client().endpoints().inNamespace(Keys.namespace(key)).withName(Keys.name(key)).delete();
            }
            return null;
        }
        if (!PodEndpoints.selects(service)) {
            return null;
        }
        EndpointSubsets.Result subsets = EndpointSubsets.of(service, servicePods.selected(service));
        Endpoints current = endpoints.getStore().getByKey(key);
        Map<String, String> labels = labels(service);
        if (current != null && Objects.equals(current.getSubsets(), subsets.subsets())
                && Objects.equals(nonEmpty(current.getMetadata().getLabels()), labels)
                && overCapacityMarked(current) == subsets.truncated()) {
            return null;
        }
        Endpoints wanted = current == null
                ? new EndpointsBuilder().withNewMetadata().withNamespace(Keys.namespace(key)).withName(Keys.name(key)).endMetadata().build()
                : new EndpointsBuilder(current).build();
        wanted.getMetadata().setLabels(labels);
        Map<String, String> annotations = new HashMap<>(nonEmpty(wanted.getMetadata().getAnnotations()));
        annotations.remove(LAST_CHANGE_TRIGGER_TIME);
        if (subsets.truncated()) {
            annotations.put(OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY);
        }
        wanted.getMetadata().setAnnotations(annotations);
        wanted.setSubsets(subsets.subsets());
        try {
            if (current == null) {
                ctx.client().endpoints().inNamespace(wanted.getMetadata().getNamespace()).resource(wanted).create();
            } else {
                ctx.client().endpoints().inNamespace(wanted.getMetadata().getNamespace()).resource(wanted).update();
            }
        } catch (KubernetesClientException e) {
            if (current == null && e.getCode() == 403) {
                return null; // the namespace is terminating: nothing can be created in it any more
            }
            if (current == null) {
                ctx.events().warning(wanted, "FailedToCreateEndpoint", "Failed to create endpoint for service "
                        + key + ": " + e.getMessage());
            } else {
                ctx.events().warning(wanted, "FailedToUpdateEndpoint", "Failed to update endpoint " + key + ": " + e.getMessage());
            }
            throw e;
        }
        return null;
    }

    /** The Service's labels, plus the headless marker for Services without a cluster IP. */
    private static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>(nonEmpty(service.getMetadata().getLabels()));
        labels.remove(HEADLESS_LABEL);
        if (PodEndpoints.headless(service)) {
            labels.put(HEADLESS_LABEL, "");
        }
        return labels;
    }

    private static boolean overCapacityMarked(Endpoints e) {
        return e.getMetadata().getAnnotations() != null && e.getMetadata().getAnnotations().containsKey(OVER_CAPACITY);
    }

    private static Map<String, String> nonEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
