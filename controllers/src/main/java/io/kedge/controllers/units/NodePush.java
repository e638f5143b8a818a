package io.kedge.controllers.units;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.kedge.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The write that takes one node from what it was last pushed to what its unit pushes now. Only what
 * the record says was pushed is taken back, and only while the node still carries it as pushed: a
 * label someone has since changed is theirs.
 */
final class NodePush {
    private NodePush() {}

    /**
     * @param unit   the node's unit, or null when it is in none (or its unit is being deleted)
     * @param wanted what that unit pushes; {@link Pushed#NOTHING} when unit is null
     * @return a JSON merge patch guarded by the node's resourceVersion, or null when the node is as it should be
     */
    static ObjectNode patch(Node node, String unit, Pushed wanted) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Map<String, String> annotations = node.getMetadata().getAnnotations() == null
                ? Map.of() : node.getMetadata().getAnnotations();
        String record = annotations.get(Pushed.ANNOTATION);
        Pushed before = Pushed.fromJson(record);

        ObjectNode labelPatch = diff(labels, before.labels(), wanted.labels());
        ObjectNode annotationPatch = diff(annotations, before.annotations(), wanted.annotations());
        String newRecord = unit == null || wanted.isEmpty() ? null : wanted.toJson(unit);
        if (!Objects.equals(record, newRecord)) {
            if (newRecord == null) {
                annotationPatch.putNull(Pushed.ANNOTATION);
            } else {
                annotationPatch.put(Pushed.ANNOTATION, newRecord);
            }
        }
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of() : node.getSpec().getTaints();
        List<Taint> taints = taints(current, before.taints(), wanted.taints());

        boolean taintsChanged = !sameTaints(current, taints);
        if (labelPatch.isEmpty() && annotationPatch.isEmpty() && !taintsChanged) {
            return null;
        }
        ObjectNode patch = Json.object();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put("resourceVersion", node.getMetadata().getResourceVersion());
        if (!labelPatch.isEmpty()) {
            metadata.set("labels", labelPatch);
        }
        if (!annotationPatch.isEmpty()) {
            metadata.set("annotations", annotationPatch);
        }
        if (taintsChanged) {
            ArrayNode list = patch.putObject("spec").putArray("taints");
            taints.forEach(t -> list.add(Json.MAPPER.valueToTree(t)));
        }
        return patch;
    }

    private static ObjectNode diff(Map<String, String> current, Map<String, String> pushed, Map<String, String> wanted) {
        ObjectNode p = Json.object();
        pushed.forEach((k, v) -> {
            if (!wanted.containsKey(k) && v.equals(current.get(k))) {
                p.putNull(k);
            }
        });
        wanted.forEach((k, v) -> {
            if (!v.equals(current.get(k))) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** The node's taints without those pushed before and no longer wanted, with the wanted ones in place. */
    static List<Taint> taints(List<Taint> current, List<Taint> pushed, List<Taint> wanted) {
        List<Taint> out = new ArrayList<>();
        for (Taint t : current) {
            boolean ours = pushed.stream().anyMatch(p -> Pushed.sameTaint(p, t));
            boolean stillWanted = wanted.stream().anyMatch(w -> Pushed.sameTaint(w, t));
            if (!ours || stillWanted) {
                out.add(t);
            }
        }
        for (Taint w : wanted) {
            if (out.stream().noneMatch(t -> Pushed.sameTaint(t, w))) {
                // a node holds one taint per key and effect: the unit's value replaces another
                out.removeIf(t -> Objects.equals(t.getKey(), w.getKey()) && Objects.equals(t.getEffect(), w.getEffect()));
                out.add(w);
            }
        }
        return out;
    }

    private static boolean sameTaints(List<Taint> a, List<Taint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Pushed.sameTaint(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
