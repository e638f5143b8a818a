package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.ContainerEnv;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.CriUnavailableException;
import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.events.EventMessages;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one container of a pod: its image, environment, termination-message file, CRI create and
 * start, and its postStart hook. Each failure becomes the waiting reason upstream shows for it.
 */
final class ContainerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(2);

    private final CriRuntime cri;
    private final ImagePuller images;
    private final ContainerConfigFactory configs;
    private final ContainerEnv env;
    private final PodDirs dirs;
    private final ActionRunner actions;
    private final EventRecorder events;

    ContainerStarter(CriRuntime cri, ImagePuller images, ContainerConfigFactory configs, ContainerEnv env, PodDirs dirs,
            ActionRunner actions, EventRecorder events) {
        this.cri = cri;
        this.events = events;
        this.images = images;
        this.configs = configs;
        this.env = env;
        this.dirs = dirs;
        this.actions = actions;
    }

    /**
     * Starts a new instance of {@code c} in the sandbox.
     *
     * @param volumes the pod's prepared volumes, or the reason they could not be prepared
     * @return empty once the container runs, else why it does not
     */
    Optional<Waiting> start(Pod pod, Container c, String sandboxId, PodSandboxConfig sandbox, RuntimePod rp,
            Volumes volumes, String podIp) {
        Optional<Waiting> why = tryStart(pod, c, sandboxId, sandbox, rp, volumes, podIp);
        // a volume that failed is the pod's FailedMount event, not one of each container
        if (why.isPresent() && volumes.problem() == null) {
            String detail = why.get().reason().equals(Waiting.CREATE_CONTAINER_CONFIG_ERROR)
                    || why.get().reason().equals(Waiting.CREATE_CONTAINER_ERROR)
                    || why.get().reason().equals(Waiting.RUN_CONTAINER_ERROR) ? why.get().message() : why.get().reason();
            events.container(pod, c, EventRecorder.WARNING, EventReasons.FAILED, EventMessages.error(detail));
        }
        return why;
    }

    private Optional<Waiting> tryStart(Pod pod, Container c, String sandboxId, PodSandboxConfig sandbox, RuntimePod rp,
            Volumes volumes, String podIp) {
        if (volumes.problem() != null) {
            return Optional.of(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, volumes.problem().getMessage()));
        }
        int restartCount = rp.latest(c.getName()).map(s -> RuntimePod.restartCount(s) + 1).orElse(0);
        Map<String, String> environment;
        try {
            environment = env.resolve(pod, c);
        } catch (ContainerConfigException e) {
            return Optional.of(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, e.getMessage()));
        }
        String imageRef;
        try {
            imageRef = images.ensure(pod, c, sandbox);
        } catch (ImagePullException e) {
            return Optional.of(new Waiting(e.reason(), e.getMessage()));
        }
        removeOldInstances(rp.instances(c.getName()));
        ContainerConfig config;
        try {
            Path messageFile = dirs.terminationMessageFile(PodSpecs.uid(pod), c.getName(), restartCount);
            Path hostsFile = PodHostsFile.applies(pod, podIp)
                    ? dirs.writeEtcHosts(PodSpecs.uid(pod), PodHostsFile.content(pod, podIp)) : null;
            config = configs.build(pod, c, restartCount, volumes.paths(), environment, messageFile, imageRef, hostsFile);
        } catch (ContainerConfigException e) {
            return Optional.of(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(new Waiting(Waiting.CREATE_CONTAINER_CONFIG_ERROR, e.toString()));
        }
        String id;
        try {
            id = cri.createContainer(sandboxId, config, sandbox);
        } catch (CriUnavailableException e) {
            throw e;
        } catch (CriException e) {
            return Optional.of(new Waiting(Waiting.CREATE_CONTAINER_ERROR, e.getMessage()));
        }
        events.container(pod, c, EventRecorder.NORMAL, EventReasons.CREATED, EventMessages.created(c.getName()));
        try {
            cri.startContainer(id);
        } catch (CriUnavailableException e) {
            throw e;
        } catch (CriException e) {
            LOG.info("container {} of pod {} did not start: {}", c.getName(), PodSpecs.key(pod), e.getMessage());
            return Optional.of(new Waiting(Waiting.RUN_CONTAINER_ERROR, e.getMessage()));
        }
        LOG.info("started container {} ({}) of pod {}, restart {}", c.getName(), id, PodSpecs.key(pod), restartCount);
        events.container(pod, c, EventRecorder.NORMAL, EventReasons.STARTED, EventMessages.started(c.getName()));
        if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
            ActionRunner.Outcome hook = actions.hook(c, id, podIp, c.getLifecycle().getPostStart(), HOOK_TIMEOUT);
            if (!hook.success()) {
                LOG.info("postStart hook of container {} in pod {} failed, so it is killed: {}", c.getName(), PodSpecs.key(pod),
                        hook.message());
                events.container(pod, c, EventRecorder.WARNING, EventReasons.FAILED_POST_START_HOOK, hook.message());
                cri.stopContainer(id, PodSpecs.gracePeriodSeconds(pod));
            }
        }
        return Optional.empty();
    }

    /** Upstream keeps one dead instance per container (for lastState and previous logs); older ones go. */
    private void removeOldInstances(List<ContainerStatus> newestFirst) {
        for (int i = 1; i < newestFirst.size(); i++) {
            ContainerStatus old = newestFirst.get(i);
            if (old.getState() != ContainerState.CONTAINER_RUNNING) {
                cri.removeContainer(old.getId());
            }
        }
    }

    /** A pod's volumes as {@link io.kedge.kubelet.PodVolumes#setUp} gave them, or why it could not. */
    record Volumes(Map<String, Path> paths, ContainerConfigException problem) {
    }
}
