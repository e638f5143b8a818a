package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import java.util.Map;
import java.util.Set;

/** apps/v1 ReplicaSet. */
final class ReplicaSetRules implements KindRules {
    @Override
    public void validate(ObjectNode object, ErrorCollector errs) {
        FieldPath specPath = FieldPath.ROOT.child("spec");
        ObjectNode spec = errs.object(object, "spec", FieldPath.ROOT);
        WorkloadChecks.nonNegative(spec, specPath, errs, "replicas", "minReadySeconds");
        Map<String, String> labels = WorkloadChecks.template(spec, specPath, Set.of(), errs);
        // Upstream names the deployment here too: replica sets share its check.
        WorkloadChecks.selectorMatches(spec, specPath, labels, "deployment", errs);
        WorkloadChecks.alwaysRestarting(spec, specPath, "ReplicaSet", errs);
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        WorkloadChecks.immutable(object, old, "selector", errs);
    }
}
