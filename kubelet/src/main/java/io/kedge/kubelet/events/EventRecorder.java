package io.kedge.kubelet.events;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the kubelet's events about pods, their containers and the node. Recording only queues
 * the event; one thread correlates and posts them, so a pod worker never waits for the API and
 * never sees its failures (they are logged).
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    static final String COMPONENT = "kubelet";
    static final int QUEUE_CAPACITY = 1000;

    private final String nodeName;
    private final Clock clock;
    private final EventQueue queue;
    private final EventCorrelator correlator;
    private final EventSink sink;
    private final Thread sender;
    private volatile boolean closed;

    EventRecorder(KubernetesClient client, String nodeName, Clock clock, int capacity) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the event recorder needs the node's name, got \"" + nodeName + "\"");
        }
        this.nodeName = nodeName;
        this.clock = clock;
        this.queue = new EventQueue(capacity);
        this.correlator = new EventCorrelator(new EventNames(clock), new ObjectRateLimits());
        this.sink = new EventSink(Objects.requireNonNull(client, "client"));
        this.sender = new Thread(this::send, "kubelet-events");
        this.sender.setDaemon(true);
    }

    /** A recorder that posts through {@code client} (the hub, on an edge node), its sender thread started. */
    public static EventRecorder start(KubernetesClient client, String nodeName) {
        return start(client, nodeName, Clock.systemUTC());
    }

    static EventRecorder start(KubernetesClient client, String nodeName, Clock clock) {
        EventRecorder recorder = new EventRecorder(client, nodeName, clock, QUEUE_CAPACITY);
        recorder.sender.start();
        return recorder;
    }

    /** An event about the pod as a whole. */
    public void pod(Pod pod, String type, String reason, String message) {
        record(podReference(pod, null), type, reason, message);
    }

    /** An event about one of the pod's containers (an init container's too). */
    public void container(Pod pod, Container container, String type, String reason, String message) {
        record(podReference(pod, fieldPath(pod, container.getName())), type, reason, message);
    }

    /** An event about this node. */
    public void node(String type, String reason, String message) {
        // upstream's kubelet names its node by name, also as its uid
        record(new ObjectReferenceBuilder().withKind("Node").withName(nodeName).withUid(nodeName).build(), type, reason, message);
    }

    /** NodeReady or NodeNotReady, as the node's Ready condition is now. */
    public void nodeReadiness(boolean ready) {
        String reason = ready ? EventReasons.NODE_READY : EventReasons.NODE_NOT_READY;
        node(NORMAL, reason, EventMessages.nodeStatus(nodeName, reason));
    }

    /** How many events a full queue dropped. */
    public long dropped() {
        return queue.dropped();
    }

    /** How many event writes the per-object rate limits held back. */
    public long rateLimited() {
        return correlator.rateLimited();
    }

    private void record(ObjectReference involved, String type, String reason, String message) {
        if (closed) {
            return;
        }
        String now = timestamp(clock.instant());
        String namespace = involved.getNamespace() == null || involved.getNamespace().isEmpty() ? "default"
                : involved.getNamespace();
        Event event = new EventBuilder().withNewMetadata().withNamespace(namespace).endMetadata()
                .withInvolvedObject(involved).withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withReportingComponent(COMPONENT).withReportingInstance(nodeName).build();
        queue.add(event);
    }

    private void send() {
        while (!closed) {
            Event next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                correlator.correlate(next).ifPresent(sink::write);
            } catch (RuntimeException e) {
                LOG.warn("event {} {} of {} {} not posted: {}", next.getReason(), next.getMessage(),
                        next.getInvolvedObject().getKind(), next.getInvolvedObject().getName(), e.getMessage());
            } finally {
                queue.done();
            }
        }
    }

    /** For tests: waits until every recorded event has been handled. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    private static ObjectReference podReference(Pod pod, String fieldPath) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath(fieldPath).build();
    }

    static String fieldPath(Pod pod, String containerName) {
        boolean init = pod.getSpec() != null && pod.getSpec().getInitContainers() != null
                && pod.getSpec().getInitContainers().stream().anyMatch(c -> containerName.equals(c.getName()));
        return (init ? "spec.initContainers{" : "spec.containers{") + containerName + "}";
    }

    private static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        if (queue.size() > 0 || queue.dropped() > 0) {
            LOG.info("event recorder of node {} closed; {} events unsent, {} dropped", nodeName, queue.size(), queue.dropped());
        }
    }
}
