package io.kedge.kubelet.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.controllers.testing.SettableClock;
import io.kedge.controllers.testing.TestServer;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.hub.Link;
import io.kedge.pki.CertificateAuthority;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The recorder against a real kedge API server in this JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventRecorderTest {
    private static final String NODE = "ev-node";
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestServer server;
    private KubernetesClient client;
    private SettableClock clock;
    private EventRecorder recorder;

    @BeforeAll
    void startServer() throws Exception {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EventRecorder recorder() {
        clock = new SettableClock(START);
        recorder = EventRecorder.start(client, NODE, clock);
        return recorder;
    }

    @AfterEach
    void closeRecorder() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void aContainerEventNamesThePodItsContainerTheKubeletAndTheNode() throws Exception {
        Pod pod = pod("web");
        recorder().container(pod, pod.getSpec().getContainers().get(0), EventRecorder.NORMAL, EventReasons.STARTED,
                EventMessages.started("main"));
        recorder.container(pod, pod.getSpec().getInitContainers().get(0), EventRecorder.NORMAL, EventReasons.CREATED,
                EventMessages.created("setup"));

        List<Event> events = eventsOf(pod);

        assertThat(events).hasSize(2);
        Event started = events.stream().filter(e -> e.getReason().equals("Started")).findFirst().orElseThrow();
        assertThat(started.getMetadata().getName()).matches("web\\.[0-9a-f]{16}");
        assertThat(started.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(started.getType()).isEqualTo("Normal");
        assertThat(started.getMessage()).isEqualTo("Started container main");
        assertThat(started.getCount()).isEqualTo(1);
        assertThat(started.getFirstTimestamp()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(started.getLastTimestamp()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(started.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(started.getSource().getHost()).isEqualTo(NODE);
        assertThat(started.getReportingComponent()).isEqualTo("kubelet");
        assertThat(started.getReportingInstance()).isEqualTo(NODE);
        assertThat(started.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(started.getInvolvedObject().getApiVersion()).isEqualTo("v1");
        assertThat(started.getInvolvedObject().getName()).isEqualTo("web");
        assertThat(started.getInvolvedObject().getNamespace()).isEqualTo("default");
        assertThat(started.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(started.getInvolvedObject().getResourceVersion()).isEqualTo("42");
        assertThat(started.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{main}");
        Event created = events.stream().filter(e -> e.getReason().equals("Created")).findFirst().orElseThrow();
        assertThat(created.getInvolvedObject().getFieldPath()).isEqualTo("spec.initContainers{setup}");
    }

    @Test
    void nodeEventsGoToTheDefaultNamespaceNamingTheNodeByNameAndUid() throws Exception {
        recorder().node(EventRecorder.NORMAL, EventReasons.STARTING, EventMessages.startingKubelet());
        recorder.nodeReadiness(true);
        assertThat(recorder.awaitIdle(WAIT)).isTrue();

        List<Event> events = client.v1().events().inNamespace("default").withField("involvedObject.uid", NODE).list().getItems();

        assertThat(events).extracting(Event::getReason, Event::getMessage).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Starting", "Starting kubelet."),
                org.assertj.core.groups.Tuple.tuple("NodeReady", "Node ev-node status is now: NodeReady"));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(NODE);
            assertThat(e.getMetadata().getName()).startsWith(NODE + ".");
        });
    }

    @Test
    void aRepeatWithinTenMinutesRaisesTheCountAndLastTimestampOfTheSameEvent() throws Exception {
        Pod pod = pod("crashy");
        Container main = pod.getSpec().getContainers().get(0);
        String message = EventMessages.crashLoopBackOff("main", "crashy", "default", pod.getMetadata().getUid());
        recorder().container(pod, main, EventRecorder.WARNING, EventReasons.BACK_OFF, message);
        clock.advance(Duration.ofMinutes(4));
        recorder.container(pod, main, EventRecorder.WARNING, EventReasons.BACK_OFF, message);
        clock.advance(Duration.ofMinutes(4));
        recorder.container(pod, main, EventRecorder.WARNING, EventReasons.BACK_OFF, message);

        List<Event> events = eventsOf(pod);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(3);
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-27T10:00:00Z");
            assertThat(e.getLastTimestamp()).isEqualTo("2026-11-27T10:08:00Z");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aRepeatAfterTenMinutesIsANewEvent() throws Exception {
        Pod pod = pod("quiet");
        recorder().pod(pod, EventRecorder.NORMAL, EventReasons.SANDBOX_CHANGED, EventMessages.sandboxChanged());
        clock.advance(Duration.ofMinutes(11));
        recorder.pod(pod, EventRecorder.NORMAL, EventReasons.SANDBOX_CHANGED, EventMessages.sandboxChanged());

        List<Event> events = eventsOf(pod);

        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
        assertThat(events).extracting(e -> e.getInvolvedObject().getFieldPath()).containsOnlyNulls();
    }

    @Test
    void anObjectGetsABurstOf25EventsThenOneEachFiveMinutesWhileOthersAreUnaffected() throws Exception {
        Pod flooding = pod("flooding");
        Pod other = pod("other");
        recorder();
        for (int i = 0; i < 30; i++) {
            recorder.pod(flooding, EventRecorder.WARNING, "Reason" + i, "the same message");
        }
        recorder.pod(other, EventRecorder.NORMAL, EventReasons.SANDBOX_CHANGED, EventMessages.sandboxChanged());
        assertThat(recorder.awaitIdle(WAIT)).isTrue();
        assertThat(eventsOf(flooding)).hasSize(25);
        assertThat(eventsOf(other)).hasSize(1);

        clock.advance(Duration.ofMinutes(5));
        recorder.pod(flooding, EventRecorder.WARNING, "Reason30", "the same message");
        recorder.pod(flooding, EventRecorder.WARNING, "Reason31", "the same message");

        assertThat(eventsOf(flooding)).hasSize(26).extracting(Event::getReason).contains("Reason30").doesNotContain("Reason31");
    }

    @Test
    void tenDifferentMessagesOfOneReasonAreCombinedIntoOneCountedEvent() throws Exception {
        Pod pod = pod("probed");
        Container main = pod.getSpec().getContainers().get(0);
        recorder();
        for (int i = 0; i < 12; i++) {
            recorder.container(pod, main, EventRecorder.WARNING, EventReasons.UNHEALTHY, "Readiness probe failed: attempt " + i);
        }

        List<Event> events = eventsOf(pod);

        assertThat(events).hasSize(10);
        Event combined = events.stream().filter(e -> e.getMessage().startsWith("(combined from similar events): "))
                .findFirst().orElseThrow();
        assertThat(combined.getCount()).isEqualTo(3);
        assertThat(combined.getMessage()).isEqualTo("(combined from similar events): Readiness probe failed: attempt 11");
    }

    @Test
    void aRepeatOfAnEventDeletedMeanwhileCreatesItAgainWithItsCount() throws Exception {
        Pod pod = pod("expired");
        recorder().pod(pod, EventRecorder.WARNING, EventReasons.FAILED_MOUNT, EventMessages.mountFailed("configmap \"x\" not found"));
        Event first = eventsOf(pod).get(0);
        client.v1().events().inNamespace("default").withName(first.getMetadata().getName()).delete();

        clock.advance(Duration.ofMinutes(1));
        recorder.pod(pod, EventRecorder.WARNING, EventReasons.FAILED_MOUNT, EventMessages.mountFailed("configmap \"x\" not found"));

        List<Event> events = awaitEvents(() -> eventsOfNow(pod), 1);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
            assertThat(e.getCount()).isEqualTo(2);
            assertThat(e.getLastTimestamp()).isEqualTo("2026-11-27T10:01:00Z");
        });
    }

    @Test
    void throughItsHubANodeCreatesAnEventAndPatchesItsRepeat(@TempDir Path dir) throws Exception {
        String node = "ev-hub-node";
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        CertificateAuthority ca = CertificateAuthority.load(server.dataDir().resolve("pki"));
        HubConfig config = new HubConfig(List.of(URI.create(client.getMasterUrl().toString())),
                ca.issueClient("system:node:" + node, List.of("system:nodes"), Duration.ofDays(1)), null, ca.certificate(),
                node, dir.resolve("hub"), 0, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(40));
        Pod pod = pod("via-hub");
        clock = new SettableClock(START);
        try (EdgeHub hub = new EdgeHub(config).start();
             KubernetesClient nodeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                     .withMasterUrl(hub.url().toString()).withRequestRetryBackoffLimit(0).build()).build()) {
            recorder = EventRecorder.start(nodeClient, node, clock);
            recorder.container(pod, pod.getSpec().getContainers().get(0), EventRecorder.NORMAL, EventReasons.PULLED,
                    EventMessages.alreadyPresent("busybox"));
            clock.advance(Duration.ofMinutes(1));
            recorder.container(pod, pod.getSpec().getContainers().get(0), EventRecorder.NORMAL, EventReasons.PULLED,
                    EventMessages.alreadyPresent("busybox"));

            List<Event> events = eventsOf(pod);

            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getCount()).isEqualTo(2);
                assertThat(e.getSource().getHost()).isEqualTo(node);
                assertThat(e.getMessage()).isEqualTo("Container image \"busybox\" already present on machine");
            });
        }
    }

    @Test
    void whileTheCloudIsUnreachableTheHubJournalsANodesEventsAndTheirRepeatsAndReplaysThem(@TempDir Path dir) throws Exception {
        String node = "ev-offline-node";
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        CertificateAuthority ca = CertificateAuthority.load(server.dataDir().resolve("pki"));
        URI cloud = URI.create(client.getMasterUrl().toString());
        Pod pod = pod("offline");
        Container main = pod.getSpec().getContainers().get(0);
        clock = new SettableClock(START);
        try (Link uplink = new Link(cloud.getPort())) {
            HubConfig config = new HubConfig(List.of(URI.create("https://127.0.0.1:" + uplink.port() + "/")),
                    ca.issueClient("system:node:" + node, List.of("system:nodes"), Duration.ofDays(1)), null, ca.certificate(),
                    node, dir.resolve("hub"), 0, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(40));
            try (EdgeHub hub = new EdgeHub(config).start();
                 KubernetesClient nodeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                         .withMasterUrl(hub.url().toString()).withRequestRetryBackoffLimit(0).build()).build()) {
                recorder = EventRecorder.start(nodeClient, node, clock);
                recorder.container(pod, main, EventRecorder.NORMAL, EventReasons.STARTED, EventMessages.started("main"));
                assertThat(eventsOf(pod)).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));

                uplink.cut();
                awaitTrue(() -> !hub.cloudHealthy());
                clock.advance(Duration.ofMinutes(1));
                recorder.container(pod, main, EventRecorder.NORMAL, EventReasons.STARTED, EventMessages.started("main"));
                recorder.container(pod, main, EventRecorder.WARNING, EventReasons.BACK_OFF,
                        EventMessages.crashLoopBackOff("main", "offline", "default", pod.getMetadata().getUid()));
                clock.advance(Duration.ofMinutes(1));
                recorder.container(pod, main, EventRecorder.WARNING, EventReasons.BACK_OFF,
                        EventMessages.crashLoopBackOff("main", "offline", "default", pod.getMetadata().getUid()));
                assertThat(recorder.awaitIdle(WAIT)).isTrue();
                assertThat(hub.journalDepth()).isPositive();

                uplink.restore();
                awaitTrue(() -> hub.journalDepth() == 0);
            }
        }
        List<Event> events = awaitEvents(() -> eventsOfNow(pod).stream().filter(e -> e.getCount() == 2).toList(), 2);
        assertThat(events).extracting(Event::getReason, Event::getCount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Started", 2),
                        org.assertj.core.groups.Tuple.tuple("BackOff", 2));
        assertThat(eventsOfNow(pod)).hasSize(2);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the condition became true in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The pod's events once the recorder has posted all it was given. */
    private List<Event> eventsOf(Pod pod) throws InterruptedException {
        assertThat(recorder.awaitIdle(WAIT)).as("the recorder posted its events").isTrue();
        return eventsOfNow(pod);
    }

    private List<Event> eventsOfNow(Pod pod) {
        return client.v1().events().inNamespace("default").withField("involvedObject.uid", pod.getMetadata().getUid())
                .list().getItems().stream().sorted(Comparator.comparing(e -> e.getMetadata().getName())).toList();
    }

    private static List<Event> awaitEvents(java.util.function.Supplier<List<Event>> read, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Event> events = read.get();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            events = read.get();
        }
        return events;
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(UUID.randomUUID().toString()).withResourceVersion("42").endMetadata()
                .withNewSpec().addNewInitContainer().withName("setup").withImage("busybox").endInitContainer()
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().build();
    }
}
