package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.KeyValue;
import io.kedge.kubelet.cri.v1.Mount;
import io.kedge.kubelet.cri.v1.NamespaceMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerConfigFactoryTest {
    @TempDir
    Path dir;

    private final ContainerConfigFactory factory = new ContainerConfigFactory(8L << 30);

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("uid-1").endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(12L)
                .addNewContainer().withName("app").withImage("kedge.local/busybox:stable")
                .withCommand("sh", "-c").withArgs("echo $(GREETING) $$(LITERAL)").withWorkingDir("/srv")
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/sub").withSubPath("a/b").endVolumeMount()
                .endContainer()
                .endSpec().build();
    }

    private ContainerConfig build(Pod pod) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        LinkedHashMap<String, String> env = new LinkedHashMap<>(Map.of("GREETING", "hi"));
        return factory.build(pod, pod.getSpec().getContainers().get(0), 3, Map.of("data", data), env, dir.resolve("msg"),
                "sha256:img", dir.resolve("etc-hosts"));
    }


    @Test
    void commandArgsEnvAndWorkingDirComeFromTheSpecWithVariablesExpanded() throws Exception {
        ContainerConfig c = build(pod());

        assertThat(c.getCommandList()).containsExactly("sh", "-c");
        assertThat(c.getArgsList()).containsExactly("echo hi $(LITERAL)");
        assertThat(c.getWorkingDir()).isEqualTo("/srv");
        assertThat(c.getEnvsList()).extracting(KeyValue::getKey, KeyValue::getValue).containsExactly(
                tuple("GREETING", "hi"));
        assertThat(c.getImage().getImage()).isEqualTo("sha256:img");
        assertThat(c.getMetadata().getAttempt()).isEqualTo(3);
        assertThat(c.getLogPath()).isEqualTo("app/3.log");
    }

    @Test
    void labelsAndAnnotationsAreUpstreams() throws Exception {
        ContainerConfig c = build(pod());

        assertThat(c.getLabelsMap()).containsEntry("io.kubernetes.pod.name", "web")
                .containsEntry("io.kubernetes.pod.namespace", "shop").containsEntry("io.kubernetes.pod.uid", "uid-1")
                .containsEntry("io.kubernetes.container.name", "app");
        assertThat(c.getAnnotationsMap()).containsEntry("io.kubernetes.container.restartCount", "3")
                .containsEntry("io.kubernetes.container.terminationMessagePath", "/dev/termination-log")
                .containsEntry("io.kubernetes.container.terminationMessagePolicy", "FallbackToLogsOnError")
                .containsEntry("io.kubernetes.pod.terminationGracePeriod", "12");
        assertThat(c.getLinux().getSecurityContext().getNamespaceOptions().getNetwork()).isEqualTo(NamespaceMode.POD);
        assertThat(c.getLinux().getSecurityContext().getNamespaceOptions().getPid()).isEqualTo(NamespaceMode.CONTAINER);
        assertThat(c.getLinux().getSecurityContext().getMaskedPathsList()).contains("/proc/kcore");
    }

    @Test
    void volumeMountsSubPathsTheTerminationMessageFileAndTheHostsFileAreMounted() throws Exception {
        ContainerConfig c = build(pod());

        assertThat(c.getMountsList()).extracting(Mount::getContainerPath, Mount::getHostPath, Mount::getReadonly).containsExactly(
                tuple("/data", dir.resolve("data").toString(), true),
                tuple("/sub", dir.resolve("data/a/b").toString(), false),
                tuple("/dev/termination-log", dir.resolve("msg").toString(), false),
                tuple("/etc/hosts", dir.resolve("etc-hosts").toString(), false));
        assertThat(dir.resolve("data/a/b")).isDirectory();
    }

    @Test
    void aMountOfAnUnknownVolumeIsAConfigErrorNamingIt() {
        Pod pod = pod();
        pod.getSpec().getContainers().get(0).getVolumeMounts().get(0).setName("nope");

        assertThatThrownBy(() -> build(pod)).isInstanceOf(ContainerConfigException.class)
                .hasMessageContaining("\"nope\"").hasMessageContaining("shop/web");
    }

    @Test
    void aSubPathLeavingTheVolumeIsRejected() {
        Pod pod = pod();
        pod.getSpec().getContainers().get(0).getVolumeMounts().get(1).setSubPath("../../etc");

        assertThatThrownBy(() -> build(pod)).isInstanceOf(ContainerConfigException.class)
                .hasMessageContaining("subPath \"../../etc\"");
    }
}
