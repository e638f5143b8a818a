package io.kedge.controllers.units;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.api.patch.PatchException;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Deployment per targeted unit for each UnitDeployment, named {@code <name>-<unit>} and
 * controlled by it, and reports each unit's replicas in its status. A Deployment of that name that
 * it does not control is left alone (and reported as an event); a unit dropped from the list loses
 * its Deployment.
 */
public final class UnitDeploymentController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(UnitDeploymentController.class);
    static final String KIND = "UnitDeployment";

    private final ControllerContext ctx;
    private final SharedIndexInformer<UnitDeployment> unitDeployments;
    private final SharedIndexInformer<Deployment> deployments;

    private UnitDeploymentController(ControllerContext ctx, SharedIndexInformer<UnitDeployment> unitDeployments,
                                     SharedIndexInformer<Deployment> deployments) {
        this.ctx = ctx;
        this.unitDeployments = unitDeployments;
        this.deployments = deployments;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<UnitDeployment> uds = Informers.shared(ctx, UnitDeployment.class);
        SharedIndexInformer<Deployment> deployments = Informers.shared(ctx, Deployment.class);
        Controller controller = new Controller("unit-deployment", new UnitDeploymentController(ctx, uds, deployments), 2);
        uds.addEventHandler(controller.enqueueSelf());
        deployments.addEventHandler(controller.enqueueOwner(KIND));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        UnitDeployment ud = unitDeployments.getIndexer().getByKey(key);
        if (ud == null || ud.getMetadata().getDeletionTimestamp() != null || ud.getSpec() == null) {
            return null; // its Deployments go with it through their owner references
        }
        String ns = ud.getMetadata().getNamespace();
        List<String> units = ud.getSpec().units == null ? List.of() : ud.getSpec().units;
        Map<String, Integer> wantedReplicas = new HashMap<>();
        Set<String> names = new HashSet<>();
        KubernetesClientException failure = null;
        for (String unit : units) {
            String name = UnitDeploymentPlan.deploymentName(ud, unit);
            names.add(name);
            Deployment desired;
            try {
                desired = UnitDeploymentPlan.desired(ud, unit);
            } catch (PatchException | IllegalArgumentException e) {
                ctx.events().warning(ud, "InvalidOverride", "The Deployment for unit " + unit + " cannot be made: " + e.getMessage());
                continue;
            }
            wantedReplicas.put(unit, desired.getSpec().getReplicas());
            try {
                sync(ud, desired, deployments.getIndexer().getByKey(ns + "/" + name));
            } catch (KubernetesClientException e) {
                failure = e;
            }
        }
        for (Deployment d : Informers.inNamespace(deployments, ns)) {
            if (controlledBy(d, ud) && !names.contains(d.getMetadata().getName()) && d.getMetadata().getDeletionTimestamp() == null) {
                try {
                    ctx.client().apps().deployments().inNamespace(ns).withName(d.getMetadata().getName())
                            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                    LOG.info("{}: deleted Deployment {}, its unit is no longer targeted", key, d.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    failure = e;
                }
            }
        }
        writeStatus(ud, units, wantedReplicas);
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    private void sync(UnitDeployment ud, Deployment desired, Deployment existing) {
        String ns = ud.getMetadata().getNamespace();
        String name = desired.getMetadata().getName();
        if (existing == null) {
            try {
                ctx.client().apps().deployments().inNamespace(ns).resource(desired).create();
                LOG.info("{}/{}: created Deployment {}", ns, ud.getMetadata().getName(), name);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                } // made meanwhile: the informer brings it, and its owner decides on the next pass
            }
            return;
        }
        if (!controlledBy(existing, ud)) {
            ctx.events().warning(ud, "DeploymentExists", "Deployment " + name
                    + " exists and is not controlled by this UnitDeployment; it is left alone.");
            return;
        }
        String hash = desired.getMetadata().getAnnotations().get(UnitDeploymentPlan.HASH_ANNOTATION);
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        if (annotations != null && hash.equals(annotations.get(UnitDeploymentPlan.HASH_ANNOTATION))) {
            return;
        }
        Deployment updated = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(existing).build();
        Map<String, String> labels = new LinkedHashMap<>(existing.getMetadata().getLabels() == null
                ? Map.of() : existing.getMetadata().getLabels());
        labels.putAll(desired.getMetadata().getLabels());
        Map<String, String> merged = new LinkedHashMap<>(annotations == null ? Map.of() : annotations);
        merged.putAll(desired.getMetadata().getAnnotations());
        updated.getMetadata().setLabels(labels);
        updated.getMetadata().setAnnotations(merged);
        updated.setSpec(desired.getSpec());
        // the resourceVersion it carries makes this a compare-and-swap; a conflict retries on a fresher copy
        ctx.client().apps().deployments().inNamespace(ns).resource(updated).update();
        LOG.info("{}/{}: updated Deployment {}", ns, ud.getMetadata().getName(), name);
    }

    private void writeStatus(UnitDeployment ud, List<String> units, Map<String, Integer> wantedReplicas) {
        String ns = ud.getMetadata().getNamespace();
        UnitDeployment.Status status = new UnitDeployment.Status();
        status.observedGeneration = ud.getMetadata().getGeneration();
        int readyUnits = 0;
        for (String unit : units) {
            String name = UnitDeploymentPlan.deploymentName(ud, unit);
            Deployment d = deployments.getIndexer().getByKey(ns + "/" + name);
            boolean ours = d != null && controlledBy(d, ud);
            UnitDeployment.UnitState s = new UnitDeployment.UnitState();
            s.name = unit;
            s.deployment = name;
            Integer wanted = ours && d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : wantedReplicas.get(unit);
            s.replicas = wanted == null ? 1 : wanted;
            s.readyReplicas = ours && d.getStatus() != null && d.getStatus().getReadyReplicas() != null
                    ? d.getStatus().getReadyReplicas() : 0;
            s.availableReplicas = ours && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                    ? d.getStatus().getAvailableReplicas() : 0;
            if (ours && rolledOut(d, s.replicas)) {
                readyUnits++;
            }
            status.units.add(s);
        }
        status.readyUnits = readyUnits;
        UnitDeployment.Status before = ud.getStatus();
        if (before != null && java.util.Objects.equals(before.observedGeneration, status.observedGeneration)
                && java.util.Objects.equals(before.readyUnits, status.readyUnits) && java.util.Objects.equals(before.units, status.units)) {
            return;
        }
        UnitDeployment copy = new UnitDeployment();
        copy.setMetadata(ud.getMetadata());
        copy.setSpec(ud.getSpec());
        copy.setStatus(status);
        ctx.client().resources(UnitDeployment.class).inNamespace(ns).resource(copy).updateStatus();
    }

    /** The Deployment saw its current spec and has all the unit's replicas updated and available. */
    private static boolean rolledOut(Deployment d, int replicas) {
        var st = d.getStatus();
        if (st == null || st.getObservedGeneration() == null || st.getObservedGeneration() < d.getMetadata().getGeneration()) {
            return false;
        }
        int updated = st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
        int available = st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
        return updated >= replicas && available >= replicas;
    }

    static boolean controlledBy(Deployment d, UnitDeployment ud) {
        for (OwnerReference ref : d.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ud.getMetadata().getUid() != null && ud.getMetadata().getUid().equals(ref.getUid());
            }
        }
        return false;
    }
}
