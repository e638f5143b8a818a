package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.WorkQueue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which pods a Service selects, and which Services a pod change concerns, from the shared informers. */
final class ServicePods {
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;

    ServicePods(SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods) {
        this.services = services;
        this.pods = pods;
    }

    Service service(String key) {
        return services.getStore().getByKey(key);
    }

    List<Pod> selected(Service service) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, service.getMetadata().getNamespace())) {
            if (PodEndpoints.matches(service, p)) {
                out.add(p);
            }
        }
        return out;
    }

    Set<String> servicesOf(Pod pod) {
        Set<String> keys = new LinkedHashSet<>();
        for (Service s : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
            if (PodEndpoints.matches(s, pod)) {
                keys.add(Keys.of(s));
            }
        }
        return keys;
    }

    /** Queues the Services whose endpoints a pod change may alter: those selecting its old or its new state. */
    ResourceEventHandler<Pod> podHandler(WorkQueue queue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                servicesOf(p).forEach(queue::add);
            }

            @Override
            public void onUpdate(Pod old, Pod now) {
                if (!PodEndpoints.changedForEndpoints(old, now)) {
                    return;
                }
                Set<String> keys = servicesOf(now);
                keys.addAll(servicesOf(old));
                keys.forEach(queue::add);
            }

            @Override
            public void onDelete(Pod p, boolean finalStateUnknown) {
                servicesOf(p).forEach(queue::add);
            }
        };
    }
}
