package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Nodes.defaultInt;
import static io.kedge.api.validation.Nodes.defaultIntIfZero;
import static io.kedge.api.validation.Nodes.defaultText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;
import java.util.List;

/**
 * Defaults of a pod spec, wherever it appears: in a Pod, and in every workload's pod template.
 * Pod-only defaults (service links, requests from limits, host ports) live in {@link PodDefaults}.
 */
final class PodSpecDefaults {
    /** Mode 0644, the default permission of files projected from secrets and config maps. */
    static final int DEFAULT_FILE_MODE = 420;
    static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    private PodSpecDefaults() {}

    /** Defaults {@code template.spec} of a pod template, if there is one. */
    static void applyToTemplate(ObjectNode template) {
        ObjectNode spec = Nodes.object(template, "spec");
        if (spec != null) {
            apply(spec);
        }
    }

    static void apply(ObjectNode spec) {
        defaultText(spec, "dnsPolicy", "ClusterFirst");
        defaultText(spec, "restartPolicy", "Always");
        Nodes.ensureObject(spec, "securityContext");
        defaultInt(spec, "terminationGracePeriodSeconds", 30);
        defaultText(spec, "schedulerName", "default-scheduler");
        for (String list : CONTAINER_LISTS) {
            Nodes.objects(spec, list).forEach(PodSpecDefaults::container);
        }
        Nodes.objects(spec, "volumes").forEach(PodSpecDefaults::volume);
    }

    private static void container(ObjectNode c) {
        if (Nodes.isUnsetOrEmpty(c, "imagePullPolicy")) {
            String image = Nodes.text(c, "image");
            String tag = image == null ? "" : ImageReferences.tag(image);
            c.put("imagePullPolicy", tag.equals("latest") ? "Always" : "IfNotPresent");
        }
        defaultText(c, "terminationMessagePath", "/dev/termination-log");
        defaultText(c, "terminationMessagePolicy", "File");
        Nodes.objects(c, "ports").forEach(p -> defaultText(p, "protocol", "TCP"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode p = Nodes.object(c, probe);
            if (p != null) {
                probe(p);
            }
        }
        ObjectNode lifecycle = Nodes.object(c, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            httpGet(Nodes.object(Nodes.object(lifecycle, hook), "httpGet"));
        }
        for (ObjectNode env : Nodes.objects(c, "env")) {
            fieldRef(Nodes.object(Nodes.object(env, "valueFrom"), "fieldRef"));
        }
    }

    private static void probe(ObjectNode p) {
        defaultIntIfZero(p, "timeoutSeconds", 1);
        defaultIntIfZero(p, "periodSeconds", 10);
        defaultIntIfZero(p, "successThreshold", 1);
        defaultIntIfZero(p, "failureThreshold", 3);
        httpGet(Nodes.object(p, "httpGet"));
    }

    private static void httpGet(ObjectNode h) {
        defaultText(h, "path", "/");
        defaultText(h, "scheme", "HTTP");
    }

    private static void fieldRef(ObjectNode ref) {
        defaultText(ref, "apiVersion", "v1");
    }

    private static void volume(ObjectNode v) {
        boolean hasSource = false;
        for (var it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("name") && !e.getValue().isNull()) {
                hasSource = true;
            }
        }
        if (!hasSource) {
            v.putObject("emptyDir");
            return;
        }
        defaultInt(Nodes.object(v, "secret"), "defaultMode", DEFAULT_FILE_MODE);
        defaultInt(Nodes.object(v, "configMap"), "defaultMode", DEFAULT_FILE_MODE);
        ObjectNode downward = Nodes.object(v, "downwardAPI");
        defaultInt(downward, "defaultMode", DEFAULT_FILE_MODE);
        downwardItems(downward);
        ObjectNode projected = Nodes.object(v, "projected");
        defaultInt(projected, "defaultMode", DEFAULT_FILE_MODE);
        for (ObjectNode source : Nodes.objects(projected, "sources")) {
            defaultInt(Nodes.object(source, "serviceAccountToken"), "expirationSeconds", 3600);
            downwardItems(Nodes.object(source, "downwardAPI"));
        }
        ObjectNode hostPath = Nodes.object(v, "hostPath");
        if (hostPath != null && Nodes.isUnset(hostPath, "type")) {
            hostPath.put("type", "");
        }
        ObjectNode claimTemplate = Nodes.object(Nodes.object(v, "ephemeral"), "volumeClaimTemplate");
        defaultText(Nodes.object(claimTemplate, "spec"), "volumeMode", "Filesystem");
    }

    private static void downwardItems(JsonNode downward) {
        for (ObjectNode item : Nodes.objects(downward, "items")) {
            fieldRef(Nodes.object(item, "fieldRef"));
        }
    }
}
