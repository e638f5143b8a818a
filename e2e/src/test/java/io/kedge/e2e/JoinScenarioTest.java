package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.kubelet.join.TokenJoin;
import io.kedge.pki.CaCertHash;
import io.kedge.pki.CertificateAuthority;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Joining by token, as an operator does it: `kedge token create` on the server prints a token and
 * the CA hash; the node pins the CA by that hash, asks for its certificate with the token, and the
 * server approves and signs it without a person, because it is a node's own client certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Path dir;
    private ServerProcess server;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kedge-join");
        server = new ServerProcess(dir.resolve("server"), List.of()).start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** Runs `kedge token create`; returns {token, hash}. */
    private String[] createToken(String ttl) throws Exception {
        Path cli = ServerProcess.root().resolve("cli/target");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cli.resolve("kedge-cli.jar") + ":" + cli.resolve("lib") + "/*", "io.kedge.cli.Main",
                "token", "create", "--data-dir", dir.resolve("server").toString(), "--ttl", ttl, "--unit", "shop-7"));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        Matcher hash = Pattern.compile("--ca-cert-hash (sha256:[0-9a-f]{64})").matcher(err);
        assertThat(hash.find()).as("the join command names the CA hash: " + err).isTrue();
        assertThat(err).contains("--unit shop-7").contains("--token " + out.trim());
        return new String[] {out.trim(), hash.group(1)};
    }

    @Test
    void aNodeJoinsWithATokenAndThePinnedCaAndGetsItsOwnIdentity() throws Exception {
        String[] created = createToken("1h");
        Path data = dir.resolve("node-a");
        Path kubeconfig = TokenJoin.join(URI.create(server.url()), created[0], CaCertHash.parse(created[1]), "shop-7-a", data, WAIT);

        assertThat(kubeconfig).isEqualTo(TokenJoin.kubeconfigIn(data));
        Cli.Result whoami = new Cli("kubectl-1.35", kubeconfig).run("auth", "whoami", "-o", "jsonpath={.status.userInfo}").ok();
        assertThat(whoami.out()).contains("\"username\":\"system:node:shop-7-a\"").contains("system:nodes");
        Cli admin = new Cli("kubectl-1.35", server.kubeconfig());
        String csrs = admin.run("get", "csr", "-o", "custom-columns=NAME:.metadata.name,REQUESTER:.spec.username,COND:.status.conditions[*].reason",
                "--no-headers").ok().out();
        assertThat(csrs).containsPattern("node-csr-shop-7-a-\\S+\\s+system:bootstrap:" + created[0].substring(0, 6) + "\\s+AutoApproved");
    }

    @Test
    void aWrongCaHashIsRefusedBeforeTheTokenIsSent() throws Exception {
        String[] created = createToken("1h");
        CaCertHash other = CaCertHash.of(CertificateAuthority.create("someone-else").certificate());
        assertThatThrownBy(() -> TokenJoin.join(URI.create(server.url()), created[0], other, "shop-7-b", dir.resolve("node-b"), WAIT))
                .isInstanceOf(IOException.class).hasMessageContaining("presents no CA with --ca-cert-hash " + other);
        assertThat(Files.exists(TokenJoin.kubeconfigIn(dir.resolve("node-b")))).isFalse();
    }

    @Test
    void anExpiredTokenIsRefusedWithAClearMessage() throws Exception {
        String[] created = createToken("1s");
        Thread.sleep(2_000);
        assertThatThrownBy(() -> TokenJoin.join(URI.create(server.url()), created[0], CaCertHash.parse(created[1]), "shop-7-c",
                dir.resolve("node-c"), WAIT))
                .isInstanceOf(IOException.class).hasMessageContaining("refused the bootstrap token (401)");
    }

    @Test
    void aMalformedTokenIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> TokenJoin.join(URI.create(server.url()), "not-a-token", CaCertHash.parse("sha256:" + "0".repeat(64)),
                "shop-7-d", dir.resolve("node-d"), WAIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token must look like");
    }
}
