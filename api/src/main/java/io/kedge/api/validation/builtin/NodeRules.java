package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.GoDurations;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** core/v1 Node: taints and pod CIDRs; provider ID and CIDRs are fixed once set. */
final class NodeRules implements KindRules {
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");
    static final String AUTONOMY_ANNOTATION = "kedge.io/autonomy-duration";

    @Override
    public void validate(ObjectNode node, ErrorCollector errs) {
        ObjectNode spec = errs.object(node, "spec", FieldPath.ROOT);
        TolerationRules.validateTaints(spec, "taints", SPEC, errs);
        String podCIDR = errs.string(spec, "podCIDR", SPEC);
        if (podCIDR != null && !podCIDR.isEmpty()) {
            errs.invalidEach(SPEC.child("podCIDR"), podCIDR, Formats.cidr(podCIDR));
        }
        List<String> cidrs = errs.stringList(spec, "podCIDRs", SPEC);
        for (int i = 0; i < cidrs.size(); i++) {
            errs.invalidEach(SPEC.child("podCIDRs").index(i), cidrs.get(i), Formats.cidr(cidrs.get(i)));
        }
        if (cidrs.size() > 2) {
            errs.invalid(SPEC.child("podCIDRs"), String.join(",", cidrs), "may specify no more than one CIDR for each IP family");
        }
        errs.bool(spec, "unschedulable", SPEC);
        String autonomy = node.path("metadata").path("annotations").path(AUTONOMY_ANNOTATION).asText(null);
        if (autonomy != null) {
            Long nanos = GoDurations.parseNanos(autonomy);
            if (nanos == null || nanos < 0) {
                errs.invalid(FieldPath.ROOT.child("metadata").child("annotations").key(AUTONOMY_ANNOTATION), autonomy,
                        "must be a duration such as \"10m\" or \"1h30m\", or \"0\" for no limit");
            }
        }
    }

    @Override
    public void validateUpdate(ObjectNode node, ObjectNode old, ErrorCollector errs) {
        String oldProvider = Nodes.textOrEmpty(old.path("spec"), "providerID");
        String provider = Nodes.textOrEmpty(node.path("spec"), "providerID");
        if (!oldProvider.isEmpty() && !oldProvider.equals(provider)) {
            errs.forbidden(SPEC.child("providerID"), "node updates may not change providerID except from \"\" to valid");
        }
        if (old.path("spec").path("podCIDRs").size() > 0
                && !Nodes.sameContent(node.path("spec").get("podCIDRs"), old.path("spec").get("podCIDRs"))) {
            errs.forbidden(SPEC.child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid");
        }
    }
}
