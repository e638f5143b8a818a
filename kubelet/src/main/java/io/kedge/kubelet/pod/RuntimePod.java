package io.kedge.kubelet.pod;

import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.Container;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.cri.v1.PodSandboxState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the runtime has of one pod, found by the pod-uid label: its sandboxes and containers, newest first. */
record RuntimePod(String uid, List<PodSandbox> sandboxes, List<ContainerStatus> containers, Map<String, String> sandboxIds) {

    static RuntimePod load(CriRuntime cri, String uid) {
        Map<String, String> selector = Map.of(RuntimeLabels.POD_UID, uid);
        List<PodSandbox> sandboxes = new ArrayList<>(cri.listPodSandboxes(selector));
        sandboxes.sort(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed());
        List<ContainerStatus> containers = new ArrayList<>();
        Map<String, String> sandboxIds = new HashMap<>();
        for (Container c : cri.listContainers(selector)) {
            cri.containerStatus(c.getId()).ifPresent(containers::add);
            sandboxIds.put(c.getId(), c.getPodSandboxId());
        }
        containers.sort(Comparator.comparingLong(ContainerStatus::getCreatedAt).reversed());
        return new RuntimePod(uid, List.copyOf(sandboxes), List.copyOf(containers), Map.copyOf(sandboxIds));
    }

    boolean isEmpty() {
        return sandboxes.isEmpty() && containers.isEmpty();
    }

    Optional<PodSandbox> latestSandbox() {
        return sandboxes.stream().findFirst();
    }

    /** The pod's ready sandbox, if its newest sandbox is ready. */
    Optional<PodSandbox> readySandbox() {
        return latestSandbox().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY);
    }

    /** The instances of one container, newest first, in any sandbox. */
    List<ContainerStatus> instances(String name) {
        return containers.stream().filter(c -> name.equals(c.getLabelsMap().get(RuntimeLabels.CONTAINER_NAME))).toList();
    }

    Optional<ContainerStatus> latest(String name) {
        return instances(name).stream().findFirst();
    }

    /** The newest instance of a container in the given sandbox. */
    Optional<ContainerStatus> latestIn(String name, String sandboxId) {
        return instances(name).stream().filter(c -> sandboxId.equals(sandboxOf(c))).findFirst();
    }

    /** The instance before the newest, which upstream reports as lastState. */
    Optional<ContainerStatus> previous(String name) {
        List<ContainerStatus> all = instances(name);
        return all.size() > 1 ? Optional.of(all.get(1)) : Optional.empty();
    }

    List<ContainerStatus> running() {
        return containers.stream().filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).toList();
    }

    /** The sandbox a container was created in. */
    String sandboxOf(ContainerStatus c) {
        return sandboxIds.getOrDefault(c.getId(), "");
    }

    static int restartCount(ContainerStatus c) {
        try {
            return Integer.parseInt(c.getAnnotationsMap().getOrDefault(RuntimeLabels.RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
