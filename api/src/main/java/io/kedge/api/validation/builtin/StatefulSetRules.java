package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** apps/v1 StatefulSet. */
final class StatefulSetRules implements KindRules {
    static final List<String> RETENTION = List.of("Retain", "Delete");
    /** The spec fields an update may change; everything else is fixed at creation. */
    static final List<String> MUTABLE = List.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode object, ErrorCollector errs) {
        ObjectNode spec = errs.object(object, "spec", FieldPath.ROOT);
        String policy = errs.string(spec, "podManagementPolicy", SPEC);
        if (policy == null || policy.isEmpty()) {
            errs.required(SPEC.child("podManagementPolicy"), "");
        } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            errs.invalid(SPEC.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'");
        }
        validateStrategy(spec, errs);
        ObjectNode retention = errs.object(spec, "persistentVolumeClaimRetentionPolicy", SPEC);
        for (String when : List.of("whenDeleted", "whenScaled")) {
            String v = errs.string(retention, when, SPEC.child("persistentVolumeClaimRetentionPolicy"));
            if (retention != null && (v == null || !RETENTION.contains(v))) {
                errs.notSupported(SPEC.child("persistentVolumeClaimRetentionPolicy", when), v == null ? "" : v,
                        RETENTION);
            }
        }
        WorkloadChecks.nonNegative(spec, SPEC, errs, "replicas", "minReadySeconds", "revisionHistoryLimit");
        WorkloadChecks.nonNegative(errs.object(spec, "ordinals", SPEC), SPEC.child("ordinals"), errs, "start");
        Set<String> claimNames = claimTemplateNames(spec, errs);
        Map<String, String> labels = WorkloadChecks.template(spec, SPEC, claimNames, errs);
        WorkloadChecks.selectorMatches(spec, SPEC, labels, "statefulset", errs);
        WorkloadChecks.alwaysRestarting(spec, SPEC, "StatefulSet", errs);
    }

    private static void validateStrategy(ObjectNode spec, ErrorCollector errs) {
        FieldPath p = SPEC.child("updateStrategy");
        ObjectNode strategy = errs.object(spec, "updateStrategy", SPEC);
        String type = errs.string(strategy, "type", p);
        ObjectNode rolling = errs.object(strategy, "rollingUpdate", p);
        if (type == null || type.isEmpty()) {
            errs.required(p, "");
        } else if (type.equals("OnDelete")) {
            if (rolling != null) {
                errs.invalid(p.child("rollingUpdate"), rolling, "only allowed for updateStrategy 'RollingUpdate'");
            }
        } else if (type.equals("RollingUpdate")) {
            if (rolling != null) {
                FieldPath rp = p.child("rollingUpdate");
                WorkloadChecks.nonNegative(rolling, rp, errs, "partition");
                Integer unavailable = IntOrPercent.validate(rolling, "maxUnavailable", rp, true, errs);
                if (unavailable != null && unavailable == 0) {
                    errs.invalid(rp.child("maxUnavailable"), rolling.get("maxUnavailable"), "cannot be 0");
                }
            }
        } else {
            errs.invalid(p, strategy, "must be 'RollingUpdate' or 'OnDelete'");
        }
    }

    /** Claim templates become volumes of every pod, so mounts may name them. */
    private static Set<String> claimTemplateNames(ObjectNode spec, ErrorCollector errs) {
        Set<String> names = new HashSet<>();
        for (ErrorCollector.Indexed claim : errs.objects(spec, "volumeClaimTemplates", SPEC)) {
            ObjectNode meta = errs.object(claim.node(), "metadata", claim.path());
            String name = errs.requiredString(meta, "name", claim.path().child("metadata"), "");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        ObjectNode spec = Nodes.object(object, "spec");
        JsonNode oldSpec = old.get("spec");
        if (spec == null || !(oldSpec instanceof ObjectNode before)) {
            return;
        }
        ObjectNode comparable = spec.deepCopy();
        for (String field : MUTABLE) {
            if (before.has(field)) {
                comparable.set(field, before.get(field).deepCopy());
            } else {
                comparable.remove(field);
            }
        }
        if (!Nodes.sameContent(comparable, before)) {
            errs.forbidden(SPEC, "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                    + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
                    + "are forbidden");
        }
    }
}
