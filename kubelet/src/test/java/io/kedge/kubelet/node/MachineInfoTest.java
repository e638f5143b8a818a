package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {
    @TempDir
    Path dataDir;

    @Test
    void javaArchitectureNamesBecomeGoOnes() {
        assertThat(MachineInfo.goArch("amd64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("x86_64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("aarch64")).isEqualTo("arm64");
    }

    @Test
    void theMachineIsReadFromTheHost() throws Exception {
        MachineInfo m = MachineInfo.read(dataDir);
        assertThat(m.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.memoryBytes()).isPositive();
        assertThat(m.diskBytes()).isPositive();
        assertThat(m.kernelVersion()).isNotBlank();
    }

    @Test
    void allocatableIsCapacityLessTheEvictionThresholds() {
        MachineInfo m = new MachineInfo(4, 8L << 30, 100L << 30, "6.1", "Debian", "amd64", "", "", "");
        Map<String, Quantity> capacity = NodeResources.capacity(m);
        Map<String, Quantity> allocatable = NodeResources.allocatable(m);
        assertThat(capacity.get("memory")).isEqualTo(new Quantity("8388608Ki"));
        assertThat(allocatable.get("memory")).isEqualTo(new Quantity("8286208Ki"));
        assertThat(Quantity.getAmountInBytes(allocatable.get("ephemeral-storage")).longValue()).isEqualTo((100L << 30) * 9 / 10);
        assertThat(allocatable.get("cpu")).isEqualTo(new Quantity("4"));
        assertThat(allocatable.get("pods")).isEqualTo(new Quantity("110"));
    }
}
