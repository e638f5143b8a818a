package io.kedge.controllers.units;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.kedge.controllers.nodes.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An EdgeUnit's status from its member nodes: who they are, which are Ready, and a Ready condition over them. */
final class UnitStatus {
    static final String READY = "Ready";

    private UnitStatus() {}

    static EdgeUnit.Status of(List<Node> members, EdgeUnit.Status previous, Instant now) {
        EdgeUnit.Status s = new EdgeUnit.Status();
        List<String> notReady = new ArrayList<>();
        for (Node n : members) {
            String name = n.getMetadata().getName();
            s.nodes.add(name);
            if (isReady(n)) {
                s.readyNodes.add(name);
            } else {
                notReady.add(name);
            }
        }
        s.nodes.sort(null);
        s.readyNodes.sort(null);
        notReady.sort(null);
        String status;
        String reason;
        String message;
        if (members.isEmpty()) {
            status = "False";
            reason = "NoNodes";
            message = "No node carries the label " + EdgeUnit.UNIT_LABEL + " for this unit.";
        } else if (notReady.isEmpty()) {
            status = "True";
            reason = "AllNodesReady";
            message = "All " + members.size() + " node(s) are Ready.";
        } else {
            status = "False";
            reason = "NodesNotReady";
            message = s.readyNodes.size() + " of " + members.size() + " node(s) are Ready; not Ready: "
                    + String.join(", ", notReady) + ".";
        }
        Condition before = previous == null || previous.conditions == null ? null
                : previous.conditions.stream().filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
        String since = before != null && status.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime() : Timestamps.format(now);
        s.conditions.add(new ConditionBuilder().withType(READY).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).build());
        return s;
    }

    /** Whether writing {@code now} over {@code before} would change anything a reader sees. */
    static boolean same(EdgeUnit.Status before, EdgeUnit.Status now) {
        if (before == null) {
            return false;
        }
        return Objects.equals(orEmpty(before.nodes), now.nodes) && Objects.equals(orEmpty(before.readyNodes), now.readyNodes)
                && sameConditions(orEmpty(before.conditions), now.conditions);
    }

    private static boolean sameConditions(List<Condition> a, List<Condition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Condition x = a.get(i);
            Condition y = b.get(i);
            if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
                    || !Objects.equals(x.getReason(), y.getReason()) || !Objects.equals(x.getMessage(), y.getMessage())) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    static boolean isReady(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : n.getStatus().getConditions()) {
            if (READY.equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
