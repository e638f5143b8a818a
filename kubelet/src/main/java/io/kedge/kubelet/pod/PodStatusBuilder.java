package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A pod's status from what the runtime has of it, computed whole each time: phase, conditions,
 * container statuses (state, lastState, restartCount, ready, started, image, imageID,
 * containerID), pod and host IPs, start time and QoS class. Transition times and the start time
 * carry over from the current status, so an unchanged pod gives an equal status.
 */
final class PodStatusBuilder {
    private final String runtimeName;

    /** @param runtimeName the runtime's name from CRI Version, the scheme of container IDs ({@code containerd://…}) */
    PodStatusBuilder(String runtimeName) {
        this.runtimeName = runtimeName;
    }

    /** What the pod workers know of a pod beyond the runtime's containers. */
    record Inputs(RuntimePod runtime, List<String> podIps, String hostIp, Map<String, Waiting> waiting,
            Predicate<ContainerStatus> ready, Predicate<ContainerStatus> started, Function<ContainerStatus, String> message,
            Instant now, boolean terminating) {
    }

    PodStatus build(Pod pod, Inputs in) {
        PodStatus current = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String now = time(in.now());
        List<io.fabric8.kubernetes.api.model.ContainerStatus> inits = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.ContainerStatus> sidecars = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.ContainerStatus> regularInits = new ArrayList<>();
        for (Container c : PodSpecs.initContainers(pod)) {
            io.fabric8.kubernetes.api.model.ContainerStatus s = containerStatus(c, in, false);
            inits.add(s);
            (PodSpecs.isSidecar(c) ? sidecars : regularInits).add(s);
        }
        // once app containers have run, the pod stays initialized while a sidecar restarts
        boolean appsRan = PodSpecs.containers(pod).stream().anyMatch(c -> in.runtime().latest(c.getName()).isPresent());
        List<String> incomplete = new ArrayList<>();
        regularInits.stream().filter(s -> !succeeded(s)).forEach(s -> incomplete.add(s.getName()));
        if (!appsRan) {
            sidecars.stream().filter(s -> !Boolean.TRUE.equals(s.getStarted())).forEach(s -> incomplete.add(s.getName()));
        }
        boolean initialized = incomplete.isEmpty();
        List<io.fabric8.kubernetes.api.model.ContainerStatus> apps = new ArrayList<>();
        for (Container c : PodSpecs.containers(pod)) {
            apps.add(containerStatus(c, in, !initialized));
        }
        String phase = phase(pod, regularInits, apps, initialized, in.terminating());
        if (PodSpecs.isTerminal(pod)) {
            // a pod never leaves Succeeded or Failed
            phase = current.getPhase();
        }
        List<String> unready = new ArrayList<>();
        for (List<io.fabric8.kubernetes.api.model.ContainerStatus> group : List.of(sidecars, apps)) {
            group.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).forEach(s -> unready.add(s.getName()));
        }

        PodStatus status = new PodStatus();
        status.setPhase(phase);
        status.setConditions(conditions(current, incomplete, unready, now));
        status.setInitContainerStatuses(inits);
        status.setContainerStatuses(apps);
        status.setQosClass(ResourceLimits.qosClass(pod));
        status.setStartTime(current.getStartTime() != null ? current.getStartTime() : now);
        if (in.hostIp() != null && !in.hostIp().isEmpty()) {
            status.setHostIP(in.hostIp());
            status.setHostIPs(List.of(new HostIP(in.hostIp())));
        }
        List<String> podIps = SandboxManager.hostNetwork(pod) && in.hostIp() != null && !in.hostIp().isEmpty()
                ? List.of(in.hostIp()) : in.podIps();
        if (!podIps.isEmpty()) {
            status.setPodIP(podIps.get(0));
            status.setPodIPs(podIps.stream().map(PodIP::new).toList());
        } else {
            // a stopped sandbox no longer reports its IP; the pod keeps the one it had
            status.setPodIP(current.getPodIP());
            status.setPodIPs(current.getPodIPs());
        }
        status.setNominatedNodeName(current.getNominatedNodeName());
        return status;
    }

    private io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(Container c, Inputs in, boolean initPending) {
        ContainerStatusBuilder b = new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(c.getImage())
                .withImageID("")
                .withRestartCount(0)
                .withReady(false)
                .withStarted(false);
        Optional<ContainerStatus> latest = in.runtime().latest(c.getName());
        Optional<ContainerStatus> previous = in.runtime().previous(c.getName());
        Waiting waiting = in.waiting().get(c.getName());
        if (latest.isEmpty()) {
            Waiting w = waiting != null ? waiting
                    : new Waiting(initPending ? Waiting.POD_INITIALIZING : Waiting.CONTAINER_CREATING, null);
            return b.withState(waiting(w)).build();
        }
        ContainerStatus s = latest.get();
        b.withContainerID(runtimeName + "://" + s.getId())
                .withImageID(s.getImageRef())
                .withRestartCount(RuntimePod.restartCount(s));
        switch (s.getState()) {
            case CONTAINER_RUNNING -> {
                b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(nanosTime(s.getStartedAt())).endRunning()
                        .build());
                previous.ifPresent(p -> b.withLastState(terminated(p, in)));
                b.withReady(in.ready().test(s)).withStarted(in.started().test(s));
            }
            case CONTAINER_EXITED -> {
                if (waiting != null) {
                    b.withState(waiting(waiting)).withLastState(terminated(s, in));
                } else {
                    b.withState(terminated(s, in));
                    previous.ifPresent(p -> b.withLastState(terminated(p, in)));
                }
            }
            default -> {
                b.withState(waiting(waiting != null ? waiting : new Waiting(Waiting.CONTAINER_CREATING, null)));
                previous.ifPresent(p -> b.withLastState(terminated(p, in)));
            }
        }
        return b.build();
    }

    private ContainerState terminated(ContainerStatus s, Inputs in) {
        String reason = s.getReason().isEmpty() ? (s.getExitCode() == 0 ? "Completed" : "Error") : s.getReason();
        String message = in.message().apply(s);
        if (message == null || message.isEmpty()) {
            // the runtime's own account, e.g. why the process could not be started
            message = s.getMessage();
        }
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(s.getExitCode())
                .withReason(reason)
                .withMessage(message == null || message.isEmpty() ? null : message)
                .withStartedAt(s.getStartedAt() > 0 ? nanosTime(s.getStartedAt()) : null)
                .withFinishedAt(s.getFinishedAt() > 0 ? nanosTime(s.getFinishedAt()) : null)
                .withContainerID(runtimeName + "://" + s.getId())
                .endTerminated().build();
    }

    private static ContainerState waiting(Waiting w) {
        return new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting().build();
    }

    private static boolean succeeded(io.fabric8.kubernetes.api.model.ContainerStatus s) {
        return s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() == 0;
    }

    /**
     * Upstream's phase rules: init containers first, then counts of running, waiting and stopped
     * app containers. Sidecars count for neither: a Job's pod completes with its sidecars running.
     *
     * @param inits the init containers that are not sidecars
     */
    static String phase(Pod pod, List<io.fabric8.kubernetes.api.model.ContainerStatus> inits,
            List<io.fabric8.kubernetes.api.model.ContainerStatus> apps, boolean initialized, boolean terminating) {
        String policy = PodSpecs.restartPolicy(pod);
        if (!initialized) {
            boolean initFailed = policy.equals("Never") && inits.stream().anyMatch(s -> s.getState().getTerminated() != null
                    && s.getState().getTerminated().getExitCode() != 0);
            return initFailed ? "Failed" : "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (io.fabric8.kubernetes.api.model.ContainerStatus s : apps) {
            ContainerState state = s.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                // waiting to restart after having run
                stopped++;
            } else {
                waiting++;
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if (terminating) {
                // a deleted pod's containers have all been stopped and none will restart
                return stopped == succeeded ? "Succeeded" : "Failed";
            }
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if (policy.equals("Never")) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }

    private static List<PodCondition> conditions(PodStatus current, List<String> incomplete, List<String> unready, String now) {
        List<PodCondition> out = new ArrayList<>();
        List<PodCondition> existing = current.getConditions() == null ? List.of() : current.getConditions();
        Optional<PodCondition> scheduled = existing.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
        out.add(scheduled.orElseGet(() -> condition(existing, "PodScheduled", true, null, null, now)));
        out.add(incomplete.isEmpty() ? condition(existing, "Initialized", true, null, null, now)
                : condition(existing, "Initialized", false, "ContainersNotInitialized",
                        "containers with incomplete status: [" + String.join(" ", incomplete) + "]", now));
        for (String type : List.of("ContainersReady", "Ready")) {
            out.add(unready.isEmpty() ? condition(existing, type, true, null, null, now)
                    : condition(existing, type, false, "ContainersNotReady", "containers with unready status: [" + String.join(" ", unready) + "]", now));
        }
        // conditions other components own (readiness gates, DisruptionTarget...) stay as they are
        for (PodCondition c : existing) {
            if (out.stream().noneMatch(o -> o.getType().equals(c.getType()))) {
                out.add(c);
            }
        }
        return out;
    }

    private static PodCondition condition(List<PodCondition> existing, String type, boolean value, String reason,
            String message, String now) {
        String status = value ? "True" : "False";
        Optional<PodCondition> old = existing.stream().filter(c -> type.equals(c.getType())).findFirst();
        String since = old.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime).orElse(now);
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(since);
        c.setLastProbeTime(null);
        return c;
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String nanosTime(long nanos) {
        return time(Instant.ofEpochSecond(0, nanos));
    }
}
