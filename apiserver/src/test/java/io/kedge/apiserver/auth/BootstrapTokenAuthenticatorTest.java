package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTokenAuthenticatorTest {
    private static final List<String> API = List.of(ServiceAccountTokenIssuer.ISSUER);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final MapObjects objects = new MapObjects();
    private final BootstrapTokenAuthenticator authenticator = new BootstrapTokenAuthenticator(objects, clock);

    private ObjectNode secret(String id, String secret) {
        ObjectNode s = objects.put("secrets", "kube-system", "bootstrap-token-" + id);
        s.put("type", "bootstrap.kubernetes.io/token");
        data(s, "token-id", id);
        data(s, "token-secret", secret);
        data(s, "usage-bootstrap-authentication", "true");
        return s;
    }

    private static void data(ObjectNode secret, String key, String value) {
        secret.with("data").put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aValidTokenAuthenticatesAsTheBootstrapUserWithItsExtraGroups() {
        ObjectNode s = secret("abcdef", "0123456789abcdef");
        data(s, "auth-extra-groups", "system:bootstrappers:kedge:default-node-token, system:bootstrappers:edge");
        data(s, "expiration", "2026-11-28T10:00:00Z");

        TokenOutcome outcome = authenticator.authenticate("abcdef.0123456789abcdef", API);

        assertThat(outcome.user().name()).isEqualTo("system:bootstrap:abcdef");
        assertThat(outcome.user().groups()).containsExactly("system:bootstrappers",
                "system:bootstrappers:kedge:default-node-token", "system:bootstrappers:edge");
        assertThat(outcome.audiences()).isEqualTo(API);
    }

    @Test
    void anExpiredTokenIsRejected() {
        data(secret("abcdef", "0123456789abcdef"), "expiration", "2026-11-27T09:59:59Z");

        assertThat(authenticator.authenticate("abcdef.0123456789abcdef", API).failure()).contains("expired");
    }

    @Test
    void aWrongSecretIsRejected() {
        secret("abcdef", "0123456789abcdef");

        assertThat(authenticator.authenticate("abcdef.0123456789abcdeX".toLowerCase().replace('x', 'z'), API).failure())
                .contains("does not match");
    }

    @Test
    void aSecretOfAnotherTypeOrNotForAuthenticationIsRejected() {
        secret("abcdef", "0123456789abcdef").put("type", "Opaque");
        assertThat(authenticator.authenticate("abcdef.0123456789abcdef", API).failure()).contains("has type Opaque");

        data(secret("ghijkl", "0123456789abcdef"), "usage-bootstrap-authentication", "false");
        assertThat(authenticator.authenticate("ghijkl.0123456789abcdef", API).failure()).contains("usage-bootstrap-authentication");
    }

    @Test
    void anExtraGroupOutsideTheBootstrappersIsRejected() {
        data(secret("abcdef", "0123456789abcdef"), "auth-extra-groups", "system:masters");

        assertThat(authenticator.authenticate("abcdef.0123456789abcdef", API).failure()).contains("system:masters");
    }

    @Test
    void aTokenWithoutItsSecretIsRejectedAndOtherShapesAreNotMine() {
        assertThat(authenticator.authenticate("abcdef.0123456789abcdef", API).failure()).contains("no secret");
        assertThat(authenticator.authenticate("ABCDEF.0123456789abcdef", API).recognised()).isFalse();
        assertThat(authenticator.authenticate("abcdef.0123", API).recognised()).isFalse();
    }
}
