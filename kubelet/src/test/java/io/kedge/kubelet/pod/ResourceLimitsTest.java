package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kedge.kubelet.cri.v1.LinuxContainerResources;
import org.junit.jupiter.api.Test;

class ResourceLimitsTest {
    private static final long NODE_MEMORY = 8L << 30;

    private static Container container(String cpuReq, String memReq, String cpuLim, String memLim) {
        ContainerBuilder b = new ContainerBuilder().withName("c").withImage("i");
        var r = b.editOrNewResources();
        if (cpuReq != null) {
            r.addToRequests("cpu", new Quantity(cpuReq));
        }
        if (memReq != null) {
            r.addToRequests("memory", new Quantity(memReq));
        }
        if (cpuLim != null) {
            r.addToLimits("cpu", new Quantity(cpuLim));
        }
        if (memLim != null) {
            r.addToLimits("memory", new Quantity(memLim));
        }
        return r.endResources().build();
    }

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().withContainers(c).endSpec().build();
    }

    @Test
    void limitsBecomeQuotaAndMemoryLimitAndRequestsBecomeShares() {
        Container c = container("250m", "64Mi", "500m", "128Mi");

        LinuxContainerResources r = ResourceLimits.forContainer(pod(c), c, NODE_MEMORY);

        assertThat(r.getCpuShares()).isEqualTo(256);
        assertThat(r.getCpuPeriod()).isEqualTo(100_000);
        assertThat(r.getCpuQuota()).isEqualTo(50_000);
        assertThat(r.getMemoryLimitInBytes()).isEqualTo(128L << 20);
        assertThat(ResourceLimits.qosClass(pod(c))).isEqualTo("Burstable");
        assertThat(r.getOomScoreAdj()).isBetween(3L, 999L);
    }

    @Test
    void aContainerWithoutResourcesIsBestEffortWithMinimalShares() {
        Container c = new ContainerBuilder().withName("c").withImage("i").build();

        LinuxContainerResources r = ResourceLimits.forContainer(pod(c), c, NODE_MEMORY);

        assertThat(r.getCpuShares()).isEqualTo(2);
        assertThat(r.getCpuQuota()).isZero();
        assertThat(r.getMemoryLimitInBytes()).isZero();
        assertThat(r.getOomScoreAdj()).isEqualTo(1000);
        assertThat(ResourceLimits.qosClass(pod(c))).isEqualTo("BestEffort");
    }

    @Test
    void limitsWithoutRequestsMakeAGuaranteedPod() {
        Container c = container(null, null, "1", "1Gi");

        LinuxContainerResources r = ResourceLimits.forContainer(pod(c), c, NODE_MEMORY);

        assertThat(ResourceLimits.qosClass(pod(c))).isEqualTo("Guaranteed");
        assertThat(r.getCpuShares()).isEqualTo(1024);
        assertThat(r.getOomScoreAdj()).isEqualTo(-997);
    }

    @Test
    void aTinyCpuLimitGetsTheMinimumQuota() {
        Container c = container(null, null, "1m", null);

        assertThat(ResourceLimits.forContainer(pod(c), c, NODE_MEMORY).getCpuQuota()).isEqualTo(1000);
    }

    @Test
    void anInvalidQuantityIsNamedInTheError() {
        Container c = container(null, null, null, null);
        c.getResources().getLimits().put("memory", new Quantity("12", "bogus"));

        assertThatThrownBy(() -> ResourceLimits.forContainer(pod(c), c, NODE_MEMORY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12");
    }
}
