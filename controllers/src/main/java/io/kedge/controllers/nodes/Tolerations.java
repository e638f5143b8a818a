package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;

/** Whether a pod's tolerations cover a node's taints, by the rules the scheduler and kubelet use. */
public final class Tolerations {
    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    private Tolerations() {}

    /**
     * An empty effect matches every effect; an empty key with operator Exists matches every taint;
     * operator Equal (the default) also needs the values to be equal.
     */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator();
        if ("Exists".equals(operator)) {
            return true;
        }
        if (operator == null || operator.isEmpty() || "Equal".equals(operator)) {
            return nullToEmpty(toleration.getValue()).equals(nullToEmpty(taint.getValue()));
        }
        return false;
    }

    public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        return tolerations != null && tolerations.stream().anyMatch(t -> tolerates(t, taint));
    }

    /** The taints with one of the given effects that no toleration covers. */
    public static List<Taint> untolerated(List<Toleration> tolerations, List<Taint> taints, String... effects) {
        List<Taint> out = new ArrayList<>();
        if (taints == null) {
            return out;
        }
        for (Taint taint : taints) {
            if (hasEffect(taint, effects) && !tolerated(tolerations, taint)) {
                out.add(taint);
            }
        }
        return out;
    }

    static boolean hasEffect(Taint taint, String... effects) {
        for (String e : effects) {
            if (e.equals(taint.getEffect())) {
                return true;
            }
        }
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
