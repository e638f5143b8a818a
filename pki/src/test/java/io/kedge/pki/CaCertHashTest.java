package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaCertHashTest {
    @Test
    void theHashIsOfThePublicKeyAndRoundTripsThroughItsText() {
        CertificateAuthority ca = CertificateAuthority.create("hash-test");
        CaCertHash hash = CaCertHash.of(ca.certificate());
        assertThat(hash.toString()).matches("sha256:[0-9a-f]{64}");
        assertThat(CaCertHash.parse(hash.toString())).isEqualTo(hash);
        assertThat(hash.matches(ca.certificate())).isTrue();
        assertThat(hash.matches(CertificateAuthority.create("other").certificate())).isFalse();
    }

    @Test
    void aMalformedHashSaysWhatItShouldLookLike() {
        assertThatThrownBy(() -> CaCertHash.parse("md5:abc")).hasMessageContaining("sha256:<64 hex digits>");
        assertThatThrownBy(() -> CaCertHash.parse("sha256:xyz")).hasMessageContaining("sha256:<64 hex digits>");
    }
}
