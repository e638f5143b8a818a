package io.kedge.controllers.scheduler;

/**
 * The outcome of one scheduling attempt: the chosen node, or the reason no node fits in
 * kube-scheduler's words ("0/4 nodes are available: ...").
 *
 * @param nodeName          the chosen node, or null
 * @param message           why no node fits, or null
 * @param podAffinityFailed whether some node was refused for pod (anti-)affinity or topology spread,
 *                          so that a newly placed pod elsewhere may change the answer
 * @param schedulerError    whether the pod itself could not be read (a malformed spec), rather than not fitting
 */
public record ScheduleResult(String nodeName, String message, boolean podAffinityFailed, boolean schedulerError) {

    static ScheduleResult scheduled(String node) {
        return new ScheduleResult(node, null, false, false);
    }

    static ScheduleResult unschedulable(String message, boolean podAffinityFailed) {
        return new ScheduleResult(null, message, podAffinityFailed, false);
    }

    static ScheduleResult error(String message) {
        return new ScheduleResult(null, message, false, true);
    }

    public boolean isScheduled() {
        return nodeName != null;
    }
}
