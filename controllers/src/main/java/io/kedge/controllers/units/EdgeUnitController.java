package io.kedge.controllers.units;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each EdgeUnit in line with its member nodes, the nodes labelled {@code kedge.io/unit=<unit>}:
 * a unit in use gets an EdgeUnit (of type Edge) if it has none, members get what the unit pushes
 * (labels, annotations, taints) and lose what it no longer pushes, and the unit's status lists its
 * members and the Ready ones. Keys are unit names.
 */
public final class EdgeUnitController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeUnitController.class);
    /** Nodes by the units they concern: the one they are labelled with, and the one whose push they still carry. */
    static final String BY_UNIT = "edge-unit-involvement";

    private final ControllerContext ctx;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<EdgeUnit> units;

    private EdgeUnitController(ControllerContext ctx, SharedIndexInformer<Node> nodes, SharedIndexInformer<EdgeUnit> units) {
        this.ctx = ctx;
        this.nodes = nodes;
        this.units = units;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Node> nodes = Informers.shared(ctx, Node.class);
        SharedIndexInformer<EdgeUnit> units = Informers.shared(ctx, EdgeUnit.class);
        Informers.ensureIndex(nodes, BY_UNIT, n -> List.copyOf(unitsConcerning(n)));
        Controller controller = new Controller("edge-unit", new EdgeUnitController(ctx, nodes, units), 2);
        units.addEventHandler(controller.enqueueSelf());
        nodes.addEventHandler(controller.<Node>enqueue(n -> List.copyOf(unitsConcerning(n))));
        return controller;
    }

    static Set<String> unitsConcerning(Node n) {
        Set<String> out = new LinkedHashSet<>();
        String member = unitOf(n);
        if (member != null) {
            out.add(member);
        }
        Map<String, String> annotations = n.getMetadata().getAnnotations();
        String pushedBy = annotations == null ? null : Pushed.unitOf(annotations.get(Pushed.ANNOTATION));
        if (pushedBy != null) {
            out.add(pushedBy);
        }
        return out;
    }

    static String unitOf(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels();
        String unit = labels == null ? null : labels.get(EdgeUnit.UNIT_LABEL);
        return unit == null || unit.isEmpty() ? null : unit;
    }

    @Override
    public Duration reconcile(String unitName) {
        List<Node> involved = nodes.getIndexer().byIndex(BY_UNIT, unitName);
        List<Node> members = involved.stream().filter(n -> unitName.equals(unitOf(n))).toList();
        EdgeUnit unit = units.getIndexer().getByKey(unitName);
        if (unit == null && !members.isEmpty()) {
            unit = createUnit(unitName);
        }
        boolean deleting = unit == null || unit.getMetadata().getDeletionTimestamp() != null;
        Pushed wanted = deleting ? Pushed.NOTHING : unit.push();

        KubernetesClientException failure = null;
        for (Node n : involved) {
            boolean member = unitName.equals(unitOf(n));
            if (!member && !unitName.equals(Pushed.unitOf(annotation(n, Pushed.ANNOTATION)))) {
                continue;
            }
            if (!member && unitOf(n) != null) {
                continue; // it moved to another unit, whose pass takes this unit's push back as it brings its own
            }
            try {
                push(n, member ? unitName : null, member ? wanted : Pushed.NOTHING);
            } catch (KubernetesClientException e) {
                failure = e;
            }
        }
        if (unit != null && !deleting) {
            writeStatus(unit, members);
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    private EdgeUnit createUnit(String name) {
        EdgeUnit u = new EdgeUnit();
        u.setMetadata(new ObjectMetaBuilder().withName(name).build());
        EdgeUnit.Spec spec = new EdgeUnit.Spec();
        spec.type = EdgeUnit.EDGE;
        u.setSpec(spec);
        try {
            EdgeUnit created = ctx.client().resources(EdgeUnit.class).resource(u).create();
            LOG.info("created EdgeUnit {}: a node joined it", name);
            ctx.events().normal(created, "UnitCreated", "A node carries the label " + EdgeUnit.UNIT_LABEL + "=" + name
                    + " and there was no EdgeUnit of that name; created one of type Edge.");
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return ctx.client().resources(EdgeUnit.class).withName(name).get();
            }
            if (e.getCode() == 422) {
                // a label value that is no valid object name: the nodes still join, the unit just cannot be listed
                LOG.warn("nodes carry {}={}, but no EdgeUnit can be named so: {}", EdgeUnit.UNIT_LABEL, name, e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private void push(Node n, String unit, Pushed wanted) {
        ObjectNode patch = NodePush.patch(n, unit, wanted);
        if (patch == null) {
            return;
        }
        // guarded by the cached resourceVersion: on a conflict the key is retried on the informer's fresher copy
        ctx.client().nodes().withName(n.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        LOG.info("node {}: {} the push of unit {}", n.getMetadata().getName(), unit == null ? "took back" : "applied",
                unit == null ? Pushed.unitOf(annotation(n, Pushed.ANNOTATION)) : unit);
    }

    private void writeStatus(EdgeUnit unit, List<Node> members) {
        EdgeUnit.Status status = UnitStatus.of(new ArrayList<>(members), unit.getStatus(), ctx.clock().instant());
        if (UnitStatus.same(unit.getStatus(), status)) {
            return;
        }
        EdgeUnit copy = new EdgeUnit();
        copy.setMetadata(unit.getMetadata());
        copy.setSpec(unit.getSpec());
        copy.setStatus(status);
        ctx.client().resources(EdgeUnit.class).resource(copy).updateStatus();
    }

    private static String annotation(Node n, String key) {
        Map<String, String> a = n.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }
}
