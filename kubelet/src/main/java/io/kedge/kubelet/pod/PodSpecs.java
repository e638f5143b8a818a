package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** Null-safe reads of a pod spec's parts that the pod workers use often. */
final class PodSpecs {
    static final long DEFAULT_GRACE_SECONDS = 30;

    private PodSpecs() {
    }

    static List<Container> initContainers(Pod pod) {
        return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    }

    static List<Container> containers(Pod pod) {
        return pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    }

    static List<Container> allContainers(Pod pod) {
        List<Container> all = new ArrayList<>(initContainers(pod));
        all.addAll(containers(pod));
        return all;
    }

    /**
     * An init container with {@code restartPolicy: Always}: a sidecar. It counts as done once it
     * has started, keeps running beside the app containers, and is restarted whenever it exits.
     */
    static boolean isSidecar(Container c) {
        return "Always".equals(c.getRestartPolicy());
    }

    static List<Container> sidecars(Pod pod) {
        return initContainers(pod).stream().filter(PodSpecs::isSidecar).toList();
    }

    /** The containers that run beside each other once the pod is initialized: the sidecars and the app containers. */
    static List<Container> longRunning(Pod pod) {
        List<Container> all = new ArrayList<>(sidecars(pod));
        all.addAll(containers(pod));
        return all;
    }

    static String restartPolicy(Pod pod) {
        return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    }

    static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }

    /** namespace/name, for logs and messages. */
    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** The grace period a deletion gives the pod: the deletion's own, else the spec's, else 30s. */
    static long gracePeriodSeconds(Pod pod) {
        if (pod.getMetadata().getDeletionGracePeriodSeconds() != null) {
            return pod.getMetadata().getDeletionGracePeriodSeconds();
        }
        Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
        return spec != null ? spec : DEFAULT_GRACE_SECONDS;
    }

    static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
