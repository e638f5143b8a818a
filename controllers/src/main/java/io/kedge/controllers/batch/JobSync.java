package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * One reconcile of one unfinished Job: count its finished pods, decide whether it has succeeded or
 * failed, create or delete pods, and record the outcome in its status.
 *
 * <p>Finished pods are counted exactly once through the tracking finalizer: a finished pod's uid is
 * first written to {@code status.uncountedTerminatedPods}, then its finalizer is removed, then it
 * moves from there into the counters. A crash between any two steps leaves enough in the API to
 * finish the job on the next run.
 */
final class JobSync {
    /** Upstream's bounds on one sync, keeping the status small and letting other Jobs have a turn. */
    private static final int MAX_UNCOUNTED = 500;
    private static final int MAX_POD_CHANGES = 500;

    /** A Job's decided outcome: the interim condition is set at once, the terminal one when every pod is accounted for. */
    private record Outcome(boolean success, String reason, String message) {
        String interimType() {
            return success ? JobConditions.SUCCESS_CRITERIA_MET : JobConditions.FAILURE_TARGET;
        }

        String terminalType() {
            return success ? JobConditions.COMPLETE : JobConditions.FAILED;
        }
    }

    private final JobRuntime rt;
    private final Job cached;
    private final Job job;
    private final JobSpec spec;
    private final JobStatus status;
    private final List<Pod> pods;
    private final Instant now;
    private final String uid;
    private final boolean indexed;
    private final Integer completions;
    private final boolean suspended;
    private final PodActions actions;
    private final Set<String> releasing = new HashSet<>();
    private final Set<String> uncountedSucceeded = new LinkedHashSet<>();
    private final Set<String> uncountedFailed = new LinkedHashSet<>();
    private int active;
    private int ready;
    private int terminating;
    private Duration recheck;

    JobSync(JobRuntime rt, Job cached, Job workingCopy, List<Pod> pods) {
        this.rt = rt;
        this.cached = cached;
        this.job = workingCopy;
        this.spec = workingCopy.getSpec();
        this.status = workingCopy.getStatus() != null ? workingCopy.getStatus() : new JobStatus();
        workingCopy.setStatus(status);
        if (status.getUncountedTerminatedPods() == null) {
            status.setUncountedTerminatedPods(new UncountedTerminatedPods());
        }
        if (status.getConditions() == null) {
            status.setConditions(new ArrayList<>());
        }
        this.pods = pods;
        this.now = rt.ctx().clock().instant();
        this.uid = JobPods.uid(cached);
        this.indexed = "Indexed".equals(spec.getCompletionMode());
        this.completions = spec.getCompletions();
        this.suspended = Boolean.TRUE.equals(spec.getSuspend());
        this.actions = new PodActions(rt, cached, now);
        if (indexed && completions == null) {
            throw new IllegalArgumentException("job " + cached.getMetadata().getName() + " is Indexed but has no spec.completions");
        }
    }

    /** @return when to look at the Job again though nothing changes (a deadline or a back-off), or null */
    Duration run() {
        boolean settled = rt.expectations().podsSettled(uid, pods, now);
        releasing.addAll(rt.expectations().beingReleased(uid));
        uncountedSucceeded.addAll(nonNull(status.getUncountedTerminatedPods().getSucceeded()));
        uncountedFailed.addAll(nonNull(status.getUncountedTerminatedPods().getFailed()));
        List<Pod> activePods = pods.stream().filter(JobPods::active).toList();
        active = activePods.size();
        ready = (int) activePods.stream().filter(JobPods::ready).count();
        terminating = (int) pods.stream().filter(JobPods::terminating).count();

        List<Pod> newSucceeded = pods.stream().filter(this::uncounted).filter(JobPods::succeeded).toList();
        List<Pod> newFailed = pods.stream().filter(this::uncounted).filter(this::countsAsFailed).toList();
        int succeeded = orZero(status.getSucceeded()) + newSucceeded.size() + uncountedSucceeded.size();
        int failed = orZero(status.getFailed()) + newFailed.size() + uncountedFailed.size();
        if (status.getStartTime() == null && !suspended) {
            status.setStartTime(time(now));
        }
        PodFailureBackoff.Record backoff = rt.backoff().next(uid, newSucceeded, newFailed, now);

        SortedSet<Integer> succeededIndexes = null;
        if (indexed) {
            succeededIndexes = CompletedIndexes.parse(status.getCompletedIndexes(), completions);
            for (Pod p : pods) {
                if (tracked(p) && JobPods.succeeded(p) && validIndex(p)) {
                    succeededIndexes.add(JobPods.completionIndex(p));
                }
            }
            succeeded = succeededIndexes.size();
        }

        Outcome outcome = decidedOutcome(failed);
        if (outcome != null) {
            actions.deleteKeepingFinalizers(activePods, this::deleted);
            if (!settled) {
                outcome = null; // pods the cache does not show yet may still need counting
            }
        } else {
            boolean managed = false;
            if (settled && !JobPods.beingDeleted(cached)) {
                manage(activePods, succeeded, succeededIndexes, backoff);
                managed = true;
            }
            boolean complete = completions == null ? succeeded > 0 && active == 0 : succeeded >= completions && active == 0;
            if (complete) {
                outcome = new Outcome(true, "CompletionsReached", "Reached expected number of succeeded pods");
            } else if (managed) {
                updateSuspendedCondition();
            }
        }
        status.setActive(active);
        status.setReady(ready);
        status.setTerminating(terminating);
        if (indexed) {
            status.setCompletedIndexes(CompletedIndexes.format(succeededIndexes));
            status.setSucceeded(succeededIndexes.size());
        }
        track(outcome, backoff);
        return recheck;
    }

    /** Success or failure already recorded in an interim condition, or failure by back-off limit or deadline. */
    private Outcome decidedOutcome(int failed) {
        JobCondition met = JobConditions.findTrue(cached, JobConditions.SUCCESS_CRITERIA_MET).orElse(null);
        if (met != null) {
            return new Outcome(true, met.getReason(), met.getMessage());
        }
        JobCondition target = JobConditions.findTrue(cached, JobConditions.FAILURE_TARGET).orElse(null);
        if (target != null) {
            return new Outcome(false, target.getReason(), target.getMessage());
        }
        if (failed > orDefault(spec.getBackoffLimit(), 6)) {
            return new Outcome(false, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        Instant start = JobPods.parseTime(status.getStartTime());
        if (spec.getActiveDeadlineSeconds() != null && start != null && !suspended) {
            Duration left = Duration.ofSeconds(spec.getActiveDeadlineSeconds()).minus(Duration.between(start, now));
            if (left.isNegative() || left.isZero()) {
                return new Outcome(false, "DeadlineExceeded", "Job was active longer than specified deadline");
            }
            recheckIn(left);
        }
        return null;
    }

    /** Brings the number of running pods to what the Job wants now: none when suspended, else up to parallelism. */
    private void manage(List<Pod> activePods, int succeeded, SortedSet<Integer> succeededIndexes, PodFailureBackoff.Record backoff) {
        if (suspended) {
            actions.deleteReleasingFinalizers(PodOrder.forRemoval(activePods), this::deleted, releasing);
            return;
        }
        int parallelism = orDefault(spec.getParallelism(), 1);
        int want = completions == null ? (succeeded > 0 ? active : parallelism)
                : Math.max(0, Math.min(completions - succeeded, parallelism));
        List<Pod> excess = indexed ? PodOrder.indexedRemovals(activePods, active - want, completions)
                : PodOrder.forRemoval(activePods).subList(0, Math.max(0, active - want));
        if (!excess.isEmpty()) {
            actions.deleteReleasingFinalizers(excess.subList(0, Math.min(excess.size(), MAX_POD_CHANGES)), this::deleted, releasing);
            return;
        }
        int missing = want - active - (onlyReplaceFailedPods() ? terminating : 0);
        if (missing <= 0) {
            return;
        }
        Duration wait = PodFailureBackoff.remaining(backoff, now, rt.settings().podFailureBackoff(), rt.settings().maxPodFailureBackoff());
        if (wait.compareTo(Duration.ZERO) > 0) {
            recheckIn(wait);
            return;
        }
        missing = Math.min(missing, MAX_POD_CHANGES);
        if (indexed) {
            for (int index : pendingIndexes(activePods, succeededIndexes, missing)) {
                active += actions.create(index);
            }
        } else {
            for (int i = 0; i < missing; i++) {
                active += actions.create(JobPods.NO_INDEX);
            }
        }
    }

    private void deleted(Pod pod) {
        active--;
        terminating++;
        if (JobPods.ready(pod)) {
            ready--;
        }
    }

    /** The lowest indexes that have neither succeeded nor a pod working on them. */
    private List<Integer> pendingIndexes(List<Pod> activePods, SortedSet<Integer> succeededIndexes, int count) {
        Set<Integer> taken = new HashSet<>(succeededIndexes);
        activePods.forEach(p -> taken.add(JobPods.completionIndex(p)));
        if (onlyReplaceFailedPods()) {
            pods.stream().filter(JobPods::terminating).forEach(p -> taken.add(JobPods.completionIndex(p)));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < completions && out.size() < count; i++) {
            if (!taken.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private void updateSuspendedCondition() {
        if (suspended) {
            if (JobConditions.ensure(status.getConditions(), JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                rt.ctx().events().normal(cached, "Suspended", "Job suspended");
            }
        } else if (JobConditions.ensure(status.getConditions(), JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
            rt.ctx().events().normal(cached, "Resumed", "Job resumed");
            // the active deadline counts the time the Job has been running since it was last resumed
            status.setStartTime(time(now));
        }
    }

    /** Moves finished pods into the counters through the uncounted list and the finalizer, then ends the Job if it is done. */
    private void track(Outcome outcome, PodFailureBackoff.Record backoff) {
        List<Pod> toRelease = new ArrayList<>();
        boolean capped = false;
        List<Pod> candidates = new ArrayList<>(pods.stream().filter(this::tracked).toList());
        if (indexed) {
            candidates.sort(Comparator.comparingInt(JobPods::completionIndex));
        }
        for (Pod pod : candidates) {
            boolean failedPod = countsAsFailed(pod);
            if (!(JobPods.beingDeleted(cached) || outcome != null || JobPods.succeeded(pod) || failedPod)) {
                continue;
            }
            toRelease.add(pod);
            String podUid = JobPods.uid(pod);
            if (JobPods.succeeded(pod) && !uncountedFailed.contains(podUid)) {
                if (!indexed) {
                    uncountedSucceeded.add(podUid); // an Indexed Job counts successes by index instead
                }
            } else if ((failedPod || (outcome != null && !outcome.success())) && (!indexed || validIndex(pod))) {
                uncountedFailed.add(podUid); // once a Job fails, its unfinished pods count as failed
            }
            if (uncountedSucceeded.size() + uncountedFailed.size() >= MAX_UNCOUNTED) {
                capped = true;
                break;
            }
        }
        if (outcome != null && JobConditions.find(status.getConditions(), outcome.interimType())
                .filter(c -> "True".equals(c.getStatus())).isEmpty()) {
            JobConditions.ensure(status.getConditions(), outcome.interimType(), "True", outcome.reason(), outcome.message(), now);
        }
        setUncounted();
        if (!Objects.equals(status, cached.getStatus())) {
            actions.writeStatus(job);
        }
        rt.backoff().commit(uid, backoff);

        Set<String> stillTracked = new HashSet<>();
        pods.stream().filter(this::tracked).forEach(p -> stillTracked.add(JobPods.uid(p)));
        KubernetesClientException releaseError = null;
        for (Pod pod : toRelease) {
            try {
                actions.releaseFinalizer(pod);
                stillTracked.remove(JobPods.uid(pod));
            } catch (KubernetesClientException e) {
                releaseError = e;
            }
        }
        boolean counted = countReleased(stillTracked);
        boolean finished = outcome != null && !capped && uncountedSucceeded.isEmpty() && uncountedFailed.isEmpty() && terminating == 0;
        if (finished) {
            JobConditions.ensure(status.getConditions(), outcome.terminalType(), "True", outcome.reason(), outcome.message(), now);
            if (outcome.success()) {
                status.setCompletionTime(time(now));
            }
        }
        if (counted || finished) {
            actions.writeStatus(job);
        }
        if (finished) {
            recordFinished(outcome);
        }
        if (releaseError != null) {
            throw releaseError;
        }
    }

    /** Counts the uncounted pods that no longer hold the finalizer (or are gone). */
    private boolean countReleased(Set<String> stillTracked) {
        int before = uncountedSucceeded.size() + uncountedFailed.size();
        int succeededNow = (int) uncountedSucceeded.stream().filter(u -> !stillTracked.contains(u)).count();
        int failedNow = (int) uncountedFailed.stream().filter(u -> !stillTracked.contains(u)).count();
        uncountedSucceeded.retainAll(stillTracked);
        uncountedFailed.retainAll(stillTracked);
        if (!indexed) {
            status.setSucceeded(orZero(status.getSucceeded()) + succeededNow);
        }
        status.setFailed(orZero(status.getFailed()) + failedNow);
        setUncounted();
        return uncountedSucceeded.size() + uncountedFailed.size() != before;
    }

    private void recordFinished(Outcome outcome) {
        if (outcome.success()) {
            if (completions != null && orZero(status.getSucceeded()) > completions) {
                rt.ctx().events().warning(cached, "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
            }
            rt.ctx().events().normal(cached, "Completed", "Job completed");
        } else {
            rt.ctx().events().warning(cached, outcome.reason(), outcome.message());
        }
    }

    private void setUncounted() {
        UncountedTerminatedPods u = new UncountedTerminatedPods();
        u.setSucceeded(new ArrayList<>(uncountedSucceeded));
        u.setFailed(new ArrayList<>(uncountedFailed));
        status.setUncountedTerminatedPods(u);
    }

    /** Whether the pod still holds the finalizer, as far as this controller knows. */
    private boolean tracked(Pod p) {
        return JobPods.hasTrackingFinalizer(p) && !releasing.contains(JobPods.uid(p));
    }

    /** Tracked, not yet in the uncounted lists, and (for Indexed Jobs) with a usable index. */
    private boolean uncounted(Pod p) {
        String podUid = JobPods.uid(p);
        return tracked(p) && !uncountedSucceeded.contains(podUid) && !uncountedFailed.contains(podUid)
                && (!indexed || validIndex(p));
    }

    /** A failed pod, or one deleted before it succeeded, unless the Job replaces only pods that reached Failed. */
    private boolean countsAsFailed(Pod p) {
        if ("Failed".equals(JobPods.phase(p))) {
            return true;
        }
        return !onlyReplaceFailedPods() && JobPods.beingDeleted(p) && !JobPods.succeeded(p);
    }

    private boolean onlyReplaceFailedPods() {
        return "Failed".equals(spec.getPodReplacementPolicy()) || spec.getPodFailurePolicy() != null;
    }

    private boolean validIndex(Pod p) {
        int ix = JobPods.completionIndex(p);
        return ix != JobPods.NO_INDEX && completions != null && ix < completions;
    }

    private void recheckIn(Duration d) {
        if (recheck == null || d.compareTo(recheck) < 0) {
            recheck = d;
        }
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static int orDefault(Integer i, int d) {
        return i == null ? d : i;
    }

    private static List<String> nonNull(List<String> l) {
        return l == null ? List.of() : l;
    }
}
