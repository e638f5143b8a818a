package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.framework.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users what the scheduler decided, the way kube-scheduler does: a "Scheduled" event on
 * success; on failure a "FailedScheduling" warning and the pod's PodScheduled condition set False
 * with reason Unschedulable. Runs on its own threads so that API latency never slows scheduling.
 */
final class SchedulingReporter {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulingReporter.class);
    static final String COMPONENT = "default-scheduler";
    static final String POD_SCHEDULED = "PodScheduled";

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    /** Each pod's reports go through one lane, in order, so that a later attempt's message is the one left. */
    private final ThreadPoolExecutor[] lanes = new ThreadPoolExecutor[2];

    SchedulingReporter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(client, COMPONENT, clock);
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "scheduler-reporter");
                t.setDaemon(true);
                return t;
            });
            lanes[i].allowCoreThreadTimeOut(true);
        }
    }

    /** The thread that reports on this pod; binding outcomes are handled there too, off the HTTP client's threads. */
    Executor lane(Pod pod) {
        return lanes[Math.floorMod(SchedulerCache.uidOf(pod).hashCode(), lanes.length)];
    }

    void scheduled(Pod pod, String nodeName) {
        lane(pod).execute(() -> events.normal(pod, "Scheduled", "Successfully assigned " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName() + " to " + nodeName));
    }

    void bindingFailed(Pod pod, String message) {
        lane(pod).execute(() -> events.warning(pod, "FailedScheduling", "Binding rejected: " + message));
    }

    /**
     * @param current reads the pod's latest state when the report runs, so that a pod bound in the
     *                meantime gets no stale failure
     */
    void failed(Pod pod, String reason, String message, Supplier<Pod> current) {
        lane(pod).execute(() -> {
            Pod latest = current.get();
            if (latest == null || !Scheduler.isPending(latest)) {
                return;
            }
            events.warning(latest, "FailedScheduling", message);
            if (!alreadySays(latest, reason, message)) {
                patchCondition(latest, reason, message);
            }
        });
    }

    private static boolean alreadySays(Pod pod, String reason, String message) {
        PodCondition c = condition(pod);
        return c != null && "False".equals(c.getStatus()) && reason.equals(c.getReason()) && message.equals(c.getMessage());
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> POD_SCHEDULED.equals(c.getType())).findFirst().orElse(null);
    }

    private void patchCondition(Pod pod, String reason, String message) {
        PodCondition existing = condition(pod);
        String since = existing != null && "False".equals(existing.getStatus()) && existing.getLastTransitionTime() != null
                ? existing.getLastTransitionTime() : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        PodCondition c = new PodConditionBuilder().withType(POD_SCHEDULED).withStatus("False").withReason(reason)
                .withMessage(message).withLastTransitionTime(since).build();
        // a strategic merge patch replaces only the PodScheduled entry (conditions merge on "type")
        String patch = client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", List.of(c))));
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
        } catch (KubernetesClientException e) {
            LOG.debug("scheduler: condition of pod {}/{} not updated: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
        }
    }
}
