package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Keys;
import java.util.Objects;
import java.util.function.Function;

/**
 * A workload's new scale changes the expected pod count of the budgets of its namespace. Only a
 * change of {@code spec.replicas} is passed on: workloads' status updates are many and irrelevant.
 */
final class ScaleChanges {
    private ScaleChanges() {}

    static <T extends HasMetadata> void enqueueBudgetsOnScaleChange(Controller controller,
                                                                    SharedIndexInformer<PodDisruptionBudget> budgets,
                                                                    SharedIndexInformer<T> workloads,
                                                                    Function<T, Integer> replicas) {
        workloads.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                enqueueNamespace(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (!Objects.equals(replicas.apply(oldObj), replicas.apply(newObj))) {
                    enqueueNamespace(newObj);
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueueNamespace(obj);
            }

            private void enqueueNamespace(T obj) {
                for (PodDisruptionBudget pdb : Informers.inNamespace(budgets, obj.getMetadata().getNamespace())) {
                    controller.queue().add(Keys.of(pdb));
                }
            }
        });
    }
}
