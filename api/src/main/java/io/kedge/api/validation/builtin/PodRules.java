package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Pods: the pod spec on every write, and the short list of fields an update may touch. */
final class PodRules implements KindRules {
    static final String UPDATE_FORBIDDEN = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            + "(allow it to be set to 1 if it was previously negative)";
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode pod, ErrorCollector errs) {
        PodSpecRules.validate(errs.object(pod, "spec", FieldPath.ROOT), SPEC, true, Set.of(), errs);
    }

    @Override
    public void validateUpdate(ObjectNode pod, ObjectNode old, ErrorCollector errs) {
        ObjectNode spec = Nodes.object(pod, "spec");
        ObjectNode oldSpec = Nodes.object(old, "spec");
        if (spec == null || oldSpec == null) {
            return;
        }
        for (String list : List.of("containers", "initContainers")) {
            if (Nodes.objects(spec, list).size() != Nodes.objects(oldSpec, list).size()) {
                errs.forbidden(SPEC.child(list), "pod updates may not add or remove containers");
                return;
            }
        }
        validateDeadlineChange(spec, oldSpec, errs);
        validateOnlyAddedTolerations(spec, oldSpec, errs);

        ObjectNode comparable = spec.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            List<ObjectNode> now = Nodes.objects(comparable, list);
            List<ObjectNode> before = Nodes.objects(oldSpec, list);
            for (int i = 0; i < now.size(); i++) {
                copyField(before.get(i), now.get(i), "image");
            }
        }
        copyField(oldSpec, comparable, "activeDeadlineSeconds");
        copyField(oldSpec, comparable, "tolerations");
        JsonNode oldGrace = oldSpec.get("terminationGracePeriodSeconds");
        JsonNode newGrace = spec.get("terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace.isIntegralNumber() && oldGrace.asLong() < 0
                && newGrace != null && newGrace.isIntegralNumber() && newGrace.asLong() == 1) {
            copyField(oldSpec, comparable, "terminationGracePeriodSeconds");
        }
        if (!Nodes.sameContent(comparable, oldSpec)) {
            errs.forbidden(SPEC, UPDATE_FORBIDDEN + "\n  changed: " + String.join(", ", changedFields(comparable,
                    oldSpec, "spec")));
        }
    }

    private static void copyField(ObjectNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    private static void validateDeadlineChange(ObjectNode spec, ObjectNode oldSpec, ErrorCollector errs) {
        JsonNode before = oldSpec.get("activeDeadlineSeconds");
        JsonNode now = spec.get("activeDeadlineSeconds");
        if (before == null || before.isNull() || !before.isIntegralNumber()) {
            return;
        }
        FieldPath p = SPEC.child("activeDeadlineSeconds");
        if (now == null || now.isNull()) {
            errs.invalid(p, now, "must not update from a positive integer to nil value");
        } else if (now.isIntegralNumber() && now.asLong() > before.asLong()) {
            errs.invalid(p, now, "must be less than or equal to previous value");
        }
    }

    private static void validateOnlyAddedTolerations(ObjectNode spec, ObjectNode oldSpec, ErrorCollector errs) {
        List<ObjectNode> now = withoutSeconds(Nodes.objects(spec, "tolerations"));
        for (ObjectNode before : withoutSeconds(Nodes.objects(oldSpec, "tolerations"))) {
            if (now.stream().noneMatch(t -> Nodes.sameContent(t, before))) {
                errs.forbidden(SPEC.child("tolerations"), "existing toleration can not be modified except its "
                        + "tolerationSeconds");
                return;
            }
        }
    }

    private static List<ObjectNode> withoutSeconds(List<ObjectNode> tolerations) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode t : tolerations) {
            ObjectNode copy = t.deepCopy();
            copy.remove("tolerationSeconds");
            if (copy.path("operator").asText("").isEmpty()) {
                copy.put("operator", "Equal");
            }
            out.add(copy);
        }
        return out;
    }

    /** The paths where two trees differ, so the Forbidden message names what the client changed. */
    static List<String> changedFields(JsonNode now, JsonNode before, String path) {
        List<String> out = new ArrayList<>();
        collectChanges(now, before, path, out);
        return out;
    }

    private static void collectChanges(JsonNode now, JsonNode before, String path, List<String> out) {
        if (Nodes.sameContent(now, before)) {
            return;
        }
        if (now != null && before != null && now.isObject() && before.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            now.fieldNames().forEachRemaining(names::add);
            before.fieldNames().forEachRemaining(names::add);
            names.forEach(n -> collectChanges(now.get(n), before.get(n), path + "." + n, out));
        } else if (now instanceof ArrayNode a && before instanceof ArrayNode b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                collectChanges(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add(path);
        }
    }
}
