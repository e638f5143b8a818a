package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.LabelSelectors;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A batch/v1 JobSpec, in a Job or in a CronJob's job template. */
final class JobSpecRules {
    static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
    static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");
    static final List<String> REPLACEMENT_POLICIES = List.of("TerminatingOrFailed", "Failed");
    /** What a suspended Job that never started may still change in its template. */
    private static final List<String> SCHEDULING_DIRECTIVES =
            List.of("nodeSelector", "tolerations", "affinity", "schedulingGates");

    private JobSpecRules() {}

    /** @param selectorRequired a Job needs a selector (generated or manual); a CronJob's template only a manual one */
    static void validate(ObjectNode spec, FieldPath specPath, boolean selectorRequired, ErrorCollector errs) {
        WorkloadChecks.nonNegative(spec, specPath, errs, "parallelism", "completions", "activeDeadlineSeconds",
                "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes");
        String mode = errs.string(spec, "completionMode", specPath);
        if (mode != null && !COMPLETION_MODES.contains(mode)) {
            errs.notSupported(specPath.child("completionMode"), mode, COMPLETION_MODES);
        }
        if ("Indexed".equals(mode) && (spec.get("completions") == null || spec.get("completions").isNull())) {
            errs.required(specPath.child("completions"), "when completion mode is Indexed");
        }
        String replacement = errs.string(spec, "podReplacementPolicy", specPath);
        if (replacement != null && !REPLACEMENT_POLICIES.contains(replacement)) {
            errs.notSupported(specPath.child("podReplacementPolicy"), replacement, REPLACEMENT_POLICIES);
        }
        Map<String, String> labels = WorkloadChecks.template(spec, specPath, Set.of(), errs);
        boolean manual = Boolean.TRUE.equals(errs.bool(spec, "manualSelector", specPath));
        if (selectorRequired || manual) {
            WorkloadChecks.selectorMatches(spec, specPath, labels, null, errs);
        } else if (spec != null && spec.get("selector") instanceof ObjectNode selector) {
            LabelSelectors.validate(selector, specPath.child("selector"), errs);
        }
        validateRestartPolicy(spec, specPath, errs);
    }

    private static void validateRestartPolicy(ObjectNode spec, FieldPath specPath, ErrorCollector errs) {
        JsonNode podSpec = spec == null ? null : spec.path("template").path("spec");
        if (podSpec == null || !podSpec.isObject()) {
            return;
        }
        FieldPath p = specPath.child("template", "spec", "restartPolicy");
        String policy = Nodes.text(podSpec, "restartPolicy");
        if (policy == null || policy.isEmpty()) {
            return;
        }
        if (!RESTART_POLICIES.contains(policy)) {
            errs.notSupported(p, policy, RESTART_POLICIES);
        } else if (spec.hasNonNull("podFailurePolicy") && !policy.equals("Never")) {
            errs.invalid(p, policy, "only \"Never\" is supported when podFailurePolicy is specified");
        }
    }

    static void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        for (String field : List.of("selector", "completionMode", "podFailurePolicy", "backoffLimitPerIndex")) {
            WorkloadChecks.immutable(object, old, field, errs);
        }
        validateCompletionsChange(object.path("spec"), old.path("spec"), errs);
        validateTemplateChange(object.path("spec"), old, errs);
    }

    /** Completions are fixed, except for an Indexed Job scaled elastically (completions kept == parallelism). */
    private static void validateCompletionsChange(JsonNode spec, JsonNode oldSpec, ErrorCollector errs) {
        JsonNode now = spec.get("completions");
        if (Nodes.sameContent(now, oldSpec.get("completions"))) {
            return;
        }
        boolean elastic = "Indexed".equals(spec.path("completionMode").asText())
                && now != null && Nodes.sameContent(now, spec.get("parallelism"));
        if (!elastic) {
            errs.invalid(FieldPath.ROOT.child("spec", "completions"), now, MetadataValidator.IMMUTABLE);
        }
    }

    private static void validateTemplateChange(JsonNode spec, ObjectNode old, ErrorCollector errs) {
        JsonNode now = spec.get("template");
        JsonNode before = old.path("spec").get("template");
        if (Nodes.sameContent(now, before)) {
            return;
        }
        boolean neverStarted = old.path("spec").path("suspend").asBoolean(false)
                && old.path("status").path("startTime").isMissingNode();
        if (neverStarted && now instanceof ObjectNode template && before instanceof ObjectNode oldTemplate
                && onlySchedulingChanged(template, oldTemplate)) {
            return;
        }
        errs.invalid(FieldPath.ROOT.child("spec", "template"), now, MetadataValidator.IMMUTABLE);
    }

    private static boolean onlySchedulingChanged(ObjectNode template, ObjectNode oldTemplate) {
        ObjectNode a = template.deepCopy();
        ObjectNode b = oldTemplate.deepCopy();
        for (ObjectNode t : List.of(a, b)) {
            if (t.get("metadata") instanceof ObjectNode meta) {
                meta.remove(List.of("labels", "annotations"));
            }
            if (t.get("spec") instanceof ObjectNode podSpec) {
                podSpec.remove(SCHEDULING_DIRECTIVES);
            }
        }
        return Nodes.sameContent(a, b);
    }
}
