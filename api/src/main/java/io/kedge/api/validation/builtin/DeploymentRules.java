package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** apps/v1 Deployment. */
final class DeploymentRules implements KindRules {
    static final List<String> STRATEGIES = List.of("Recreate", "RollingUpdate");

    @Override
    public void validate(ObjectNode object, ErrorCollector errs) {
        FieldPath specPath = FieldPath.ROOT.child("spec");
        validateSpec(errs.object(object, "spec", FieldPath.ROOT), specPath, errs);
    }

    /** Also checks the Deployment template of a UnitDeployment. */
    static void validateSpec(ObjectNode spec, FieldPath specPath, ErrorCollector errs) {
        if (spec == null) {
            errs.required(specPath.child("selector"), "");
            errs.required(specPath.child("template"), "");
            return;
        }
        WorkloadChecks.nonNegative(spec, specPath, errs, "replicas", "minReadySeconds", "revisionHistoryLimit",
                "progressDeadlineSeconds");
        Map<String, String> labels = WorkloadChecks.template(spec, specPath, Set.of(), errs);
        WorkloadChecks.selectorMatches(spec, specPath, labels, "deployment", errs);
        WorkloadChecks.alwaysRestarting(spec, specPath, "ReplicaSet", errs);
        validateStrategy(spec, specPath, errs);
        Integer deadline = errs.int32(spec, "progressDeadlineSeconds", specPath);
        Integer minReady = errs.int32(spec, "minReadySeconds", specPath);
        if (deadline != null && deadline <= (minReady == null ? 0 : minReady)) {
            errs.invalid(specPath.child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds");
        }
        errs.bool(spec, "paused", specPath);
    }

    private static void validateStrategy(ObjectNode spec, FieldPath specPath, ErrorCollector errs) {
        FieldPath p = specPath.child("strategy");
        ObjectNode strategy = errs.object(spec, "strategy", specPath);
        String type = errs.string(strategy, "type", p);
        ObjectNode rolling = errs.object(strategy, "rollingUpdate", p);
        if ("Recreate".equals(type)) {
            if (rolling != null) {
                errs.forbidden(p.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
            }
        } else if ("RollingUpdate".equals(type)) {
            if (rolling == null) {
                errs.required(p.child("rollingUpdate"), "this should be defaulted and never be nil");
                return;
            }
            FieldPath rp = p.child("rollingUpdate");
            Integer unavailable = IntOrPercent.validate(rolling, "maxUnavailable", rp, true, errs);
            Integer surge = IntOrPercent.validate(rolling, "maxSurge", rp, false, errs);
            if (unavailable != null && surge != null && unavailable == 0 && surge == 0) {
                errs.invalid(rp.child("maxUnavailable"), rolling.get("maxUnavailable"),
                        "may not be 0 when `maxSurge` is 0");
            }
        } else {
            errs.notSupported(p.child("type"), type == null ? "" : type, STRATEGIES);
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        WorkloadChecks.immutable(object, old, "selector", errs);
    }
}
