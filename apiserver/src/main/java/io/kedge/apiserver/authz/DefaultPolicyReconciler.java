package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings an existing default role or binding up to what this server's defaults hold, as upstream
 * does at start: it adds missing labels, rules, aggregation selectors and subjects, and never
 * removes anything. An object whose {@code rbac.authorization.kubernetes.io/autoupdate} annotation
 * is no longer {@code "true"} belongs to its operator and is left alone. The rules of an aggregated
 * role are the aggregator's, so only its selectors are reconciled.
 */
final class DefaultPolicyReconciler {
    static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";

    private DefaultPolicyReconciler() {}

    /** The object with what {@code wanted} adds; empty when nothing is to change. */
    static Optional<ObjectNode> reconciled(ObjectNode existing, ObjectNode wanted) {
        if (!"true".equals(existing.path("metadata").path("annotations").path(AUTOUPDATE).asText(""))) {
            return Optional.empty();
        }
        ObjectNode out = existing.deepCopy();
        boolean changed = false;
        ObjectNode labels = object(Meta.metadata(out), "labels");
        for (var e : wanted.path("metadata").path("labels").properties()) {
            if (!labels.has(e.getKey())) {
                labels.set(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (wanted.has("aggregationRule")) {
            changed |= addMissing(array(object(out, "aggregationRule"), "clusterRoleSelectors"),
                    wanted.path("aggregationRule").path("clusterRoleSelectors"));
        } else if (wanted.has("rules")) {
            changed |= addUncovered(array(out, "rules"), wanted.path("rules"));
        }
        if (wanted.has("subjects")) {
            changed |= addMissing(array(out, "subjects"), wanted.path("subjects"));
        }
        return changed ? Optional.of(out) : Optional.empty();
    }

    /** Rules compare by what they grant, so that a stored rule's other spelling is not added again. */
    private static boolean addUncovered(ArrayNode into, JsonNode wanted) {
        boolean changed = false;
        for (JsonNode w : wanted) {
            List<PolicyRule> have = new ArrayList<>();
            into.forEach(r -> have.add(PolicyRule.fromJson(r)));
            if (!EscalationCheck.missing(have, List.of(PolicyRule.fromJson(w))).isEmpty()) {
                into.add(w);
                changed = true;
            }
        }
        return changed;
    }

    /** Selectors and subjects compare by the fields they name (kind, name, namespace, labels). */
    private static boolean addMissing(ArrayNode into, JsonNode wanted) {
        boolean changed = false;
        for (JsonNode w : wanted) {
            boolean present = false;
            for (JsonNode have : into) {
                present |= sameIn(w, have);
            }
            if (!present) {
                into.add(w);
                changed = true;
            }
        }
        return changed;
    }

    /** Whether every field {@code wanted} sets has the same value in {@code have}. */
    private static boolean sameIn(JsonNode wanted, JsonNode have) {
        for (var e : wanted.properties()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n instanceof ObjectNode o ? o : parent.putObject(field);
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n instanceof ArrayNode a ? a : parent.putArray(field);
    }
}
