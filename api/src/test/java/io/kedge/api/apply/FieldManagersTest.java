package io.kedge.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.kedge.api.ApiException;
import org.junit.jupiter.api.Test;

class FieldManagersTest {

    @Test
    void theUserAgentsProductNameIsTheDefaultManager() {
        assertThat(FieldManagers.fromUserAgent("kubectl/v1.35.0 (linux/amd64) kubernetes/66452049")).isEqualTo("kubectl");
        assertThat(FieldManagers.fromUserAgent("kube-controller-manager/v1.20.0 (linux/amd64)"))
                .isEqualTo("kube-controller-manager");
        assertThat(FieldManagers.fromUserAgent("curl")).isEqualTo("curl");
        assertThat(FieldManagers.fromUserAgent(null)).isEmpty();
        assertThat(FieldManagers.resolve("kubectl-client-side-apply", "kubectl/v1.20.0")).isEqualTo("kubectl-client-side-apply");
        assertThat(FieldManagers.resolve("", "helm/3.14")).isEqualTo("helm");
    }

    @Test
    void aUserAgentLosesUnprintableCharactersAndIsCutTo128Bytes() {
        assertThat(FieldManagers.fromUserAgent("bad\u0007agent/1")).isEqualTo("badagent");
        assertThat(FieldManagers.fromUserAgent("x".repeat(300))).hasSize(128);
        assertThat(FieldManagers.fromUserAgent("é".repeat(100))).hasSize(64);
    }

    @Test
    void invalidManagerNamesAreRejectedAs422() {
        assertThatThrownBy(() -> FieldManagers.validate("x".repeat(129), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("UpdateOptions.meta.k8s.io \"\" is invalid: "
                            + "fieldManager: Too long: may not be more than 128 bytes");
                });
        assertThatThrownBy(() -> FieldManagers.validate("tab\there", true))
                .hasMessageContaining("fieldManager: Invalid value: \"tab\\there\": invalid characters");
        assertThatNoException().isThrownBy(() -> FieldManagers.validate("", false));
        assertThatNoException().isThrownBy(() -> FieldManagers.validate("kubectl", true));
    }
}
