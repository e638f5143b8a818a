package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.apiserver.auth.ServiceAccountKey;
import io.kedge.apiserver.auth.ServiceAccountTokenIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final List<ServiceAccountTokenIssuer.Binding> POD = List.of(new ServiceAccountTokenIssuer.Binding("pod", "web-1",
            "pod-uid"));

    private final ServiceAccountKey key = ServiceAccountKey.generate();
    private PodTokens tokens;

    @TempDir
    Path dir;

    @BeforeEach
    void keysOnDisk() throws Exception {
        Files.writeString(dir.resolve(IssuerKeys.FILE), "{\"issuer\":\"" + ServiceAccountTokenIssuer.ISSUER + "\",\"keys\":"
                + key.publicKeySet() + "}");
        tokens = new PodTokens(IssuerKeys.load(dir), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private String issued(Instant at, long seconds, List<String> audiences, List<ServiceAccountTokenIssuer.Binding> bindings) {
        return new ServiceAccountTokenIssuer(key, Clock.fixed(at, ZoneOffset.UTC)).issue("shop", "reader", "sa-uid", bindings,
                audiences, seconds).token();
    }

    @Test
    void aValidPodTokenNamesItsAccountAndPod() {
        Optional<PodIdentity> who = tokens.verify(issued(NOW.minusSeconds(60), 600, List.of(ServiceAccountTokenIssuer.ISSUER), POD));

        assertThat(who).contains(new PodIdentity("shop", "reader", "sa-uid", "web-1", "pod-uid"));
        assertThat(who.get().userName()).isEqualTo("system:serviceaccount:shop:reader");
    }

    @Test
    void expiryAndNotBeforeAllowOneMinuteOfSkewAndNoMore() {
        List<String> api = List.of(ServiceAccountTokenIssuer.ISSUER);
        assertThat(tokens.verify(issued(NOW.minusSeconds(630), 600, api, POD))).as("expired 30 s ago").isPresent();
        assertThat(tokens.verify(issued(NOW.minusSeconds(690), 600, api, POD))).as("expired 90 s ago").isEmpty();
        assertThat(tokens.verify(issued(NOW.plusSeconds(30), 600, api, POD))).as("valid in 30 s").isPresent();
        assertThat(tokens.verify(issued(NOW.plus(Duration.ofMinutes(2)), 600, api, POD))).as("valid in 2 min").isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceWithoutAPodOrFromAnotherKeyIsRefused() {
        assertThat(tokens.verify(issued(NOW, 600, List.of("vault"), POD))).isEmpty();
        assertThat(tokens.verify(issued(NOW, 600, List.of(ServiceAccountTokenIssuer.ISSUER), List.of()))).isEmpty();
        String foreign = new ServiceAccountTokenIssuer(ServiceAccountKey.generate(), Clock.fixed(NOW, ZoneOffset.UTC))
                .issue("shop", "reader", "sa-uid", POD, List.of(ServiceAccountTokenIssuer.ISSUER), 600).token();
        assertThat(tokens.verify(foreign)).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
    }

    @Test
    void withoutTheCloudsKeyNoTokenIsAccepted() throws Exception {
        Files.delete(dir.resolve(IssuerKeys.FILE));
        PodTokens none = new PodTokens(IssuerKeys.load(dir), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(none.verify(issued(NOW, 600, List.of(ServiceAccountTokenIssuer.ISSUER), POD))).isEmpty();
    }
}
