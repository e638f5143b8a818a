package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelSelectors;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** policy/v1 PodDisruptionBudget. */
final class PodDisruptionBudgetRules implements KindRules {
    static final List<String> EVICTION_POLICIES = List.of("IfHealthyBudget", "AlwaysAllow");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode pdb, ErrorCollector errs) {
        ObjectNode spec = errs.object(pdb, "spec", FieldPath.ROOT);
        if (spec == null) {
            return;
        }
        if (!Nodes.isUnset(spec, "minAvailable") && !Nodes.isUnset(spec, "maxUnavailable")) {
            errs.invalid(SPEC, spec, "minAvailable and maxUnavailable cannot be both set");
        }
        IntOrPercent.validate(spec, "minAvailable", SPEC, true, errs);
        IntOrPercent.validate(spec, "maxUnavailable", SPEC, true, errs);
        ObjectNode selector = errs.object(spec, "selector", SPEC);
        if (selector != null) {
            LabelSelectors.validate(selector, SPEC.child("selector"), errs);
        }
        String policy = errs.string(spec, "unhealthyPodEvictionPolicy", SPEC);
        if (policy != null && !EVICTION_POLICIES.contains(policy)) {
            errs.notSupported(SPEC.child("unhealthyPodEvictionPolicy"), policy, EVICTION_POLICIES);
        }
    }
}
