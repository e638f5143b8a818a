package io.kedge.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriRuntimeSocketTest {
    @Test
    void callsOnASocketNobodyListensOnFailNamingTheSocket(@TempDir Path dir) {
        Path socket = dir.resolve("no-containerd.sock");
        try (CriRuntime cri = CriRuntime.connect(socket, Duration.ofSeconds(5))) {
            assertThatThrownBy(cri::version)
                    .isInstanceOf(CriUnavailableException.class)
                    .hasMessageContaining(socket.toString())
                    .hasMessageContaining("Version");
            assertThat(cri.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("container runtime is down").contains(socket.toString()));
            assertThat(cri.runtimeVersion()).isEmpty();
        }
    }

    @Test
    void aZeroCallTimeoutIsRejected(@TempDir Path dir) {
        assertThatThrownBy(() -> CriRuntime.connect(dir.resolve("x.sock"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }
}
