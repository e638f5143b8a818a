package io.kedge.netproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamServersTest {
    @TempDir
    Path dir;

    @Test
    void theNameserversAreTheFirstThreeAddressesLeavingOutTheNodeDnsItself() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, """
                # comment
                search corp.example
                nameserver 169.254.20.10
                nameserver 10.0.0.2
                nameserver not-an-ip
                nameserver fd00::53
                nameserver 10.0.0.3
                nameserver 10.0.0.4
                """);

        UpstreamServers servers = new UpstreamServers(resolv, new InetSocketAddress("169.254.20.10", 53), 53);

        assertThat(servers.current()).extracting(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .containsExactly("10.0.0.2:53", "fd00:0:0:0:0:0:0:53:53", "10.0.0.3:53");
    }

    @Test
    void aChangedFileIsReadAgain() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 10.0.0.2\n");
        UpstreamServers servers = new UpstreamServers(resolv, null, 53);
        assertThat(servers.current()).hasSize(1);

        Files.writeString(resolv, "nameserver 10.0.0.7\nnameserver 10.0.0.8\n");
        Files.setLastModifiedTime(resolv, FileTime.from(Instant.now().plusSeconds(10)));
        Thread.sleep(1_100); // the file is looked at no more than once a second

        assertThat(servers.current()).extracting(a -> a.getAddress().getHostAddress()).containsExactly("10.0.0.7", "10.0.0.8");
    }

    @Test
    void aMissingFileMeansNoResolvers() {
        assertThat(new UpstreamServers(dir.resolve("absent"), null, 53).current()).isEmpty();
    }
}
