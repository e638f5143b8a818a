package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.kubelet.certs.ClientCertificateRotation;
import io.kedge.kubelet.certs.RotationTiming;
import io.kedge.kubelet.join.TokenJoin;
import io.kedge.pki.CaCertHash;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.RenewableCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rotation as it happens on a joined node: the server signs only short certificates
 * ({@code --cluster-signing-duration 10m}), the node joins with a token, and renews its certificate
 * with a CSR made with that certificate; the server approves the renewal by itself, and the hub
 * reaches the cloud with the new certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateRotationScenarioTest {
    private Path dir;
    private ServerProcess server;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kedge-rotation");
        server = new ServerProcess(dir.resolve("server"), List.of("--cluster-signing-duration", "10m")).start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** Runs `kedge token create`; returns {token, hash}. */
    private String[] createToken() throws Exception {
        Path cli = ServerProcess.root().resolve("cli/target");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cli.resolve("kedge-cli.jar") + ":" + cli.resolve("lib") + "/*", "io.kedge.cli.Main",
                "token", "create", "--data-dir", dir.resolve("server").toString(), "--ttl", "1h"));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        Matcher hash = Pattern.compile("--ca-cert-hash (sha256:[0-9a-f]{64})").matcher(err);
        assertThat(hash.find()).as(err).isTrue();
        return new String[] {out.trim(), hash.group(1)};
    }

    /**
     * Runs ahead of real time until the first rotation, so that a 10-minute certificate is due at
     * once instead of after five minutes; from then on it is the real time again.
     */
    private static final class AheadUntilRotated extends Clock {
        private volatile Duration ahead;

        AheadUntilRotated(Duration ahead) {
            this.ahead = ahead;
        }

        void caughtUp() {
            ahead = Duration.ZERO;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    @Test
    void aJoinedNodeRenewsItsShortLivedCertificateAndTheHubReachesTheCloudWithTheNewOne() throws Exception {
        String[] created = createToken();
        Path data = dir.resolve("node-r");
        URI cloud = URI.create(server.url());
        Path kubeconfig = TokenJoin.join(cloud, created[0], CaCertHash.parse(created[1]), "shop-8-r", data, Duration.ofSeconds(60));
        Kubeconfig joined = Kubeconfig.read(kubeconfig);
        IssuedCertificate first = joined.clientCertificate().orElseThrow();
        assertThat(first.certificate().getNotAfter().toInstant()).as("the server signs for at most 10 minutes")
                .isBefore(Instant.now().plus(Duration.ofMinutes(11)));

        AheadUntilRotated clock = new AheadUntilRotated(Duration.ofMinutes(6));
        try (EdgeHub hub = new EdgeHub(HubConfig.of(List.of(cloud), joined, "shop-8-r", data.resolve("hub"), 0)).start()) {
            RenewableCertificate identity = new RenewableCertificate(first);
            identity.onChange(hub::useIdentity);
            identity.onChange(next -> clock.caughtUp());
            try (ClientCertificateRotation rotation = new ClientCertificateRotation("shop-8-r", data, () -> List.of(cloud),
                    joined.certificateAuthority().orElseThrow(), identity, hub.certificateStatus(), null,
                    new RotationTiming(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(60)), clock).start()) {
                X509Certificate renewed = Await.until("the node renewed its certificate", Duration.ofSeconds(90),
                        () -> identity.current() != first ? identity.current().certificate() : null);
                assertThat(renewed.getNotAfter()).isAfter(first.certificate().getNotAfter());

                Cli.Result whoami = new Cli("kubectl-1.35", kubeconfig).run("auth", "whoami", "-o",
                        "jsonpath={.status.userInfo.username}").ok();
                assertThat(whoami.out()).as("the rewritten kubeconfig holds the new certificate").isEqualTo("system:node:shop-8-r");
                assertThat(Kubeconfig.read(kubeconfig).clientCertificate().orElseThrow().certificate()).isEqualTo(renewed);
                String csrs = new Cli("kubectl-1.35", server.kubeconfig()).run("get", "csr", "-o",
                        "custom-columns=NAME:.metadata.name,REQUESTER:.spec.username,COND:.status.conditions[*].reason",
                        "--no-headers").ok().out();
                assertThat(csrs).as("the renewal was made with the node's certificate and approved without a person")
                        .containsPattern("node-csr-shop-8-r-\\S+\\s+system:node:shop-8-r\\s+AutoApproved");
                HttpResponse<String> who = Await.until("the hub reaches the cloud", Duration.ofSeconds(60), () -> {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    hub.url().resolve("/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 201 ? r : null;
                });
                assertThat(who.body()).contains("\"username\":\"system:node:shop-8-r\"");
                assertThat(hub.metricsText()).contains("kedge_hub_client_certificate_last_rotation_seconds");
            }
        }
    }
}
