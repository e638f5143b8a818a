package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;

/** batch/v1 Job. */
final class JobRules implements KindRules {
    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String LEGACY_JOB_NAME = "job-name";
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode job, ErrorCollector errs) {
        ObjectNode spec = errs.object(job, "spec", FieldPath.ROOT);
        JobSpecRules.validate(spec, SPEC, true, errs);
        String uid = Nodes.text(job.path("metadata"), "uid");
        boolean manual = spec != null && spec.path("manualSelector").asBoolean(false);
        if (!manual && uid != null && !uid.isEmpty() && spec != null && spec.get("selector") instanceof ObjectNode s) {
            JsonNode generated = s.path("matchLabels").get(CONTROLLER_UID);
            if (generated == null || !uid.equals(generated.asText())) {
                errs.invalid(SPEC.child("selector"), s, "`selector` not auto-generated");
            }
        }
    }

    @Override
    public void validateUpdate(ObjectNode job, ObjectNode old, ErrorCollector errs) {
        JobSpecRules.validateUpdate(job, old, errs);
    }

    /**
     * Create-time selector generation: unless the user manages the selector, the Job selects its pods by its
     * own uid, and the template carries that uid and the Job's name as labels.
     */
    static void generateSelector(ObjectNode job) {
        ObjectNode spec = Nodes.object(job, "spec");
        String uid = Nodes.text(job.path("metadata"), "uid");
        String name = Nodes.textOrEmpty(job.path("metadata"), "name");
        if (spec == null || uid == null || uid.isEmpty() || spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        ObjectNode template = Nodes.ensureObject(spec, "template");
        ObjectNode labels = Nodes.ensureObject(Nodes.ensureObject(template, "metadata"), "labels");
        if (labels != null) {
            Nodes.defaultText(labels, CONTROLLER_UID, uid);
            Nodes.defaultText(labels, LEGACY_CONTROLLER_UID, uid);
            Nodes.defaultText(labels, JOB_NAME, name);
            Nodes.defaultText(labels, LEGACY_JOB_NAME, name);
        }
        if (Nodes.isUnset(spec, "selector")) {
            spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
        }
    }
}
