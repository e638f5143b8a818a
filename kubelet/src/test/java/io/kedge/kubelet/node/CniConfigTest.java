package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniConfigTest {
    @TempDir
    Path conf;
    @TempDir
    Path data;

    @Test
    void theFileIsWrittenOnlyWhenItsContentChanges() throws Exception {
        CniConfig cni = new CniConfig(conf.resolve("net.d"), data.resolve("networks"));
        assertThat(cni.write("10.42.1.0/24")).isTrue();
        assertThat(cni.isWrittenFor("10.42.1.0/24")).isTrue();
        long modified = Files.getLastModifiedTime(cni.file()).toMillis();
        assertThat(cni.write("10.42.1.0/24")).isFalse();
        assertThat(Files.getLastModifiedTime(cni.file()).toMillis()).isEqualTo(modified);
        assertThat(cni.write("10.42.2.0/24")).isTrue();
        assertThat(Files.readString(cni.file())).contains("10.42.2.0/24").doesNotContain("10.42.1.0/24");
        try (var entries = Files.list(conf.resolve("net.d"))) {
            assertThat(entries).as("no temporary file left behind").containsExactly(cni.file());
        }
    }

    @Test
    void anIpv6RangeRoutesTheIpv6DefaultAndABadRangeIsRefused() throws Exception {
        CniConfig cni = new CniConfig(conf, data);
        cni.write("fd00:42:1::/64");
        assertThat(Files.readString(cni.file())).contains("\"::/0\"");
        assertThatThrownBy(() -> cni.write("not a cidr")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pod CIDR not a cidr");
    }
}
