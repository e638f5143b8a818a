package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kedge.kubelet.cri.v1.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {
    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Secret dockerConfigJson(String json) {
        return new SecretBuilder().withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", b64(json)).build();
    }

    @Test
    void anEntryForTheImagesRegistryBecomesAuthConfigWithUserAndPasswordFromAuth() {
        Secret secret = dockerConfigJson("{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + b64("alice:s3cret") + "\"},"
                + "\"other.example\":{\"username\":\"bob\",\"password\":\"x\"}}}");

        List<AuthConfig> auth = RegistryCredentials.forImage("registry.example:5000/team/app:1", List.of(secret));

        assertThat(auth).singleElement().satisfies(a -> {
            assertThat(a.getUsername()).isEqualTo("alice");
            assertThat(a.getPassword()).isEqualTo("s3cret");
            assertThat(a.getServerAddress()).isEqualTo("registry.example:5000");
            assertThat(a.getAuth()).isEqualTo(b64("alice:s3cret"));
        });
    }

    @Test
    void dockerHubKeysMatchImagesWithoutARegistry() {
        Secret secret = dockerConfigJson("{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"u\",\"password\":\"p\"}}}");

        assertThat(RegistryCredentials.forImage("busybox:stable", List.of(secret))).hasSize(1);
        assertThat(RegistryCredentials.forImage("library/busybox", List.of(secret))).hasSize(1);
        assertThat(RegistryCredentials.forImage("quay.io/busybox", List.of(secret))).isEmpty();
    }

    @Test
    void theLegacyDockercfgFormatIsRead() {
        Secret secret = new SecretBuilder().withType("kubernetes.io/dockercfg")
                .addToData(".dockercfg", b64("{\"kedge.local\":{\"username\":\"u\",\"password\":\"p\"}}")).build();

        assertThat(RegistryCredentials.forImage("kedge.local/busybox:stable", List.of(secret)))
                .extracting(AuthConfig::getUsername).containsExactly("u");
    }

    @Test
    void aMalformedSecretGivesNoCredentialsInsteadOfAnError() {
        Secret broken = new SecretBuilder().addToData(".dockerconfigjson", b64("{not json")).build();
        Secret notBase64 = new SecretBuilder().addToData(".dockerconfigjson", "%%%").build();

        assertThat(RegistryCredentials.forImage("kedge.local/x", List.of(broken, notBase64))).isEmpty();
    }

    @Test
    void registryHostsOfImageReferences() {
        assertThat(ImageRef.registry("busybox")).isEqualTo("docker.io");
        assertThat(ImageRef.registry("library/busybox:1")).isEqualTo("docker.io");
        assertThat(ImageRef.registry("localhost/x")).isEqualTo("localhost");
        assertThat(ImageRef.registry("10.0.0.1:5000/x/y:2")).isEqualTo("10.0.0.1:5000");
        assertThat(ImageRef.isLatest("busybox")).isTrue();
        assertThat(ImageRef.isLatest("busybox:latest")).isTrue();
        assertThat(ImageRef.isLatest("host:5000/busybox")).isTrue();
        assertThat(ImageRef.isLatest("host:5000/busybox:1")).isFalse();
        assertThat(ImageRef.isLatest("busybox@sha256:abc")).isFalse();
    }
}
