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

/** `kedge server --audit-log`: every request, refused ones included, is one JSON line naming who did what, and the outcome. */
class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void eachRequestIsOneLineWithUserVerbResourceNameAndCodeAndARefusedTokenIsThereToo() throws Exception {
        Path audit = dir.resolve("audit/audit.log");
        try (ServerProcess server = new ServerProcess(dir.resolve("server"), List.of("--audit-log=" + audit)).start()) {
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            kubectl.run("create", "configmap", "audited", "-n", "default", "--from-literal=k=v").ok();
            kubectl.run("get", "configmap", "audited", "-n", "default").ok();
            Kubeconfig admin = Kubeconfig.read(server.kubeconfig());
            Path stranger = dir.resolve("stranger.kubeconfig");
            Kubeconfig.withToken(admin.server(), admin.certificateAuthority().orElseThrow(), "not-a-token").write(stranger);
            assertThat(new Cli("kubectl-1.35", stranger).run("get", "secrets", "-n", "kube-system").exit()).isNotZero();

            List<JsonNode> events = Files.readAllLines(audit, StandardCharsets.UTF_8).stream()
                    .map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8), false)).toList();
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
                assertThat(e.path("stageTimestamp").asText()).isNotEmpty();
            });
            JsonNode created = events.stream().filter(e -> e.path("verb").asText().equals("create")
                    && e.path("objectRef").path("resource").asText().equals("configmaps")).findFirst().orElseThrow();
            assertThat(created.path("user").path("username").asText()).isEqualTo("kedge-admin");
            assertThat(created.path("user").path("groups").toString()).contains("system:masters");
            assertThat(created.path("objectRef").path("namespace").asText()).isEqualTo("default");
            assertThat(created.path("responseStatus").path("code").asInt()).isEqualTo(201);
            JsonNode read = events.stream().filter(e -> e.path("verb").asText().equals("get")
                    && e.path("objectRef").path("name").asText().equals("audited")).findFirst().orElseThrow();
            assertThat(read.path("responseStatus").path("code").asInt()).isEqualTo(200);
            JsonNode refused = events.stream().filter(e -> e.path("responseStatus").path("code").asInt() == 401)
                    .findFirst().orElseThrow();
            assertThat(refused.path("user").path("username").asText()).isEqualTo("system:anonymous");
            assertThat(refused.path("requestURI").asText()).startsWith("/api");
        }
    }
}
