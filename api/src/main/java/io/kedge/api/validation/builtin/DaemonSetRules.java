package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** apps/v1 DaemonSet. */
final class DaemonSetRules implements KindRules {
    static final List<String> STRATEGIES = List.of("RollingUpdate", "OnDelete");

    @Override
    public void validate(ObjectNode object, ErrorCollector errs) {
        FieldPath specPath = FieldPath.ROOT.child("spec");
        ObjectNode spec = errs.object(object, "spec", FieldPath.ROOT);
        WorkloadChecks.nonNegative(spec, specPath, errs, "minReadySeconds", "templateGeneration",
                "revisionHistoryLimit");
        Map<String, String> labels = WorkloadChecks.template(spec, specPath, Set.of(), errs);
        WorkloadChecks.selectorMatches(spec, specPath, labels, "daemonset", errs);
        WorkloadChecks.alwaysRestarting(spec, specPath, "DaemonSet", errs);
        validateStrategy(spec, specPath, errs);
    }

    private static void validateStrategy(ObjectNode spec, FieldPath specPath, ErrorCollector errs) {
        FieldPath p = specPath.child("updateStrategy");
        ObjectNode strategy = errs.object(spec, "updateStrategy", specPath);
        String type = errs.string(strategy, "type", p);
        if ("OnDelete".equals(type)) {
            return;
        }
        if (!"RollingUpdate".equals(type)) {
            errs.notSupported(p.child("type"), type == null ? "" : type, STRATEGIES);
            return;
        }
        ObjectNode rolling = errs.object(strategy, "rollingUpdate", p);
        FieldPath rp = p.child("rollingUpdate");
        if (rolling == null) {
            errs.required(rp, "");
            return;
        }
        Integer unavailable = IntOrPercent.validate(rolling, "maxUnavailable", rp, true, errs);
        Integer surge = IntOrPercent.validate(rolling, "maxSurge", rp, true, errs);
        boolean hasUnavailable = unavailable != null && unavailable != 0;
        boolean hasSurge = surge != null && surge != 0;
        if (hasUnavailable && hasSurge) {
            errs.invalid(rp.child("maxSurge"), rolling.get("maxSurge"), "may not be set when maxUnavailable is non-zero");
        } else if (!hasUnavailable && !hasSurge) {
            errs.required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        WorkloadChecks.immutable(object, old, "selector", errs);
    }
}
