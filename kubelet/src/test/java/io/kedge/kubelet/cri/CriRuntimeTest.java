package io.kedge.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.ContainerMetadata;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.ExecSyncResponse;
import io.kedge.kubelet.cri.v1.ImageSpec;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.cri.v1.PodSandboxMetadata;
import io.kedge.kubelet.cri.v1.PodSandboxState;
import io.kedge.kubelet.cri.v1.PodSandboxStatus;
import io.kedge.kubelet.cri.v1.VersionResponse;
import io.kedge.kubelet.testing.ContainerdFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriRuntimeTest {
    private ContainerdFixture containerd;
    private CriRuntime cri;

    @BeforeAll
    void startContainerd() throws Exception {
        containerd = ContainerdFixture.start();
        cri = containerd.runtime();
    }

    @AfterAll
    void stopContainerd() {
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void versionNamesTheRuntimeAndCriV1() {
        VersionResponse version = cri.version();

        assertThat(version.getRuntimeName()).isEqualTo("containerd");
        assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
        assertThat(cri.runtimeVersion()).contains("containerd://" + version.getRuntimeVersion());
    }

    @Test
    void runtimeWithCniConfigHasNoProblem() {
        assertThat(cri.problem()).isEmpty();
    }

    @Test
    void importedImagesAreOnTheNodeAndAMissingOneIsNot() {
        assertThat(cri.imageStatus(ContainerdFixture.BUSYBOX)).isPresent();
        assertThat(cri.imageStatus("kedge.local/not-there:1")).isEmpty();
        assertThat(cri.listImages()).anySatisfy(i -> assertThat(i.getRepoTagsList()).contains(ContainerdFixture.BUSYBOX));
        assertThat(cri.imageFsInfo().getImageFilesystemsList()).isNotEmpty();
    }

    @Test
    void pullingAnUnreachableImageIsAnErrorThatNamesTheImage() {
        assertThatThrownBy(() -> cri.pullImage("kedge.local/not-there:1", null, null))
                .isInstanceOf(CriException.class)
                .isNotInstanceOf(CriUnavailableException.class)
                .hasMessageContaining("PullImage")
                .hasMessageContaining("kedge.local/not-there:1");
    }

    @Test
    void sandboxAndContainerRunExecAndAreRemoved() throws Exception {
        String uid = UUID.randomUUID().toString();
        Path logs = Files.createDirectories(containerd.dir().resolve("logs-" + uid));
        PodSandboxConfig sandboxConfig = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("roundtrip").setNamespace("default").setUid(uid))
                .setHostname("roundtrip")
                .setLogDirectory(logs.toString())
                .putLabels("io.kubernetes.pod.uid", uid)
                .build();

        String sandboxId = cri.runPodSandbox(sandboxConfig);
        PodSandboxStatus sandbox = cri.podSandboxStatus(sandboxId).orElseThrow();
        assertThat(sandbox.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
        String podNet = containerd.podCidr().substring(0, containerd.podCidr().lastIndexOf('.') + 1);
        assertThat(sandbox.getNetwork().getIp()).startsWith(podNet);
        assertThat(cri.listPodSandboxes(Map.of("io.kubernetes.pod.uid", uid))).extracting(s -> s.getId()).containsExactly(sandboxId);

        String containerId = cri.createContainer(sandboxId, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("main"))
                .setImage(ImageSpec.newBuilder().setImage(ContainerdFixture.BUSYBOX))
                .addAllCommand(List.of("sh", "-c", "echo started; exec sleep 3600"))
                .setLogPath("main/0.log")
                .putLabels("io.kubernetes.pod.uid", uid)
                .build(), sandboxConfig);
        cri.startContainer(containerId);

        ContainerStatus running = cri.containerStatus(containerId).orElseThrow();
        assertThat(running.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        assertThat(running.getLogPath()).isEqualTo(logs.resolve("main/0.log").toString());

        ExecSyncResponse exec = cri.execSync(containerId, List.of("sh", "-c", "hostname; echo oops >&2; exit 3"),
                Duration.ofSeconds(10));
        assertThat(exec.getStdout().toString(StandardCharsets.UTF_8)).isEqualTo("roundtrip\n");
        assertThat(exec.getStderr().toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(exec.getExitCode()).isEqualTo(3);

        cri.stopContainer(containerId, 1);
        ContainerStatus stopped = cri.containerStatus(containerId).orElseThrow();
        assertThat(stopped.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(stopped.getFinishedAt()).isPositive();
        assertThat(Files.readString(logs.resolve("main/0.log"))).contains("stdout F started");

        cri.removeContainer(containerId);
        assertThat(cri.containerStatus(containerId)).isEmpty();
        cri.stopPodSandbox(sandboxId);
        cri.removePodSandbox(sandboxId);
        assertThat(cri.podSandboxStatus(sandboxId)).isEmpty();
        assertThat(cri.listPodSandboxes(Map.of("io.kubernetes.pod.uid", uid))).isEmpty();
    }

    @Test
    void callsSucceedAgainAfterContainerdRestarts() throws Exception {
        assertThat(cri.version().getRuntimeName()).isEqualTo("containerd");

        containerd.stopContainerd();
        assertThatThrownBy(cri::version)
                .isInstanceOf(CriUnavailableException.class)
                .hasMessageContaining(containerd.socket().toString());
        assertThat(cri.problem()).hasValueSatisfying(p -> assertThat(p).contains(containerd.socket().toString()));
        assertThat(cri.runtimeVersion()).isEmpty();

        containerd.startContainerd();
        assertThat(cri.version().getRuntimeName()).isEqualTo("containerd");
        assertThat(cri.problem()).isEmpty();
    }
}
