package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Nodes.defaultBool;
import static io.kedge.api.validation.Nodes.defaultInt;
import static io.kedge.api.validation.Nodes.defaultText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;

/** Defaults of the apps/v1 and batch/v1 controllers, each also defaulting its pod template. */
final class WorkloadDefaults {
    private WorkloadDefaults() {}

    static void deployment(ObjectNode object) {
        deploymentSpec(Nodes.object(object, "spec"));
    }

    /** Also used for the Deployment template inside a UnitDeployment. */
    static void deploymentSpec(ObjectNode spec) {
        if (spec == null) {
            return;
        }
        defaultInt(spec, "replicas", 1);
        ObjectNode strategy = Nodes.ensureObject(spec, "strategy");
        defaultText(strategy, "type", "RollingUpdate");
        if (strategy != null && "RollingUpdate".equals(Nodes.text(strategy, "type"))) {
            ObjectNode rolling = Nodes.ensureObject(strategy, "rollingUpdate");
            if (rolling != null && Nodes.isUnset(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (rolling != null && Nodes.isUnset(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        defaultInt(spec, "revisionHistoryLimit", 10);
        defaultInt(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.applyToTemplate(Nodes.object(spec, "template"));
    }

    static void replicaSet(ObjectNode object) {
        ObjectNode spec = Nodes.object(object, "spec");
        if (spec != null) {
            defaultInt(spec, "replicas", 1);
            PodSpecDefaults.applyToTemplate(Nodes.object(spec, "template"));
        }
    }

    static void statefulSet(ObjectNode object) {
        ObjectNode spec = Nodes.object(object, "spec");
        if (spec == null) {
            return;
        }
        defaultText(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = Nodes.ensureObject(spec, "updateStrategy");
        if (strategy != null && Nodes.isUnsetOrEmpty(strategy, "type")) {
            strategy.put("type", "RollingUpdate");
            Nodes.ensureObject(strategy, "rollingUpdate");
        }
        if (strategy != null && "RollingUpdate".equals(Nodes.text(strategy, "type"))) {
            defaultInt(Nodes.object(strategy, "rollingUpdate"), "partition", 0);
        }
        ObjectNode retention = Nodes.ensureObject(spec, "persistentVolumeClaimRetentionPolicy");
        defaultText(retention, "whenDeleted", "Retain");
        defaultText(retention, "whenScaled", "Retain");
        defaultInt(spec, "replicas", 1);
        defaultInt(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyToTemplate(Nodes.object(spec, "template"));
        for (ObjectNode claim : Nodes.objects(spec, "volumeClaimTemplates")) {
            defaultText(Nodes.object(claim, "spec"), "volumeMode", "Filesystem");
            defaultText(Nodes.ensureObject(claim, "status"), "phase", "Pending");
        }
    }

    static void daemonSet(ObjectNode object) {
        ObjectNode spec = Nodes.object(object, "spec");
        if (spec == null) {
            return;
        }
        ObjectNode strategy = Nodes.ensureObject(spec, "updateStrategy");
        defaultText(strategy, "type", "RollingUpdate");
        if (strategy != null && "RollingUpdate".equals(Nodes.text(strategy, "type"))) {
            ObjectNode rolling = Nodes.ensureObject(strategy, "rollingUpdate");
            defaultInt(rolling, "maxUnavailable", 1);
            defaultInt(rolling, "maxSurge", 0);
        }
        defaultInt(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyToTemplate(Nodes.object(spec, "template"));
    }

    static void job(ObjectNode object) {
        ObjectNode spec = Nodes.object(object, "spec");
        if (spec == null) {
            return;
        }
        if (Nodes.isUnset(spec, "completions") && Nodes.isUnset(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        defaultInt(spec, "parallelism", 1);
        // A per-index backoff limit replaces the global one, which then must not cut in first.
        defaultInt(spec, "backoffLimit", Nodes.isUnset(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
        defaultText(spec, "completionMode", "NonIndexed");
        defaultBool(spec, "suspend", false);
        defaultText(spec, "podReplacementPolicy",
                Nodes.isUnset(spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
        ObjectNode template = Nodes.object(spec, "template");
        ObjectNode templateMeta = Nodes.object(template, "metadata");
        ObjectNode meta = Nodes.ensureObject(object, "metadata");
        if (templateMeta != null && templateMeta.get("labels") instanceof ObjectNode labels && meta != null
                && Nodes.stringMap(meta, "labels").isEmpty()) {
            meta.set("labels", labels.deepCopy());
        }
        PodSpecDefaults.applyToTemplate(template);
    }

    static void cronJob(ObjectNode object) {
        ObjectNode spec = Nodes.object(object, "spec");
        if (spec == null) {
            return;
        }
        defaultText(spec, "concurrencyPolicy", "Allow");
        defaultBool(spec, "suspend", false);
        defaultInt(spec, "successfulJobsHistoryLimit", 3);
        defaultInt(spec, "failedJobsHistoryLimit", 1);
        PodSpecDefaults.applyToTemplate(Nodes.object(Nodes.object(Nodes.object(spec, "jobTemplate"), "spec"),
                "template"));
    }
}
