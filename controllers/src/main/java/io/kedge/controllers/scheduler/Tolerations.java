package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Which taints a pod's tolerations cover, by upstream's matching rules. */
final class Tolerations {
    static final String NO_SCHEDULE = "NoSchedule";
    static final String NO_EXECUTE = "NoExecute";
    static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    static final Taint UNSCHEDULABLE = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable").withEffect(NO_SCHEDULE).build();

    private Tolerations() {}

    /**
     * An empty effect matches every effect and an empty key with Exists matches every key; Equal
     * (the default operator) also compares values.
     */
    static boolean tolerates(Toleration t, Taint taint) {
        if (!isEmpty(t.getEffect()) && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (!isEmpty(t.getKey()) && !t.getKey().equals(taint.getKey())) {
            return false;
        }
        String op = t.getOperator();
        if (isEmpty(op) || "Equal".equals(op)) {
            return nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()));
        }
        return "Exists".equals(op);
    }

    static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first NoSchedule or NoExecute taint the pod does not tolerate, or null. */
    static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint taint : taints) {
            String effect = taint.getEffect();
            if ((NO_SCHEDULE.equals(effect) || NO_EXECUTE.equals(effect)) && !tolerated(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    /** PreferNoSchedule taints not covered by the pod's tolerations with an empty or PreferNoSchedule effect. */
    static int intolerablePreferNoSchedule(List<Taint> taints, List<Toleration> tolerations) {
        int n = 0;
        for (Taint taint : taints) {
            if (!PREFER_NO_SCHEDULE.equals(taint.getEffect())) {
                continue;
            }
            boolean covered = false;
            for (Toleration t : tolerations) {
                if ((isEmpty(t.getEffect()) || PREFER_NO_SCHEDULE.equals(t.getEffect())) && tolerates(t, taint)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                n++;
            }
        }
        return n;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
