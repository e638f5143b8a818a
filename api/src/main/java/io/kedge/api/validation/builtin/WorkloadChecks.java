package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.LabelSelectors;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks shared by the controllers' specs: pod templates, selectors, counts. */
final class WorkloadChecks {
    static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";

    private WorkloadChecks() {}

    /**
     * Validates {@code <parent>.template} (labels, annotations, pod spec) and returns its labels; a missing
     * template is reported.
     */
    static Map<String, String> template(JsonNode parent, FieldPath parentPath, Set<String> extraVolumes,
                                        ErrorCollector errs) {
        FieldPath p = parentPath.child("template");
        ObjectNode template = errs.object(parent, "template", parentPath);
        if (template == null) {
            errs.required(p, "");
            return Map.of();
        }
        ObjectNode meta = errs.object(template, "metadata", p);
        Map<String, String> labels = errs.stringMap(meta, "labels", p.child("metadata"));
        LabelRules.validateLabels(labels, p.child("metadata", "labels"), errs);
        LabelRules.validateAnnotations(errs.stringMap(meta, "annotations", p.child("metadata")),
                p.child("metadata", "annotations"), errs);
        PodSpecRules.validate(errs.object(template, "spec", p), p.child("spec"), false, extraVolumes, errs);
        return labels;
    }

    /**
     * {@code spec.selector} must be present and non-empty (named after {@code kind} in the message), well
     * formed, and must select the template's labels.
     */
    static void selectorMatches(ObjectNode spec, FieldPath specPath, Map<String, String> templateLabels,
                                String kind, ErrorCollector errs) {
        FieldPath p = specPath.child("selector");
        ObjectNode selector = errs.object(spec, "selector", specPath);
        if (selector == null) {
            if (spec == null || Nodes.isUnset(spec, "selector")) {
                errs.required(p, "");
            }
            return;
        }
        int before = errs.size();
        LabelSelectors.validate(selector, p, errs);
        if (LabelSelectors.isEmpty(selector)) {
            if (kind != null) {
                errs.invalid(p, selector, "empty selector is invalid for " + kind);
            }
            return;
        }
        if (errs.size() == before && !LabelSelectors.matches(selector, templateLabels)) {
            errs.invalid(specPath.child("template", "metadata", "labels"), spec.path("template").path("metadata")
                    .path("labels"), SELECTOR_MISMATCH);
        }
    }

    /** Controllers that keep pods running need {@code restartPolicy: Always} and no deadline. */
    static void alwaysRestarting(ObjectNode spec, FieldPath specPath, String kind, ErrorCollector errs) {
        JsonNode podSpec = spec == null ? null : spec.path("template").path("spec");
        if (podSpec == null || !podSpec.isObject()) {
            return;
        }
        FieldPath p = specPath.child("template", "spec");
        String policy = Nodes.text(podSpec, "restartPolicy");
        if (policy != null && !policy.isEmpty() && !policy.equals("Always")) {
            errs.notSupported(p.child("restartPolicy"), policy, List.of("Always"));
        }
        if (podSpec.hasNonNull("activeDeadlineSeconds")) {
            errs.forbidden(p.child("activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported");
        }
    }

    /** Each named integer field, when present, must be at least 0. */
    static void nonNegative(JsonNode holder, FieldPath path, ErrorCollector errs, String... fields) {
        for (String f : fields) {
            Long v = errs.int64(holder, f, path);
            if (v != null && v < 0) {
                errs.invalid(path.child(f), v, "must be greater than or equal to 0");
            }
        }
    }

    /** {@code spec.<field>} may not change on update. */
    static void immutable(ObjectNode object, ObjectNode old, String field, ErrorCollector errs) {
        JsonNode now = object.path("spec").get(field);
        JsonNode before = old.path("spec").get(field);
        if (!Nodes.sameContent(now, before)) {
            errs.invalid(FieldPath.ROOT.child("spec", field), now, MetadataValidator.IMMUTABLE);
        }
    }
}
