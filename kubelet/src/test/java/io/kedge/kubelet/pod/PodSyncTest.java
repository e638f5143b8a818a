package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.Container;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.testing.ContainerdFixture;
import io.kedge.kubelet.testing.FakeContainerEnv;
import io.kedge.kubelet.testing.FakePodVolumes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The pod workers against a real containerd and a real kedge API server, both in this test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodSyncTest {
    private static final String NODE = "kt-node";
    private static final String NODE_IP = "10.99.0.1";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private ContainerdFixture containerd;
    private TestServer server;
    private KubernetesClient client;
    private CriRuntime cri;
    private FakePodVolumes volumes;
    private PodSync pods;

    @BeforeAll
    void start() throws Exception {
        containerd = ContainerdFixture.start();
        cri = containerd.runtime();
        server = TestServer.start();
        client = server.client();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
        client.nodes().withName(NODE).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(NODE_IP).endAddress().endStatus().build());
        volumes = new FakePodVolumes(containerd.dir().resolve("volumes"));
        pods = startPodSync();
    }

    private PodSync startPodSync() {
        return PodSync.create(client, NODE, containerd.dir().resolve("kubelet"), cri, volumes, new FakeContainerEnv()).start();
    }

    @AfterAll
    void stop() {
        if (pods != null) {
            pods.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void aBusyboxPodRunsWithAPodIpAndContainerStatuses() throws Exception {
        Pod pod = create(pod("runs", "sleep 3600"));

        Pod running = await(pod, p -> "Running".equals(phase(p)) && p.getStatus().getPodIP() != null
                && Boolean.TRUE.equals(p.getStatus().getContainerStatuses().get(0).getReady()));

        String subnet = containerd.podCidr().substring(0, containerd.podCidr().lastIndexOf('.') + 1);
        assertThat(running.getStatus().getPodIP()).startsWith(subnet);
        assertThat(running.getStatus().getPodIPs()).extracting(ip -> ip.getIp()).containsExactly(running.getStatus().getPodIP());
        assertThat(running.getStatus().getHostIP()).isEqualTo(NODE_IP);
        assertThat(running.getStatus().getStartTime()).isNotNull();
        assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(running.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Initialized", "True"), tuple("ContainersReady", "True"), tuple("Ready", "True"),
                        tuple("PodScheduled", "True"));
        ContainerStatus status = running.getStatus().getContainerStatuses().get(0);
        assertThat(status.getName()).isEqualTo("main");
        assertThat(status.getState().getRunning()).isNotNull();
        assertThat(status.getState().getRunning().getStartedAt()).isNotNull();
        assertThat(status.getStarted()).isTrue();
        assertThat(status.getRestartCount()).isZero();
        assertThat(status.getImage()).isEqualTo(ContainerdFixture.BUSYBOX);
        assertThat(status.getImageID()).isNotEmpty();
        assertThat(status.getContainerID()).startsWith("containerd://");
        List<Event> events = awaitEvents(running, "Started");
        assertThat(events).extracting(Event::getType, Event::getReason)
                .contains(tuple("Normal", "Pulled"), tuple("Normal", "Created"), tuple("Normal", "Started"));
        assertThat(events).filteredOn(e -> e.getReason().equals("Started")).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("Started container main");
            assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{main}");
            assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
            assertThat(e.getSource().getHost()).isEqualTo(NODE);
        });
        assertThat(events).filteredOn(e -> e.getReason().equals("Created")).extracting(Event::getMessage)
                .containsExactly("Created container: main");
        assertThat(events).filteredOn(e -> e.getReason().equals("Pulled")).extracting(Event::getMessage)
                .allMatch(m -> m.contains("\"" + ContainerdFixture.BUSYBOX + "\""));

        List<Container> inRuntime = cri.listContainers(Map.of(RuntimeLabels.POD_UID, running.getMetadata().getUid()));
        assertThat(inRuntime).singleElement().satisfies(c -> {
            assertThat("containerd://" + c.getId()).isEqualTo(status.getContainerID());
            assertThat(c.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
            assertThat(c.getLabelsMap()).containsEntry(RuntimeLabels.POD_NAME, "runs")
                    .containsEntry(RuntimeLabels.POD_NAMESPACE, "default").containsEntry(RuntimeLabels.CONTAINER_NAME, "main");
        });
        delete(running);
    }

    @Test
    void deletionStopsTheContainersRemovesTheSandboxAndThenConfirms() throws Exception {
        Pod pod = create(pod("deleted", "trap 'exit 0' TERM; while true; do sleep 1; done"));
        Pod running = await(pod, p -> "Running".equals(phase(p)));
        String uid = running.getMetadata().getUid();

        client.pods().inNamespace("default").withName("deleted").withGracePeriod(20).delete();

        awaitGone(running);
        assertThat(cri.listContainers(Map.of(RuntimeLabels.POD_UID, uid))).isEmpty();
        assertThat(cri.listPodSandboxes(Map.of(RuntimeLabels.POD_UID, uid))).isEmpty();
        assertThat(volumes.wasTornDown(uid)).isTrue();
        assertThat(containerd.dir().resolve("kubelet/pods").resolve(uid)).doesNotExist();
    }

    @Test
    void deletionRunsThePreStopHookBeforeStoppingTheContainer() throws Exception {
        Path marks = containerd.dir().resolve("prestop-marks");
        Pod pod = new PodBuilder(pod("pre-stopped", "trap 'echo term >> /marks/log; exit 0' TERM; while true; do sleep 1; done"))
                .editSpec()
                .addNewVolume().withName("marks").withNewHostPath().withPath(marks.toString()).endHostPath().endVolume()
                .editFirstContainer()
                .addNewVolumeMount().withName("marks").withMountPath("/marks").endVolumeMount()
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sh", "-c", "echo prestop >> /marks/log")
                .endExec().endPreStop().endLifecycle()
                .endContainer().endSpec().build();
        pod = create(pod);
        Pod running = await(pod, p -> "Running".equals(phase(p)));

        delete(running);

        assertThat(Files.readAllLines(marks.resolve("log"))).containsExactly("prestop", "term");
    }

    @Test
    void aContainerThatExitsOneGoesToCrashLoopBackOffWithGrowingRestartCount() throws Exception {
        Pod pod = create(pod("crashes", "echo failing; exit 1"));

        Pod crashing = await(pod, p -> {
            ContainerStatus s = firstStatus(p);
            return s != null && s.getRestartCount() >= 2 && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
        });

        ContainerStatus s = firstStatus(crashing);
        assertThat(s.getState().getWaiting().getMessage()).contains("back-off").contains("container=main");
        assertThat(s.getLastState().getTerminated()).isNotNull();
        assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(s.getReady()).isFalse();
        assertThat(phase(crashing)).isEqualTo("Running");
        assertThat(crashing.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Ready", "False"));
        assertThat(awaitEvents(crashing, "BackOff")).filteredOn(e -> e.getReason().equals("BackOff")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).isEqualTo("Back-off restarting failed container main in pod crashes_default("
                            + crashing.getMetadata().getUid() + ")");
                    assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{main}");
                });
        assertThat(eventsOf(crashing)).filteredOn(e -> e.getReason().equals("Started")).singleElement()
                .satisfies(e -> assertThat(e.getCount()).as("restarts raise the count of one Started event").isGreaterThan(1));
        delete(crashing);
    }

    @Test
    void aBadCommandShowsRunContainerErrorThenCrashLoopBackOff() throws Exception {
        Pod pod = pod("bad-command", "unused");
        pod.getSpec().getContainers().get(0).setCommand(List.of("/no/such/binary"));
        pod = create(pod);

        Pod failing = await(pod, p -> waitingReason(p).filter(r -> r.equals("RunContainerError") || r.equals("CrashLoopBackOff"))
                .isPresent());
        Pod looping = await(pod, p -> waitingReason(p).filter("CrashLoopBackOff"::equals).isPresent()
                && firstStatus(p).getRestartCount() >= 1);

        assertThat(firstStatus(looping).getLastState().getTerminated().getMessage()).contains("/no/such/binary");
        assertThat(phase(failing)).isIn("Pending", "Running");
        delete(looping);
    }

    @Test
    void aMissingImageShowsErrImagePullThenImagePullBackOff() throws Exception {
        Pod pod = pod("no-image", "sleep 3600");
        pod.getSpec().getContainers().get(0).setImage("kedge.local/not-there:1");
        pod = create(pod);

        Pod failing = await(pod, p -> waitingReason(p).filter(r -> r.equals("ErrImagePull") || r.equals("ImagePullBackOff"))
                .isPresent());
        assertThat(firstStatus(failing).getState().getWaiting().getMessage()).contains("kedge.local/not-there:1");
        Pod backingOff = await(pod, p -> waitingReason(p).filter("ImagePullBackOff"::equals).isPresent());
        assertThat(phase(backingOff)).isEqualTo("Pending");
        List<Event> events = awaitEvents(backingOff, "BackOff");
        assertThat(events).extracting(Event::getType, Event::getMessage).contains(
                tuple("Normal", "Pulling image \"kedge.local/not-there:1\""),
                tuple("Normal", "Back-off pulling image \"kedge.local/not-there:1\""),
                tuple("Warning", "Error: ErrImagePull"));
        assertThat(events).filteredOn(e -> e.getMessage().startsWith("Failed to pull image \"kedge.local/not-there:1\": "))
                .singleElement().satisfies(e -> assertThat(e.getReason()).isEqualTo("Failed"));
        delete(backingOff);
    }

    @Test
    void aMissingConfigMapShowsCreateContainerConfigError() throws Exception {
        Pod pod = pod("no-configmap", "sleep 3600");
        pod.getSpec().getContainers().get(0).setEnv(List.of(new EnvVarBuilder()
                .withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", false).endValueFrom().build()));
        pod = create(pod);

        Pod failing = await(pod, p -> waitingReason(p).filter("CreateContainerConfigError"::equals).isPresent());

        assertThat(firstStatus(failing).getState().getWaiting().getMessage()).contains("absent");
        delete(failing);
    }

    @Test
    void aRestartedPodSyncAdoptsRunningContainersAndRestartsOnesThatExitedMeanwhile() throws Exception {
        Pod pod = create(pod("adopted", "sleep 3600"));
        Pod exiting = create(pod("exits-while-down", "sleep 3600"));
        Pod running = await(pod, p -> "Running".equals(phase(p)));
        Pod doomed = await(exiting, p -> "Running".equals(phase(p)));
        String containerId = firstStatus(running).getContainerID();
        String doomedId = firstStatus(doomed).getContainerID();

        pods.close();
        cri.stopContainer(doomedId.substring("containerd://".length()), 0);
        pods = startPodSync();

        Pod restarted = await(exiting, p -> firstStatus(p).getRestartCount() == 1 && firstStatus(p).getState().getRunning() != null);
        assertThat(firstStatus(restarted).getContainerID()).isNotEqualTo(doomedId);
        assertThat(firstStatus(restarted).getLastState().getTerminated().getContainerID()).isEqualTo(doomedId);
        // the pods found at start are synced together, so the other one has been looked at by now
        Pod adopted = client.pods().inNamespace("default").withName("adopted").get();
        assertThat(firstStatus(adopted).getContainerID()).isEqualTo(containerId);
        assertThat(firstStatus(adopted).getRestartCount()).isZero();
        assertThat(phase(adopted)).isEqualTo("Running");
        assertThat(cri.listContainers(Map.of(RuntimeLabels.POD_UID, adopted.getMetadata().getUid())))
                .singleElement().satisfies(c -> {
                    assertThat("containerd://" + c.getId()).isEqualTo(containerId);
                    assertThat(c.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
                });
        delete(adopted);
        delete(restarted);
    }

    @Test
    void initContainersRunFirstAndShareAnEmptyDirWithTheContainer() throws Exception {
        Pod pod = new PodBuilder(pod("with-init", "cat /work/greeting; sleep 3600"))
                .editSpec()
                .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("init").withImage(ContainerdFixture.BUSYBOX)
                .withCommand("sh", "-c", "echo hello > /work/greeting")
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount()
                .endInitContainer()
                .editFirstContainer().addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount().endContainer()
                .endSpec().build();
        pod = create(pod);

        Pod running = await(pod, p -> "Running".equals(phase(p)));

        ContainerStatus init = running.getStatus().getInitContainerStatuses().get(0);
        assertThat(init.getState().getTerminated().getExitCode()).isZero();
        assertThat(init.getState().getTerminated().getReason()).isEqualTo("Completed");
        String id = firstStatus(running).getContainerID().substring("containerd://".length());
        String out = cri.execSync(id, List.of("cat", "/work/greeting"), Duration.ofSeconds(10)).getStdout()
                .toString(StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("hello\n");
        delete(running);
    }

    private static Pod withSidecar(Pod pod, String script) {
        return new PodBuilder(pod).editSpec()
                .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("proxy").withImage(ContainerdFixture.BUSYBOX).withRestartPolicy("Always")
                .withCommand("sh", "-c", script)
                .withStartupProbe(new ProbeBuilder().withNewExec().withCommand("test", "-f", "/shared/ready").endExec()
                        .withPeriodSeconds(1).build())
                .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                .endInitContainer()
                .editFirstContainer().addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount().endContainer()
                .endSpec().build();
    }

    @Test
    void aSidecarHasStartedBeforeTheAppContainerRunsAndStopsOnceAJobsPodCompletes() throws Exception {
        // the app exits 1 unless the sidecar's startup probe gated it on the file the sidecar writes late
        Pod pod = withSidecar(new PodBuilder(pod("sidecar-job", "cat /shared/ready")).editSpec().withRestartPolicy("Never")
                .endSpec().build(), "sleep 2; echo up > /shared/ready; exec sleep 3600");
        pod = create(pod);

        Pod done = await(pod, p -> "Succeeded".equals(phase(p))
                && sidecarStatus(p).filter(s -> s.getState().getTerminated() != null).isPresent());

        assertThat(firstStatus(done).getState().getTerminated().getExitCode()).isZero();
        ContainerStatus sidecar = done.getStatus().getInitContainerStatuses().get(0);
        assertThat(sidecar.getName()).isEqualTo("proxy");
        assertThat(sidecar.getRestartCount()).isZero();
        assertThat(cri.listContainers(Map.of(RuntimeLabels.POD_UID, done.getMetadata().getUid())))
                .allSatisfy(c -> assertThat(c.getState()).isEqualTo(ContainerState.CONTAINER_EXITED));
        delete(done);
    }

    @Test
    void aSidecarThatExitsIsRestartedEvenInANeverRestartingPodWhileItsAppKeepsRunning() throws Exception {
        Pod pod = withSidecar(new PodBuilder(pod("sidecar-restarts", "sleep 3600")).editSpec().withRestartPolicy("Never")
                .endSpec().build(), "echo up > /shared/ready; sleep 2; exit 3");
        pod = create(pod);

        Pod restarted = await(pod, p -> sidecarStatus(p).filter(s -> s.getRestartCount() >= 1).isPresent());

        assertThat(phase(restarted)).isEqualTo("Running");
        assertThat(firstStatus(restarted).getState().getRunning()).isNotNull();
        assertThat(firstStatus(restarted).getRestartCount()).isZero();
        assertThat(restarted.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Initialized", "True"));
        delete(restarted);
    }

    @Test
    void aFailedContainerOfANeverRestartingPodFailsThePodWithItsTerminationMessage() throws Exception {
        Pod pod = pod("fails", "echo 'bad input' > /dev/termination-log; exit 3");
        pod.getSpec().setRestartPolicy("Never");
        pod = create(pod);

        Pod failed = await(pod, p -> "Failed".equals(phase(p)));

        ContainerStatus s = firstStatus(failed);
        assertThat(s.getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(s.getState().getTerminated().getMessage()).isEqualTo("bad input\n");
        assertThat(s.getRestartCount()).isZero();
        delete(failed);
    }

    @Test
    void aPodResolvesItsOwnHostnameThroughTheKubeletsHostsFile() throws Exception {
        Pod pod = pod("named", "grep \"$(hostname)\" /etc/hosts > /dev/termination-log; exit 1");
        pod.getSpec().setRestartPolicy("Never");
        pod = create(pod);

        Pod failed = await(pod, p -> "Failed".equals(phase(p)));

        assertThat(firstStatus(failed).getState().getTerminated().getMessage())
                .isEqualTo(failed.getStatus().getPodIP() + "\tnamed\n");
        delete(failed);
    }

    @Test
    void limitsBecomeTheContainersCgroupLimits() throws Exception {
        Pod pod = pod("limited", "sleep 3600");
        pod.getSpec().getContainers().get(0).setResources(new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("64Mi")).addToLimits("cpu", new Quantity("500m")).build());
        pod = create(pod);

        Pod running = await(pod, p -> "Running".equals(phase(p)));

        assertThat(running.getStatus().getQosClass()).isEqualTo("Guaranteed");
        String id = firstStatus(running).getContainerID().substring("containerd://".length());
        String memory = cri.execSync(id, List.of("cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"), Duration.ofSeconds(10))
                .getStdout().toString(StandardCharsets.UTF_8).strip();
        String quota = cri.execSync(id, List.of("cat", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Duration.ofSeconds(10))
                .getStdout().toString(StandardCharsets.UTF_8).strip();
        assertThat(memory).isEqualTo(Long.toString(64L * 1024 * 1024));
        assertThat(quota).isEqualTo("50000");
        delete(running);
    }

    @Test
    void aReadinessProbeGatesReady() throws Exception {
        Pod pod = pod("probed", "sleep 3600");
        pod.getSpec().getContainers().get(0).setReadinessProbe(new ProbeBuilder()
                .withNewExec().withCommand("test", "-f", "/tmp/ready").endExec().withPeriodSeconds(1).build());
        pod = create(pod);
        Pod notReady = await(pod, p -> "Running".equals(phase(p)));
        assertThat(firstStatus(notReady).getReady()).isFalse();

        String id = firstStatus(notReady).getContainerID().substring("containerd://".length());
        cri.execSync(id, List.of("touch", "/tmp/ready"), Duration.ofSeconds(10));

        Pod ready = await(pod, p -> Boolean.TRUE.equals(firstStatus(p).getReady()));
        assertThat(ready.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Ready", "True"));
        delete(ready);
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        Pod pod = pod("unhealthy", "sleep 3600");
        pod.getSpec().getContainers().get(0).setLivenessProbe(new ProbeBuilder()
                .withNewExec().withCommand("false").endExec().withPeriodSeconds(1).withFailureThreshold(1).build());
        pod = create(pod);

        Pod restarted = await(pod, p -> firstStatus(p) != null && firstStatus(p).getRestartCount() >= 1);

        assertThat(firstStatus(restarted).getLastState().getTerminated()).isNotNull();
        List<Event> events = awaitEvents(restarted, "Killing");
        assertThat(events).extracting(Event::getType, Event::getReason, Event::getMessage)
                .contains(tuple("Normal", "Killing", "Container main failed liveness probe, will be restarted"));
        assertThat(events).filteredOn(e -> e.getReason().equals("Unhealthy")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMessage()).startsWith("Liveness probe failed"));
        delete(restarted);
    }

    @Test
    void aHostNetworkPodHasTheNodeIp() throws Exception {
        Pod pod = pod("host-net", "sleep 3600");
        pod.getSpec().setHostNetwork(true);
        pod = create(pod);

        Pod running = await(pod, p -> "Running".equals(phase(p)));

        assertThat(running.getStatus().getPodIP()).isEqualTo(NODE_IP);
        delete(running);
    }

    @Test
    void aSteadyPodsStatusIsNotWrittenAgain() throws Exception {
        Pod pod = create(pod("steady", "sleep 3600"));
        Pod running = await(pod, p -> "Running".equals(phase(p)) && Boolean.TRUE.equals(firstStatus(p).getReady()));

        // several runtime relists and syncs later (the relist runs every second), nothing has been rewritten
        TimeUnit.SECONDS.sleep(4);
        client.pods().inNamespace("default").withName("steady").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("touched", "yes").endMetadata().build());
        TimeUnit.SECONDS.sleep(2);

        Pod later = client.pods().inNamespace("default").withName("steady").get();
        assertThat(later.getStatus()).isEqualTo(running.getStatus());
        assertThat(Long.parseLong(later.getMetadata().getResourceVersion()))
                .isEqualTo(Long.parseLong(running.getMetadata().getResourceVersion()) + 1);
        delete(later);
    }

    @Test
    void podsKeepRunningAcrossAContainerdRestartAndNewOnesStartAfterIt() throws Exception {
        Pod pod = create(pod("survivor", "sleep 3600"));
        Pod running = await(pod, p -> "Running".equals(phase(p)));
        String containerId = firstStatus(running).getContainerID();

        containerd.restartContainerd();
        Pod fresh = create(pod("after-containerd-restart", "sleep 3600"));
        await(fresh, p -> "Running".equals(phase(p)));

        Pod survivor = client.pods().inNamespace("default").withName("survivor").get();
        assertThat(firstStatus(survivor).getContainerID()).isEqualTo(containerId);
        assertThat(firstStatus(survivor).getRestartCount()).isZero();
        assertThat(phase(survivor)).isEqualTo("Running");
        delete(survivor);
        delete(fresh);
    }

    // ---- helpers

    private static Pod pod(String name, String script) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("main").withImage(ContainerdFixture.BUSYBOX)
                .withCommand("sh", "-c", script).endContainer()
                .endSpec().build();
    }

    private Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private void delete(Pod pod) throws InterruptedException {
        client.pods().inNamespace("default").withName(pod.getMetadata().getName()).delete();
        awaitGone(pod);
    }

    /** The pod's events, once one with {@code reason} is among them (the kubelet posts them asynchronously). */
    private List<Event> awaitEvents(Pod pod, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Event> events = eventsOf(pod);
        while (events.stream().noneMatch(e -> reason.equals(e.getReason())) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            events = eventsOf(pod);
        }
        return events;
    }

    private List<Event> eventsOf(Pod pod) {
        return client.v1().events().inNamespace("default").withField("involvedObject.uid", pod.getMetadata().getUid())
                .list().getItems();
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static ContainerStatus firstStatus(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        return p.getStatus().getContainerStatuses().get(0);
    }

    private static Optional<ContainerStatus> sidecarStatus(Pod p) {
        return p.getStatus() == null || p.getStatus().getInitContainerStatuses() == null
                ? Optional.empty() : p.getStatus().getInitContainerStatuses().stream().findFirst();
    }

    private static Optional<String> waitingReason(Pod p) {
        ContainerStatus s = firstStatus(p);
        return s == null || s.getState() == null || s.getState().getWaiting() == null ? Optional.empty()
                : Optional.ofNullable(s.getState().getWaiting().getReason());
    }

    private Pod await(Pod pod, Predicate<Pod> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Pod last = null;
        while (System.nanoTime() < deadline) {
            last = client.pods().inNamespace("default").withName(pod.getMetadata().getName()).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("pod " + pod.getMetadata().getName() + " did not reach the expected state within "
                + WAIT.toSeconds() + "s; last status: " + (last == null ? "(gone)" : last.getStatus())
                + "\ncontainerd log: " + tail(containerd.containerdLog()));
    }

    private void awaitGone(Pod pod) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Pod p = client.pods().inNamespace("default").withName(pod.getMetadata().getName()).get();
            if (p == null || !p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("pod " + pod.getMetadata().getName() + " was not confirmed deleted within " + WAIT.toSeconds() + "s");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (Exception e) {
            return "(unreadable)";
        }
    }
}
