package io.kedge.controllers.framework;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events the way upstream components do, so that {@code kubectl describe} shows
 * what happened and why. A repeat of the same event bumps its count instead of adding another.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    /** Never throws: losing an event must not fail a reconcile. */
    public void record(HasMetadata about, String type, String reason, String message) {
        String ns = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        String identity = about.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message;
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            String existing = seen.get(identity);
            if (existing != null) {
                Event e = client.v1().events().inNamespace(ns).withName(existing).get();
                if (e != null) {
                    e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                    e.setLastTimestamp(now);
                    client.v1().events().inNamespace(ns).resource(e).update();
                    return;
                }
            }
            Event e = new EventBuilder()
                    .withNewMetadata().withName(about.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                    .withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion())
                            .withKind(about.getKind()).withName(about.getMetadata().getName())
                            .withNamespace(about.getMetadata().getNamespace()).withUid(about.getMetadata().getUid())
                            .withResourceVersion(about.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component).withReportingInstance(component)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build();
            Event created = client.v1().events().inNamespace(ns).resource(e).create();
            if (seen.size() > 10_000) {
                seen.clear();
            }
            seen.put(identity, created.getMetadata().getName());
        } catch (KubernetesClientException ex) {
            LOG.debug("event {} for {} not recorded: {}", reason, about.getMetadata().getName(), ex.getMessage());
        }
    }
}
