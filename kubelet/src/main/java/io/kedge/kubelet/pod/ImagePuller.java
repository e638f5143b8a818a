package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.CriUnavailableException;
import io.kedge.kubelet.cri.v1.AuthConfig;
import io.kedge.kubelet.cri.v1.Image;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.events.EventMessages;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container's image present according to its imagePullPolicy, with the pod's pull
 * secrets, and backs off failing pulls per pod and image as upstream does (ErrImagePull, then
 * ImagePullBackOff until the next attempt).
 */
final class ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final CriRuntime cri;
    private final KubernetesClient client;
    private final RestartBackoff backoff;
    private final Clock clock;
    private final EventRecorder events;
    private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();

    ImagePuller(CriRuntime cri, KubernetesClient client, RestartBackoff backoff, Clock clock, EventRecorder events) {
        this.cri = cri;
        this.events = events;
        this.client = client;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Returns the runtime's reference of the container's image, pulling it first when the policy says so. */
    String ensure(Pod pod, Container container, PodSandboxConfig sandbox) throws ImagePullException {
        long began = System.nanoTime();
        String image = container.getImage();
        if (image == null || image.isBlank()) {
            String why = "container \"" + container.getName() + "\" has no image";
            events.container(pod, container, EventRecorder.WARNING, EventReasons.INSPECT_FAILED, why);
            throw new ImagePullException(ImagePullException.INVALID_IMAGE_NAME, why);
        }
        String policy = policy(container);
        if (!policy.equals("Always")) {
            Optional<Image> present = cri.imageStatus(image);
            if (present.isPresent()) {
                events.container(pod, container, EventRecorder.NORMAL, EventReasons.PULLED, EventMessages.alreadyPresent(image));
                return present.get().getId();
            }
            if (policy.equals("Never")) {
                String why = "Container image \"" + image + "\" is not present with pull policy of Never";
                events.container(pod, container, EventRecorder.WARNING, EventReasons.ERR_IMAGE_NEVER_PULL, why);
                throw new ImagePullException(ImagePullException.ERR_IMAGE_NEVER_PULL, why);
            }
        }
        String key = key(pod, image);
        Instant failed = lastFailure.get(key);
        if (failed != null) {
            Optional<Duration> wait = backoff.remaining(key, failed);
            if (wait.isPresent()) {
                // upstream's kubelet reports a pull's back-off as Normal; the container's Failed event is the warning
                events.container(pod, container, EventRecorder.NORMAL, EventReasons.BACK_OFF, EventMessages.pullBackOff(image));
                throw new ImagePullException(ImagePullException.IMAGE_PULL_BACK_OFF, "Back-off pulling image \"" + image + "\"");
            }
            backoff.retried(key);
        }
        try {
            events.container(pod, container, EventRecorder.NORMAL, EventReasons.PULLING, EventMessages.pulling(image));
            long pullBegan = System.nanoTime();
            String ref = pull(pod, image, sandbox);
            long pulled = System.nanoTime();
            lastFailure.remove(key);
            long size = cri.imageStatus(ref).map(Image::getSize).orElse(0L);
            events.container(pod, container, EventRecorder.NORMAL, EventReasons.PULLED, EventMessages.pulled(image,
                    Duration.ofNanos(pulled - pullBegan), Duration.ofNanos(pulled - began), size));
            return ref;
        } catch (CriUnavailableException e) {
            throw e;
        } catch (CriException e) {
            if (failed == null) {
                backoff.retried(key);
            }
            lastFailure.put(key, clock.instant());
            LOG.info("pulling {} for pod {}/{} failed: {}", image, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    e.getMessage());
            events.container(pod, container, EventRecorder.WARNING, EventReasons.FAILED,
                    EventMessages.pullFailed(image, e.getMessage()));
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL, "failed to pull image \"" + image + "\": "
                    + e.getMessage());
        }
    }

    /** When the pod's image may be pulled again, if a pull of it failed. */
    Optional<Duration> retryIn(Pod pod, String image) {
        String key = key(pod, image);
        Instant failed = lastFailure.get(key);
        return failed == null ? Optional.empty() : backoff.remaining(key, failed);
    }

    void forget(String podUid) {
        backoff.forget("pull/" + podUid + "/");
        lastFailure.keySet().removeIf(k -> k.startsWith("pull/" + podUid + "/"));
    }

    private String pull(Pod pod, String image, PodSandboxConfig sandbox) {
        List<AuthConfig> credentials = RegistryCredentials.forImage(image, pullSecrets(pod));
        if (credentials.isEmpty()) {
            return cri.pullImage(image, null, sandbox);
        }
        CriException last = null;
        for (AuthConfig auth : credentials) {
            try {
                return cri.pullImage(image, auth, sandbox);
            } catch (CriUnavailableException e) {
                throw e;
            } catch (CriException e) {
                last = e;
            }
        }
        throw last;
    }

    private List<Secret> pullSecrets(Pod pod) {
        List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
        List<Secret> secrets = new ArrayList<>();
        if (refs == null) {
            return secrets;
        }
        for (LocalObjectReference ref : refs) {
            if (ref.getName() == null) {
                continue;
            }
            try {
                Secret s = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(ref.getName()).get();
                if (s != null) {
                    secrets.add(s);
                }
            } catch (KubernetesClientException e) {
                // upstream pulls without a secret it cannot read; the pull's own error then explains
                LOG.info("image pull secret {}/{} unreadable: {}", pod.getMetadata().getNamespace(), ref.getName(), e.getMessage());
            }
        }
        return secrets;
    }

    static String policy(Container container) {
        String policy = container.getImagePullPolicy();
        if (policy == null || policy.isBlank()) {
            return ImageRef.isLatest(container.getImage()) ? "Always" : "IfNotPresent";
        }
        return policy;
    }

    private static String key(Pod pod, String image) {
        return "pull/" + pod.getMetadata().getUid() + "/" + image;
    }
}
