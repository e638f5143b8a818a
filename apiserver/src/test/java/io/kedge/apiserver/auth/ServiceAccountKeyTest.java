package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAccountKeyTest {
    @TempDir
    Path dir;

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndReusedAfter() throws Exception {
        ServiceAccountKey first = ServiceAccountKey.loadOrCreate(dir);
        Path file = dir.resolve(ServiceAccountKey.FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ServiceAccountKey.loadOrCreate(dir).keyId()).isEqualTo(first.keyId());
        assertThat(ServiceAccountKey.generate().keyId()).isNotEqualTo(first.keyId());
    }

    @Test
    void aBrokenKeyFileIsReportedNotReplaced() throws Exception {
        Path file = dir.resolve(ServiceAccountKey.FILE);
        Files.writeString(file, "not json");

        assertThatThrownBy(() -> ServiceAccountKey.loadOrCreate(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo("not json");
    }

    @Test
    void aPublicOnlyKeyIsRefused() throws Exception {
        Files.writeString(dir.resolve(ServiceAccountKey.FILE), ServiceAccountKey.generate().jwk().toPublicJWK().toJSONString());

        assertThatThrownBy(() -> ServiceAccountKey.loadOrCreate(dir)).hasMessageContaining("not a private P-256 key");
    }
}
