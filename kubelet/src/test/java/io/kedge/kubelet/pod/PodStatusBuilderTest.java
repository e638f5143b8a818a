package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.PodSandbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusBuilderTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final long SECOND = 1_000_000_000L;
    private final PodStatusBuilder builder = new PodStatusBuilder("containerd");

    private static Pod pod(String restartPolicy, String... containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).endSpec();
        for (String c : containers) {
            b.editSpec().addNewContainer().withName(c).withImage("img").endContainer().endSpec();
        }
        return b.build();
    }

    private static ContainerStatus container(String id, String name, ContainerState state, int exit, int restart, long created) {
        return ContainerStatus.newBuilder().setId(id).setState(state).setExitCode(exit).setCreatedAt(created)
                .setStartedAt(created + SECOND).setFinishedAt(state == ContainerState.CONTAINER_EXITED ? created + 2 * SECOND : 0)
                .setImageRef("sha256:abc")
                .putLabels(RuntimeLabels.CONTAINER_NAME, name)
                .putAnnotations(RuntimeLabels.RESTART_COUNT, Integer.toString(restart)).build();
    }

    private static RuntimePod runtime(ContainerStatus... containers) {
        return new RuntimePod("u1", List.of(PodSandbox.newBuilder().setId("s1").build()), List.of(containers), Map.of());
    }

    private PodStatus build(Pod pod, RuntimePod rp, Map<String, Waiting> waiting) {
        return builder.build(pod, new PodStatusBuilder.Inputs(rp, List.of("10.244.1.5"), "10.0.0.1", waiting, c -> true, c -> true,
                c -> "", NOW, false));
    }

    @Test
    void aRunningContainerMakesARunningReadyPod() {
        PodStatus s = build(pod("Always", "main"), runtime(container("c1", "main", ContainerState.CONTAINER_RUNNING, 0, 0, 100 * SECOND)),
                Map.of());

        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getPodIP()).isEqualTo("10.244.1.5");
        assertThat(s.getHostIP()).isEqualTo("10.0.0.1");
        assertThat(s.getStartTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(s.getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getContainerID()).isEqualTo("containerd://c1");
            assertThat(c.getImageID()).isEqualTo("sha256:abc");
            assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("1970-01-01T00:01:41Z");
            assertThat(c.getReady()).isTrue();
        });
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .containsExactly(tuple("PodScheduled", "True"), tuple("Initialized", "True"), tuple("ContainersReady", "True"),
                        tuple("Ready", "True"));
    }

    @Test
    void aCrashLoopingContainerWaitsWithItsLastTerminationAndKeepsThePodRunning() {
        Pod pod = pod("Always", "main");
        RuntimePod rp = runtime(container("c2", "main", ContainerState.CONTAINER_EXITED, 1, 2, 200 * SECOND),
                container("c1", "main", ContainerState.CONTAINER_EXITED, 1, 1, 100 * SECOND));

        PodStatus s = build(pod, rp, Map.of("main", new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off 20s")));

        assertThat(s.getPhase()).isEqualTo("Running");
        var c = s.getContainerStatuses().get(0);
        assertThat(c.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(c.getLastState().getTerminated().getContainerID()).isEqualTo("containerd://c2");
        assertThat(c.getRestartCount()).isEqualTo(2);
        assertThat(c.getReady()).isFalse();
        assertThat(s.getConditions()).filteredOn(pc -> pc.getType().equals("Ready")).singleElement()
                .satisfies(pc -> assertThat(pc.getMessage()).isEqualTo("containers with unready status: [main]"));
    }

    @Test
    void phasesFollowTheRestartPolicy() {
        RuntimePod ok = runtime(container("c1", "main", ContainerState.CONTAINER_EXITED, 0, 0, SECOND));
        RuntimePod failed = runtime(container("c1", "main", ContainerState.CONTAINER_EXITED, 2, 0, SECOND));

        assertThat(build(pod("Never", "main"), ok, Map.of()).getPhase()).isEqualTo("Succeeded");
        assertThat(build(pod("OnFailure", "main"), ok, Map.of()).getPhase()).isEqualTo("Succeeded");
        assertThat(build(pod("Never", "main"), failed, Map.of()).getPhase()).isEqualTo("Failed");
        assertThat(build(pod("OnFailure", "main"), failed, Map.of()).getPhase()).isEqualTo("Running");
        assertThat(build(pod("Always", "main"), ok, Map.of()).getPhase()).isEqualTo("Running");
        assertThat(build(pod("Always", "main"), runtime(), Map.of()).getPhase()).isEqualTo("Pending");
        var terminated = build(pod("Never", "main"), failed, Map.of()).getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("Error");
        assertThat(terminated.getFinishedAt()).isEqualTo("1970-01-01T00:00:03Z");
    }

    @Test
    void pendingInitContainersKeepThePodPendingAndItsContainersPodInitializing() {
        Pod pod = new PodBuilder(pod("Always", "main")).editSpec().addNewInitContainer().withName("init").withImage("img")
                .endInitContainer().endSpec().build();

        PodStatus s = build(pod, runtime(container("i1", "init", ContainerState.CONTAINER_RUNNING, 0, 0, SECOND)), Map.of());

        assertThat(s.getPhase()).isEqualTo("Pending");
        assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Initialized", "False"));
    }

    private static Pod withSidecar(Pod pod) {
        return new PodBuilder(pod).editSpec().addNewInitContainer().withName("proxy").withImage("img").withRestartPolicy("Always")
                .endInitContainer().endSpec().build();
    }

    @Test
    void aRunningStartedSidecarInitializesThePodAndItsReadinessCountsForTheReadyCondition() {
        Pod pod = withSidecar(pod("Always", "main"));
        RuntimePod rp = runtime(container("s1", "proxy", ContainerState.CONTAINER_RUNNING, 0, 0, SECOND),
                container("c1", "main", ContainerState.CONTAINER_RUNNING, 0, 0, 2 * SECOND));

        PodStatus s = builder.build(pod, new PodStatusBuilder.Inputs(rp, List.of("10.244.1.5"), "10.0.0.1", Map.of(),
                c -> !c.getId().equals("s1"), c -> true, c -> "", NOW, false));

        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getInitContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getState().getRunning()).isNotNull();
            assertThat(c.getStarted()).isTrue();
            assertThat(c.getReady()).isFalse();
        });
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus, PodCondition::getMessage)
                .contains(tuple("Initialized", "True", null),
                        tuple("Ready", "False", "containers with unready status: [proxy]"));
    }

    @Test
    void aSidecarWhoseStartupProbeHasNotPassedKeepsThePodInitializing() {
        Pod pod = withSidecar(pod("Always", "main"));
        RuntimePod rp = runtime(container("s1", "proxy", ContainerState.CONTAINER_RUNNING, 0, 0, SECOND));

        PodStatus s = builder.build(pod, new PodStatusBuilder.Inputs(rp, List.of(), "10.0.0.1", Map.of(), c -> false,
                c -> false, c -> "", NOW, false));

        assertThat(s.getPhase()).isEqualTo("Pending");
        assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Initialized", "False"));
    }

    @Test
    void aJobsPodCompletesWhenItsAppContainersDoWhileItsSidecarStillRuns() {
        Pod pod = withSidecar(pod("Never", "main"));
        RuntimePod rp = runtime(container("s1", "proxy", ContainerState.CONTAINER_RUNNING, 0, 0, SECOND),
                container("c1", "main", ContainerState.CONTAINER_EXITED, 0, 0, 2 * SECOND));

        assertThat(build(pod, rp, Map.of()).getPhase()).isEqualTo("Succeeded");
    }

    @Test
    void aSidecarRestartingAfterTheAppsStartedLeavesThePodInitializedAndRunning() {
        Pod pod = withSidecar(pod("Never", "main"));
        RuntimePod rp = runtime(container("s2", "proxy", ContainerState.CONTAINER_EXITED, 1, 1, 5 * SECOND),
                container("c1", "main", ContainerState.CONTAINER_RUNNING, 0, 0, 2 * SECOND));

        PodStatus s = build(pod, rp, Map.of("proxy", new Waiting(Waiting.CRASH_LOOP_BACK_OFF, "back-off 10s")));

        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus)
                .contains(tuple("Initialized", "True"), tuple("Ready", "False"));
        assertThat(s.getInitContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void aDeletedPodWhoseContainersWereStoppedEndsSucceededOrFailed() {
        RuntimePod stopped = runtime(container("c1", "main", ContainerState.CONTAINER_EXITED, 137, 0, SECOND));

        PodStatus s = builder.build(pod("Always", "main"), new PodStatusBuilder.Inputs(stopped, List.of(), "10.0.0.1", Map.of(),
                c -> true, c -> true, c -> "", NOW, true));

        assertThat(s.getPhase()).isEqualTo("Failed");
    }

    @Test
    void anUnchangedPodGivesAnEqualStatusWithItsTransitionTimesAndIps() {
        Pod pod = pod("Always", "main");
        RuntimePod rp = runtime(container("c1", "main", ContainerState.CONTAINER_RUNNING, 0, 0, SECOND));
        PodStatus first = build(pod, rp, Map.of());
        pod.setStatus(first);

        PodStatus later = builder.build(pod, new PodStatusBuilder.Inputs(rp, List.of(), "10.0.0.1", Map.of(), c -> true, c -> true,
                c -> "", NOW.plusSeconds(60), false));

        assertThat(later).isEqualTo(first);
    }
}
