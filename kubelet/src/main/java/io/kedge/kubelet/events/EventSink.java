package io.kedge.kubelet.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;

/**
 * Writes events through the node's client (the hub, which journals them while the cloud is
 * unreachable). A repeat patches the count, lastTimestamp and message of the event it repeats; when
 * that event is gone (expired, or never written because a rate limit held it back), it is created.
 * So is one the hub cannot patch offline because it was posted while online and never cached: the
 * hub journals the create, the cloud refuses its replay as a duplicate, and the later patches apply.
 */
final class EventSink {
    private final KubernetesClient client;

    EventSink(KubernetesClient client) {
        this.client = client;
    }

    void write(EventCorrelator.Delivery delivery) {
        Event e = delivery.event();
        if (delivery.isNew()) {
            create(e);
            return;
        }
        try {
            // patched on the event as the recorder has it: by name alone, fabric8 would GET it first, which a node may not
            client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), repeatPatch(e));
        } catch (KubernetesClientException ex) {
            if (ex.getCode() != HttpURLConnection.HTTP_NOT_FOUND && ex.getCode() != HttpURLConnection.HTTP_UNAVAILABLE) {
                throw ex;
            }
            create(e);
        }
    }

    private void create(Event e) {
        try {
            client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).create();
        } catch (KubernetesClientException ex) {
            // the hub replayed it already, or it was written before a restart: the event is there
            if (ex.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw ex;
            }
        }
    }

    private static String repeatPatch(Event e) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        patch.put("count", e.getCount());
        patch.put("lastTimestamp", e.getLastTimestamp());
        patch.put("message", e.getMessage());
        return patch.toString();
    }
}
