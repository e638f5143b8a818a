package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pod statuses through the status subresource, only when they changed. The pod it compares
 * with is the freshest it knows: the informer's, or the one its own last write returned when the
 * informer has not caught up with that write yet. A write that races another writer is retried
 * on the fresh pod.
 */
final class PodStatusWriter {
    private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);
    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;
    private final Map<String, Pod> written = new ConcurrentHashMap<>();

    PodStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** The newer of the informer's pod and the pod this writer last wrote, by resourceVersion. */
    Pod freshest(Pod informed) {
        Pod ours = written.get(PodSpecs.uid(informed));
        if (ours != null && version(ours) > version(informed)) {
            return ours;
        }
        written.remove(PodSpecs.uid(informed));
        return informed;
    }

    /** Writes {@code status} unless the pod already has it; returns the pod as it now is. */
    Pod write(Pod pod, PodStatus status) {
        if (Objects.equals(status, pod.getStatus())) {
            return pod;
        }
        String uid = PodSpecs.uid(pod);
        Pod target = pod;
        for (int attempt = 1; ; attempt++) {
            Pod copy = new PodBuilder(target).withStatus(status).build();
            try {
                Pod result = client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
                written.put(uid, result);
                return result;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return pod;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
                    throw e;
                }
                Pod fresh = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
                if (fresh == null || !uid.equals(fresh.getMetadata().getUid())) {
                    return pod;
                }
                LOG.debug("pod {} changed while its status was written; writing again", PodSpecs.key(pod));
                target = fresh;
            }
        }
    }

    void forget(String uid) {
        written.remove(uid);
    }

    private static long version(Pod pod) {
        try {
            return Long.parseLong(pod.getMetadata().getResourceVersion());
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }
}
