package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Tolerations (pods) and taints (nodes, edge units). */
final class TolerationRules {
    static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    static final List<String> OPERATORS = List.of("Equal", "Exists");

    private TolerationRules() {}

    static void validateTolerations(JsonNode spec, FieldPath specPath, ErrorCollector errs) {
        for (ErrorCollector.Indexed t : errs.objects(spec, "tolerations", specPath)) {
            FieldPath p = t.path();
            String key = errs.string(t.node(), "key", p);
            if (key != null && !key.isEmpty()) {
                errs.invalidEach(p.child("key"), key, Formats.qualifiedName(key));
            }
            String op = errs.string(t.node(), "operator", p);
            String value = errs.string(t.node(), "value", p);
            boolean exists = "Exists".equals(op);
            if ((key == null || key.isEmpty()) && !exists) {
                errs.invalid(p.child("operator"), op == null ? "" : op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }
            if (op == null || op.isEmpty() || op.equals("Equal")) {
                if (value != null) {
                    errs.invalidEach(p.child("operator"), value, Formats.labelValue(value));
                }
            } else if (exists) {
                if (value != null && !value.isEmpty()) {
                    errs.invalid(p.child("operator"), t.node(), "value must be empty when `operator` is 'Exists'");
                }
            } else {
                errs.notSupported(p.child("operator"), op, OPERATORS);
            }
            String effect = errs.string(t.node(), "effect", p);
            if (effect != null && !effect.isEmpty() && !EFFECTS.contains(effect)) {
                errs.notSupported(p.child("effect"), effect, EFFECTS);
            }
            Long seconds = errs.int64(t.node(), "tolerationSeconds", p);
            if (seconds != null && !"NoExecute".equals(effect)) {
                errs.invalid(p.child("effect"), effect == null ? "" : effect,
                        "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
        }
    }

    /** Taints: key required and qualified, value a label value, effect required; no two with one key+effect. */
    static void validateTaints(JsonNode parent, String field, FieldPath parentPath, ErrorCollector errs) {
        Set<String> seen = new HashSet<>();
        for (ErrorCollector.Indexed t : errs.objects(parent, field, parentPath)) {
            FieldPath p = t.path();
            String key = errs.requiredString(t.node(), "key", p, "");
            if (key != null) {
                errs.invalidEach(p.child("key"), key, Formats.qualifiedName(key));
            }
            String value = errs.string(t.node(), "value", p);
            if (value != null) {
                errs.invalidEach(p.child("value"), value, Formats.labelValue(value));
            }
            String effect = errs.requiredString(t.node(), "effect", p, "");
            if (effect != null && !EFFECTS.contains(effect)) {
                errs.notSupported(p.child("effect"), effect, EFFECTS);
            }
            if (key != null && effect != null && !seen.add(key + ":" + effect)) {
                errs.duplicate(p, key + ":" + effect);
            }
        }
    }
}
