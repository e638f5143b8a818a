package io.kedge.api.validation.builtin;

import io.kedge.api.GoDurations;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.Nodes;
import java.util.List;
import java.util.Map;

/**
 * edge.kedge.io/v1alpha1 EdgeUnit: a site's group of nodes. Its spec carries the labels, annotations and
 * taints pushed to member nodes, and how long members stay autonomous without the cloud.
 */
final class EdgeUnitRules implements KindRules {
    static final List<String> TYPES = List.of("Edge", "Cloud");
    /** Membership is the node label itself; a unit pushing it would move nodes between units. */
    static final String UNIT_LABEL = "kedge.io/unit";
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode unit, ErrorCollector errs) {
        ObjectNode spec = errs.object(unit, "spec", FieldPath.ROOT);
        String type = errs.string(spec, "type", SPEC);
        if (type == null || type.isEmpty()) {
            errs.required(SPEC.child("type"), "");
        } else if (!TYPES.contains(type)) {
            errs.notSupported(SPEC.child("type"), type, TYPES);
        }
        String autonomy = errs.string(spec, "autonomy", SPEC);
        if (autonomy != null) {
            Long nanos = GoDurations.parseNanos(autonomy);
            if (nanos == null) {
                errs.invalid(SPEC.child("autonomy"), autonomy,
                        "must be a duration such as \"10m\" or \"1h30m\", or \"0\" for no limit");
            } else if (nanos < 0) {
                errs.invalid(SPEC.child("autonomy"), autonomy, "must not be negative");
            }
        }
        Map<String, String> labels = errs.stringMap(spec, "labels", SPEC);
        LabelRules.validateLabels(labels, SPEC.child("labels"), errs);
        if (labels.containsKey(UNIT_LABEL)) {
            errs.forbidden(SPEC.child("labels").key(UNIT_LABEL), "unit membership is not a pushed label");
        }
        LabelRules.validateAnnotations(errs.stringMap(spec, "annotations", SPEC), SPEC.child("annotations"), errs);
        TolerationRules.validateTaints(spec, "taints", SPEC, errs);
    }

    /** A unit is an edge site unless declared a cloud unit. */
    static void defaults(ObjectNode unit) {
        Nodes.defaultText(Nodes.ensureObject(unit, "spec"), "type", "Edge");
    }
}
