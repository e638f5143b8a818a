package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.PodVolumes;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.CriUnavailableException;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.events.EventMessages;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of making the runtime match one pod, and the pod's status match the runtime. Every pass
 * starts from what the runtime has of the pod, so it is idempotent, and a restarted agent adopts
 * running containers instead of starting them again.
 */
final class PodSyncer {
    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    /** How soon a pod whose container could not be configured or created is tried again. */
    static final Duration CONFIG_RETRY = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final CriRuntime cri;
    private final SandboxManager sandboxes;
    private final ContainerStarter starter;
    private final PodTerminator terminator;
    private final PodVolumes volumes;
    private final ImagePuller images;
    private final RestartBackoff backoff;
    private final ProbeManager probes;
    private final PodStatusWriter writer;
    private final Supplier<String> hostIp;
    private final Clock clock;
    private final BiConsumer<String, Duration> wakeUp;
    private final EventRecorder events;
    private volatile PodStatusBuilder statuses;

    PodSyncer(KubernetesClient client, CriRuntime cri, SandboxManager sandboxes, ContainerStarter starter,
            PodTerminator terminator, PodVolumes volumes, ImagePuller images, RestartBackoff backoff, ProbeManager probes,
            PodStatusWriter writer, Supplier<String> hostIp, Clock clock, BiConsumer<String, Duration> wakeUp,
            EventRecorder events) {
        this.client = client;
        this.events = events;
        this.cri = cri;
        this.sandboxes = sandboxes;
        this.starter = starter;
        this.terminator = terminator;
        this.volumes = volumes;
        this.images = images;
        this.backoff = backoff;
        this.probes = probes;
        this.writer = writer;
        this.hostIp = hostIp;
        this.clock = clock;
        this.wakeUp = wakeUp;
    }

    /**
     * Syncs the pod with this uid.
     *
     * @param informed the pod as the API shows it, or null when the API no longer has it
     * @return false once nothing of the pod is left to look after
     */
    boolean sync(String uid, Pod informed) {
        RuntimePod rp = RuntimePod.load(cri, uid);
        if (informed == null) {
            removeOrphan(rp);
            return false;
        }
        Pod pod = writer.freshest(informed);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(pod, rp);
            return false;
        }
        if (PodSpecs.isTerminal(pod)) {
            finish(pod, rp);
            return true;
        }
        run(pod, rp);
        return true;
    }

    private void run(Pod pod, RuntimePod rp) {
        String uid = PodSpecs.uid(pod);
        Map<String, Waiting> waiting = new HashMap<>();
        rp = removeUnstarted(rp);
        ContainerStarter.Volumes vols = prepareVolumes(pod);

        Optional<PodSandbox> ready = rp.readySandbox();
        if (ready.isEmpty()) {
            Optional<String> started = startSandbox(pod, rp, vols, waiting);
            if (started.isEmpty()) {
                writeStatus(pod, RuntimePod.load(cri, uid), List.of(), waiting, false);
                return;
            }
            rp = RuntimePod.load(cri, uid);
            ready = rp.readySandbox();
            if (ready.isEmpty()) {
                throw new IllegalStateException("sandbox " + started.get() + " of pod " + PodSpecs.key(pod)
                        + " is not ready right after it started");
            }
        }
        String sandboxId = ready.get().getId();
        PodSandboxConfig sandboxConfig = sandboxes.config(pod, ready.get());
        List<String> podIps = sandboxes.status(sandboxId).map(SandboxManager::podIps).orElse(List.of());
        String podIp = podIps.isEmpty() ? hostIp.get() : podIps.get(0);

        if (initContainers(pod, rp, sandboxId, sandboxConfig, vols, podIp, waiting)) {
            containers(pod, rp, sandboxId, sandboxConfig, vols, podIp, waiting);
        }
        rp = RuntimePod.load(cri, uid);
        probes.sync(pod, rp, podIp);
        PodStatus status = writeStatus(pod, rp, podIps, waiting, false);
        if ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) {
            LOG.info("pod {} is {}; its sandbox stops", PodSpecs.key(pod), status.getPhase());
            if (!rp.running().isEmpty()) {
                // its sidecars, which outlive the app containers, get their preStop and grace period
                terminator.stopContainers(pod, rp, PodSpecs.gracePeriodSeconds(pod), podIp);
            }
            sandboxes.stopAll(rp);
        }
    }

    /** A container created but never started is left from a crash between the two; it is made again. */
    private RuntimePod removeUnstarted(RuntimePod rp) {
        boolean removed = false;
        for (ContainerStatus c : rp.containers()) {
            if (c.getState() == ContainerState.CONTAINER_CREATED) {
                cri.removeContainer(c.getId());
                removed = true;
            }
        }
        return removed ? RuntimePod.load(cri, rp.uid()) : rp;
    }

    private ContainerStarter.Volumes prepareVolumes(Pod pod) {
        try {
            return new ContainerStarter.Volumes(volumes.setUp(pod), null);
        } catch (ContainerConfigException e) {
            events.pod(pod, EventRecorder.WARNING, EventReasons.FAILED_MOUNT, EventMessages.mountFailed(e.getMessage()));
            return new ContainerStarter.Volumes(Map.of(), e);
        }
    }

    /** Starts a sandbox for a pod that has no ready one; empty when it could not, with why in {@code waiting}. */
    private Optional<String> startSandbox(Pod pod, RuntimePod rp, ContainerStarter.Volumes vols, Map<String, Waiting> waiting) {
        String uid = PodSpecs.uid(pod);
        if (!rp.running().isEmpty()) {
            // containers of a sandbox that is gone are stopped before the pod starts over
            terminator.stopContainers(pod, rp, PodSpecs.gracePeriodSeconds(pod), "");
        }
        if (vols.problem() != null) {
            allWaiting(pod, new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, vols.problem().getMessage()), waiting);
            wakeUp.accept(uid, CONFIG_RETRY);
            return Optional.empty();
        }
        String key = uid + "/sandbox";
        Optional<Duration> wait = rp.latestSandbox().flatMap(s -> backoff.remaining(key, Instant.ofEpochSecond(0, s.getCreatedAt())));
        if (wait.isPresent() && rp.latestSandbox().isPresent()) {
            allWaiting(pod, new Waiting(Waiting.CONTAINER_CREATING, "back-off " + wait.get().toSeconds()
                    + "s before making the pod's sandbox again"), waiting);
            wakeUp.accept(uid, wait.get());
            return Optional.empty();
        }
        try {
            if (rp.latestSandbox().isPresent()) {
                events.pod(pod, EventRecorder.NORMAL, EventReasons.SANDBOX_CHANGED, EventMessages.sandboxChanged());
                backoff.retried(key);
                sandboxes.stopAll(rp);
            }
            String id = sandboxes.run(pod, rp.latestSandbox());
            LOG.info("started sandbox {} of pod {}", id, PodSpecs.key(pod));
            return Optional.of(id);
        } catch (CriUnavailableException e) {
            throw e;
        } catch (CriException e) {
            LOG.info("sandbox of pod {} failed: {}", PodSpecs.key(pod), e.getMessage());
            events.pod(pod, EventRecorder.WARNING, EventReasons.FAILED_CREATE_POD_SANDBOX, EventMessages.sandboxFailed(e.getMessage()));
            allWaiting(pod, new Waiting(Waiting.CONTAINER_CREATING, "failed to create the pod sandbox: " + e.getMessage()), waiting);
            wakeUp.accept(uid, CONFIG_RETRY);
            return Optional.empty();
        }
    }

    private static void allWaiting(Pod pod, Waiting why, Map<String, Waiting> waiting) {
        for (Container c : PodSpecs.allContainers(pod)) {
            waiting.put(c.getName(), why);
        }
    }

    /**
     * Runs the init containers in order, one at a time; true once all have succeeded, or for a
     * sidecar started, in this sandbox. Once the app containers have run in the sandbox, the init
     * phase is over: only the sidecars are kept running.
     */
    private boolean initContainers(Pod pod, RuntimePod rp, String sandboxId, PodSandboxConfig sandboxConfig,
            ContainerStarter.Volumes vols, String podIp, Map<String, Waiting> waiting) {
        boolean initialized = PodSpecs.containers(pod).stream().anyMatch(c -> rp.latestIn(c.getName(), sandboxId).isPresent());
        for (Container c : PodSpecs.initContainers(pod)) {
            Optional<ContainerStatus> instance = rp.latestIn(c.getName(), sandboxId);
            if (PodSpecs.isSidecar(c)) {
                if (!sidecar(pod, c, instance, rp, sandboxId, sandboxConfig, vols, podIp, waiting) && !initialized) {
                    return false;
                }
                continue;
            }
            if (initialized) {
                continue;
            }
            if (instance.isPresent() && instance.get().getState() == ContainerState.CONTAINER_EXITED
                    && instance.get().getExitCode() == 0) {
                continue;
            }
            if (instance.isPresent() && instance.get().getState() == ContainerState.CONTAINER_RUNNING) {
                return false;
            }
            if (instance.isPresent() && PodSpecs.restartPolicy(pod).equals("Never")) {
                // a failed init container of a pod that never restarts fails the pod
                return false;
            }
            if (instance.isEmpty() || mayRestart(pod, c, instance.get(), waiting)) {
                start(pod, c, sandboxId, sandboxConfig, rp, vols, podIp, waiting);
            }
            return false;
        }
        return true;
    }

    /**
     * Keeps a sidecar running whatever the pod's restartPolicy: started when missing, restarted
     * (with the crash-loop back-off) when it exited or a probe failed; true once it runs and its
     * startup probe, if any, has passed.
     */
    private boolean sidecar(Pod pod, Container c, Optional<ContainerStatus> instance, RuntimePod rp, String sandboxId,
            PodSandboxConfig sandboxConfig, ContainerStarter.Volumes vols, String podIp, Map<String, Waiting> waiting) {
        if (instance.isPresent() && instance.get().getState() == ContainerState.CONTAINER_RUNNING) {
            Optional<Restart> kill = killReason(c, instance.get());
            if (kill.isEmpty()) {
                return probes.started(instance.get());
            }
            LOG.info("sidecar {} of pod {} is restarted: {}", c.getName(), PodSpecs.key(pod), kill.get().why());
            terminator.stopToRestart(pod, instance.get(), PodSpecs.gracePeriodSeconds(pod), podIp, kill.get().message(true));
            instance = cri.containerStatus(instance.get().getId());
        }
        if (instance.isEmpty() || mayRestart(pod, c, instance.get(), waiting)) {
            start(pod, c, sandboxId, sandboxConfig, rp, vols, podIp, waiting);
        }
        return false;
    }

    private void containers(Pod pod, RuntimePod rp, String sandboxId, PodSandboxConfig sandboxConfig,
            ContainerStarter.Volumes vols, String podIp, Map<String, Waiting> waiting) {
        String policy = PodSpecs.restartPolicy(pod);
        for (Container c : PodSpecs.containers(pod)) {
            Optional<ContainerStatus> instance = rp.latestIn(c.getName(), sandboxId);
            if (instance.isPresent() && instance.get().getState() == ContainerState.CONTAINER_RUNNING) {
                Optional<Restart> kill = killReason(c, instance.get());
                if (kill.isEmpty()) {
                    continue;
                }
                LOG.info("container {} of pod {} is restarted: {}", c.getName(), PodSpecs.key(pod), kill.get().why());
                terminator.stopToRestart(pod, instance.get(), PodSpecs.gracePeriodSeconds(pod), podIp,
                        kill.get().message(!policy.equals("Never")));
                instance = cri.containerStatus(instance.get().getId());
                if (instance.isEmpty()) {
                    continue;
                }
            }
            if (instance.isPresent()) {
                boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && instance.get().getExitCode() != 0);
                if (!restart || !mayRestart(pod, c, instance.get(), waiting)) {
                    continue;
                }
            }
            start(pod, c, sandboxId, sandboxConfig, rp, vols, podIp, waiting);
        }
    }

    /** Why a running container must be restarted: a failed liveness or startup probe, or a changed image. */
    private Optional<Restart> killReason(Container c, ContainerStatus running) {
        Optional<ProbeManager.Failure> probe = probes.failed(running.getId());
        if (probe.isPresent()) {
            return Optional.of(new Restart(c.getName(), probe.get().message(), "failed " + probe.get().probe() + " probe", false));
        }
        String image = running.getAnnotationsMap().get(RuntimeLabels.SPEC_IMAGE);
        if (image != null && !image.equals(c.getImage())) {
            return Optional.of(new Restart(c.getName(), "its image changed from " + image + " to " + c.getImage(),
                    "definition changed", true));
        }
        return Optional.empty();
    }

    /**
     * Why a running container is stopped: {@code why} for the log; {@code cause} for its Killing event,
     * in upstream's words. A changed definition restarts it whatever the pod's restartPolicy.
     */
    private record Restart(String container, String why, String cause, boolean whateverThePolicy) {
        String message(boolean policyRestarts) {
            return EventMessages.killed(container, cause, policyRestarts || whateverThePolicy);
        }
    }

    /** Applies the crash-loop back-off to an exited container; false, with CrashLoopBackOff, while it must wait. */
    private boolean mayRestart(Pod pod, Container c, ContainerStatus exited, Map<String, Waiting> waiting) {
        String key = PodSpecs.uid(pod) + "/" + c.getName();
        Instant finished = exited.getFinishedAt() > 0 ? Instant.ofEpochSecond(0, exited.getFinishedAt()) : clock.instant();
        Optional<Duration> wait = backoff.remaining(key, finished);
        if (wait.isPresent()) {
            waiting.put(c.getName(), new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off " + backoff.delay(key).toSeconds()
                    + "s restarting failed container=" + c.getName() + " pod=" + pod.getMetadata().getName() + "_"
                    + pod.getMetadata().getNamespace() + "(" + PodSpecs.uid(pod) + ")"));
            events.container(pod, c, EventRecorder.WARNING, EventReasons.BACK_OFF, EventMessages.crashLoopBackOff(c.getName(),
                    pod.getMetadata().getName(), pod.getMetadata().getNamespace(), PodSpecs.uid(pod)));
            wakeUp.accept(PodSpecs.uid(pod), wait.get());
            return false;
        }
        backoff.retried(key);
        return true;
    }

    private void start(Pod pod, Container c, String sandboxId, PodSandboxConfig sandboxConfig, RuntimePod rp,
            ContainerStarter.Volumes vols, String podIp, Map<String, Waiting> waiting) {
        Optional<Waiting> why = starter.start(pod, c, sandboxId, sandboxConfig, rp, vols, podIp);
        if (why.isEmpty()) {
            return;
        }
        waiting.put(c.getName(), why.get());
        boolean pull = why.get().reason().equals(ImagePullException.ERR_IMAGE_PULL)
                || why.get().reason().equals(ImagePullException.IMAGE_PULL_BACK_OFF);
        Duration retry = pull ? images.retryIn(pod, c.getImage()).orElse(CONFIG_RETRY) : CONFIG_RETRY;
        wakeUp.accept(PodSpecs.uid(pod), retry);
    }

    /** A pod that has reached Succeeded or Failed runs nothing more; its sandbox is stopped to free its IP. */
    private void finish(Pod pod, RuntimePod rp) {
        if (!rp.running().isEmpty()) {
            terminator.stopContainers(pod, rp, PodSpecs.gracePeriodSeconds(pod), "");
        }
        if (rp.readySandbox().isPresent()) {
            sandboxes.stopAll(rp);
        }
        probes.forget(PodSpecs.uid(pod));
        writeStatus(pod, RuntimePod.load(cri, rp.uid()), List.of(), Map.of(), false);
    }

    /** A deleted pod: preStop, stop, remove, and only then tell the API server that the pod is gone. */
    private void terminate(Pod pod, RuntimePod rp) {
        probes.forget(PodSpecs.uid(pod));
        if (!rp.isEmpty()) {
            String podIp = rp.readySandbox().flatMap(s -> sandboxes.status(s.getId())).map(SandboxManager::podIps)
                    .filter(ips -> !ips.isEmpty()).map(ips -> ips.get(0)).orElse(hostIp.get());
            long grace = PodSpecs.gracePeriodSeconds(pod);
            LOG.info("pod {} was deleted; stopping its containers with a grace period of {}s", PodSpecs.key(pod), grace);
            terminator.stopContainers(pod, rp, grace, podIp);
            RuntimePod stopped = RuntimePod.load(cri, rp.uid());
            try {
                writeStatus(pod, stopped, List.of(), Map.of(), true);
            } catch (KubernetesClientException e) {
                LOG.debug("final status of pod {} not written: {}", PodSpecs.key(pod), e.getMessage());
            }
            terminator.removeAll(stopped);
        } else {
            // nothing runs (never started, or a repeated pass after the removal): volumes and dirs may still be there
            terminator.removeAll(rp);
        }
        confirmDeletion(pod);
        forget(PodSpecs.uid(pod));
    }

    private void confirmDeletion(Pod pod) {
        String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName();
        Map<String, Object> options = Map.of("apiVersion", "v1", "kind", "DeleteOptions", "gracePeriodSeconds", 0,
                "preconditions", Map.of("uid", PodSpecs.uid(pod)));
        try {
            client.raw(path, "DELETE", options);
            LOG.info("pod {} is gone from the node; its deletion is confirmed", PodSpecs.key(pod));
        } catch (KubernetesClientException e) {
            // gone already, or a new pod of the same name (the uid precondition failed): either way not ours to delete
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
    }

    /** Containers of a pod the API no longer has (force-deleted, or deleted while the agent was down). */
    private void removeOrphan(RuntimePod rp) {
        if (!rp.isEmpty()) {
            LOG.info("removing containers of pod {}, which the API server no longer has", rp.uid());
            terminator.stopContainers(null, rp, PodTerminator.recordedGraceSeconds(rp), "");
            terminator.removeAll(RuntimePod.load(cri, rp.uid()));
        }
        forget(rp.uid());
    }

    private void forget(String uid) {
        backoff.forget(uid + "/");
        images.forget(uid);
        probes.forget(uid);
        writer.forget(uid);
    }

    private PodStatus writeStatus(Pod pod, RuntimePod rp, List<String> podIps, Map<String, Waiting> waiting,
            boolean terminating) {
        PodStatusBuilder.Inputs inputs = new PodStatusBuilder.Inputs(rp, podIps, hostIp.get(), waiting, probes::ready,
                probes::started, TerminationMessages::of, clock.instant(), terminating);
        PodStatus status = statuses().build(pod, inputs);
        writer.write(pod, status);
        return status;
    }

    private PodStatusBuilder statuses() {
        if (statuses == null) {
            statuses = new PodStatusBuilder(cri.version().getRuntimeName());
        }
        return statuses;
    }
}
