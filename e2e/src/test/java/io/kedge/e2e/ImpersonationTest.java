package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.pki.Kubeconfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl --as}, with kubectl 1.35: the request acts as the named user, only for those allowed to impersonate. */
class ImpersonationTest {
    @TempDir
    Path dir;

    @Test
    void anAdminActsAsTheNamedUserWithItsRightsAndTheAuditLogNamesBothWhileOthersCannotImpersonate() throws Exception {
        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "viewer-secret-token,viewer,u-viewer,\"\"\n");
        Path audit = dir.resolve("audit.log");
        try (ServerProcess server = new ServerProcess(dir.resolve("server"),
                List.of("--token-file=" + tokens, "--audit-log=" + audit)).start()) {
            Cli admin = new Cli("kubectl-1.35", server.kubeconfig());

            assertThat(admin.run("--as", "jane", "--as-group", "devs", "auth", "whoami", "-o", "json").ok().out())
                    .satisfies(out -> {
                        JsonNode info = Json.parse(out.getBytes(StandardCharsets.UTF_8), false).path("status").path("userInfo");
                        assertThat(info.path("username").asText()).isEqualTo("jane");
                        assertThat(info.path("groups").toString()).contains("devs").contains("system:authenticated");
                    });
            Cli.Result asJane = admin.run("--as", "jane", "get", "configmaps", "-n", "default");
            assertThat(asJane.exit()).as("jane holds no role, whoever asks for her").isNotZero();
            assertThat(asJane.err()).contains("User \"jane\" cannot list resource \"configmaps\"");
            assertThat(admin.run("--as", "system:serviceaccount:default:default", "auth", "can-i", "create", "pods").out().trim())
                    .isEqualTo("no");

            Kubeconfig own = Kubeconfig.read(server.kubeconfig());
            Path viewerConfig = dir.resolve("viewer.kubeconfig");
            Kubeconfig.withToken(own.server(), own.certificateAuthority().orElseThrow(), "viewer-secret-token").write(viewerConfig);
            Cli viewer = new Cli("kubectl-1.35", viewerConfig);
            // --raw, because kubectl's discovery reports any refusal as "unknown"
            Cli.Result escalation = viewer.run("--as", "kedge-admin", "--as-group", "system:masters", "get", "--raw",
                    "/api/v1/secrets");
            assertThat(escalation.exit()).isNotZero();
            assertThat(escalation.err()).contains("User \"viewer\" cannot impersonate resource \"users\"");

            List<JsonNode> events = Files.readAllLines(audit, StandardCharsets.UTF_8).stream()
                    .map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8), false)).toList();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.path("user").path("username").asText()).isEqualTo("kedge-admin");
                assertThat(e.path("impersonatedUser").path("username").asText()).isEqualTo("jane");
                assertThat(e.path("responseStatus").path("code").asInt()).isEqualTo(403);
            });
        }
    }
}
