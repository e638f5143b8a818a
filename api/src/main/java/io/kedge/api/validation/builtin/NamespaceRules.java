package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** core/v1 Namespace: its finalizers, its default label, and the finalizer it gets on create. */
final class NamespaceRules implements KindRules {
    static final String NAME_LABEL = "kubernetes.io/metadata.name";
    static final String KUBERNETES_FINALIZER = "kubernetes";
    static final List<String> PHASES = List.of("Active", "Terminating");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode namespace, ErrorCollector errs) {
        ObjectNode spec = errs.object(namespace, "spec", FieldPath.ROOT);
        List<String> finalizers = errs.stringList(spec, "finalizers", SPEC);
        for (int i = 0; i < finalizers.size(); i++) {
            String f = finalizers.get(i);
            FieldPath p = SPEC.child("finalizers").index(i);
            List<String> problems = Formats.qualifiedName(f);
            if (!problems.isEmpty()) {
                errs.invalidEach(p, f, problems);
            } else if (!f.contains("/") && !f.equals(KUBERNETES_FINALIZER)) {
                errs.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified");
            }
        }
        String phase = errs.string(namespace.path("status"), "phase", FieldPath.ROOT.child("status"));
        if (phase != null && !PHASES.contains(phase)) {
            errs.notSupported(FieldPath.ROOT.child("status", "phase"), phase, PHASES);
        }
    }

    /** Every write: the name label (which selectors in network policies rely on) and the Active phase. */
    static void defaults(ObjectNode namespace) {
        ObjectNode meta = Nodes.object(namespace, "metadata");
        String name = Nodes.text(meta, "name");
        if (name != null && !name.isEmpty()) {
            ObjectNode labels = Nodes.ensureObject(meta, "labels");
            if (labels != null) {
                labels.put(NAME_LABEL, name);
            }
        }
        Nodes.defaultText(Nodes.ensureObject(namespace, "status"), "phase", "Active");
    }

    /**
     * On create only: the namespace controller's finalizer. It is not a default, because the controller
     * removes it while deleting, and defaulting would put it back.
     */
    static void prepareForCreate(ObjectNode namespace) {
        ObjectNode spec = Nodes.ensureObject(namespace, "spec");
        if (spec == null) {
            return;
        }
        JsonNode existing = spec.get("finalizers");
        ArrayNode finalizers = existing instanceof ArrayNode a ? a
                : existing == null || existing.isNull() ? spec.putArray("finalizers") : null;
        if (finalizers == null) {
            return;
        }
        for (JsonNode f : finalizers) {
            if (KUBERNETES_FINALIZER.equals(f.asText())) {
                return;
            }
        }
        finalizers.add(KUBERNETES_FINALIZER);
    }

    /** Updates through the main resource keep the stored finalizers; only the finalize subresource changes them. */
    static void keepFinalizers(ObjectNode namespace, ObjectNode old) {
        JsonNode before = old.path("spec").get("finalizers");
        ObjectNode spec = Nodes.ensureObject(namespace, "spec");
        if (spec == null) {
            return;
        }
        if (before == null) {
            spec.remove("finalizers");
        } else {
            spec.set("finalizers", before.deepCopy());
        }
    }
}
