package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kedge.kubelet.PodVolumes;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.events.EventMessages;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a pod's containers the upstream way: the app containers all at once, then the sidecars
 * one by one in reverse order, each with its preStop hook first, then SIGTERM, and SIGKILL when
 * the grace period runs out; then removes what the runtime and the disk still hold of the pod.
 */
final class PodTerminator {
    private static final Logger LOG = LoggerFactory.getLogger(PodTerminator.class);
    /** Upstream never gives a container less than this after its preStop hook. */
    static final long MIN_GRACE_SECONDS = 2;

    private final CriRuntime cri;
    private final SandboxManager sandboxes;
    private final PodVolumes volumes;
    private final PodDirs dirs;
    private final ActionRunner actions;
    private final ExecutorService pool;
    private final EventRecorder events;

    PodTerminator(CriRuntime cri, SandboxManager sandboxes, PodVolumes volumes, PodDirs dirs, ActionRunner actions,
            ExecutorService pool, EventRecorder events) {
        this.cri = cri;
        this.events = events;
        this.sandboxes = sandboxes;
        this.volumes = volumes;
        this.dirs = dirs;
        this.actions = actions;
        this.pool = pool;
    }

    /**
     * Stops the pod's running containers and waits for them.
     *
     * @param pod the pod, for its preStop hooks; null for a pod the API no longer has
     */
    void stopContainers(Pod pod, RuntimePod rp, long graceSeconds, String podIp) {
        List<String> sidecars = pod == null ? List.of() : PodSpecs.sidecars(pod).stream().map(Container::getName).toList();
        List<ContainerStatus> first = new ArrayList<>();
        List<ContainerStatus> last = new ArrayList<>();
        for (ContainerStatus running : rp.running()) {
            (sidecars.contains(nameOf(running)) ? last : first).add(running);
        }
        long start = System.nanoTime();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ContainerStatus running : first) {
            stops.add(CompletableFuture.runAsync(() -> stop(pod, running, graceSeconds, podIp, null), pool));
        }
        if (!awaitAll(stops)) {
            return;
        }
        // sidecars serve the app containers to the end, then stop in the reverse of their order
        last.sort(Comparator.comparingInt((ContainerStatus c) -> sidecars.indexOf(nameOf(c))).reversed());
        for (ContainerStatus sidecar : last) {
            long left = graceSeconds - Duration.ofNanos(System.nanoTime() - start).toSeconds();
            stop(pod, sidecar, Math.max(MIN_GRACE_SECONDS, left), podIp, null);
        }
    }

    private static String nameOf(ContainerStatus c) {
        return c.getLabelsMap().getOrDefault(RuntimeLabels.CONTAINER_NAME, c.getId());
    }

    private static boolean awaitAll(List<CompletableFuture<Void>> stops) {
        for (CompletableFuture<Void> stop : stops) {
            try {
                stop.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return true;
    }

    /** Stops one running container of {@code pod} to start it again, saying why in its Killing event. */
    void stopToRestart(Pod pod, ContainerStatus running, long graceSeconds, String podIp, String message) {
        stop(pod, running, graceSeconds, podIp, message);
    }

    /** @param message the Killing event's; null for upstream's plain "Stopping container X" */
    private void stop(Pod pod, ContainerStatus running, long graceSeconds, String podIp, String message) {
        String name = nameOf(running);
        long start = System.nanoTime();
        Optional<Container> spec = pod == null ? Optional.empty() : PodSpecs.allContainers(pod).stream()
                .filter(c -> name.equals(c.getName())).findFirst();
        String killing = message != null ? message : EventMessages.stopping(name);
        spec.ifPresent(c -> events.container(pod, c, EventRecorder.NORMAL, EventReasons.KILLING, killing));
        if (spec.isPresent() && spec.get().getLifecycle() != null && spec.get().getLifecycle().getPreStop() != null) {
            ActionRunner.Outcome hook = actions.hook(spec.get(), running.getId(), podIp, spec.get().getLifecycle().getPreStop(),
                    Duration.ofSeconds(Math.max(1, graceSeconds)));
            if (!hook.success()) {
                LOG.info("preStop hook of container {} in pod {} failed: {}", name, PodSpecs.key(pod), hook.message());
                events.container(pod, spec.get(), EventRecorder.WARNING, EventReasons.FAILED_PRE_STOP_HOOK, hook.message());
            }
        }
        long spent = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        long left = Math.max(MIN_GRACE_SECONDS, graceSeconds - spent);
        cri.stopContainer(running.getId(), left);
    }

    /** Removes the pod's containers and sandboxes, then its volumes and directories. */
    void removeAll(RuntimePod rp) {
        for (ContainerStatus c : rp.containers()) {
            cri.removeContainer(c.getId());
        }
        sandboxes.removeAll(rp);
        volumes.tearDown(rp.uid());
        try {
            dirs.remove(rp.uid());
        } catch (IOException e) {
            LOG.warn("could not remove the directories of pod {}: {}", rp.uid(), e.toString());
        }
    }

    /** The grace period of a pod the API no longer has, as its containers recorded it. */
    static long recordedGraceSeconds(RuntimePod rp) {
        return rp.containers().stream()
                .map(c -> c.getAnnotationsMap().get(RuntimeLabels.TERMINATION_GRACE_PERIOD))
                .filter(v -> v != null && v.matches("\\d+"))
                .map(Long::parseLong)
                .findFirst().orElse(PodSpecs.DEFAULT_GRACE_SECONDS);
    }
}
