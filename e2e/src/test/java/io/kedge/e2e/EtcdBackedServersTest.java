package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.pki.Kubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two kedge servers on one etcd serve the same objects, and a watch on one sees writes made
 * through the other. Servers that share the cluster CA and the service-account key (copied into
 * the second one's {@code pki} before its first start, as kubeadm copies them to a new control-plane
 * node) accept each other's clients and tokens, so a node or pod can fail over between them.
 */
class EtcdBackedServersTest {
    @TempDir
    Path tmp;

    @Test
    void twoServersOnOneEtcdShareObjectsAndWatches() throws Exception {
        try (EtcdProcess etcd = new EtcdProcess(tmp.resolve("etcd"));
             ServerProcess a = new ServerProcess(tmp.resolve("a"), List.of("--store", "etcd", "--etcd-servers", etcd.url())).start();
             ServerProcess b = new ServerProcess(tmp.resolve("b"), List.of("--store", "etcd", "--etcd-servers", etcd.url())).start()) {
            // each server has its own data dir, CA and admin kubeconfig; the objects live in etcd
            Cli kubectlA = new Cli("kubectl-1.35", a.kubeconfig());
            Cli kubectlB = new Cli("kubectl-1.35", b.kubeconfig());
            Path out = tmp.resolve("watch.out");
            Process watch = kubectlB.start(out, "get", "configmaps", "-n", "default", "-w", "--output-watch-events");
            try {
                kubectlA.run("create", "configmap", "shared", "--from-literal=a=1").ok();
                KubectlScenario.waitFor(out, "ADDED shared");
                assertThat(kubectlB.run("get", "configmap", "shared", "-o", "jsonpath={.data.a}").ok().out()).isEqualTo("1");
                kubectlB.run("delete", "configmap", "shared").ok();
                assertThat(kubectlA.run("get", "configmap", "shared").exit()).isNotZero();
            } finally {
                watch.destroy();
                watch.waitFor(5, TimeUnit.SECONDS);
            }
            assertThat(Files.readString(out)).contains("DELETED");
        }
    }

    @Test
    void serversThatShareTheCaAndServiceAccountKeyAcceptEachOthersCertificatesAndTokens() throws Exception {
        try (EtcdProcess etcd = new EtcdProcess(tmp.resolve("etcd"));
             ServerProcess a = new ServerProcess(tmp.resolve("a"), List.of("--store", "etcd", "--etcd-servers", etcd.url())).start()) {
            Path pki = Files.createDirectories(tmp.resolve("b").resolve("pki"));
            for (String shared : List.of("ca.crt", "ca.key", "service-account.jwk")) {
                Files.copy(a.dataDir().resolve("pki").resolve(shared), pki.resolve(shared));
            }
            try (ServerProcess b = new ServerProcess(tmp.resolve("b"), List.of("--store", "etcd", "--etcd-servers", etcd.url())).start();
                 ServerProcess stranger = new ServerProcess(tmp.resolve("c"), List.of("--store", "etcd", "--etcd-servers", etcd.url())).start()) {
                Cli kubectlA = new Cli("kubectl-1.35", a.kubeconfig());
                assertThat(kubectlA.run("--server", b.url(), "get", "namespace", "default", "-o", "name").ok().out().trim())
                        .as("a's admin certificate, against b").isEqualTo("namespace/default");
                String token = kubectlA.run("create", "token", "default", "-n", "default").ok().out().trim();

                Cli podAtB = new Cli("kubectl-1.35", tokenKubeconfig(b, token));
                assertThat(podAtB.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").ok().out())
                        .as("a's token, at b").isEqualTo("system:serviceaccount:default:default");
                Cli.Result refused = new Cli("kubectl-1.35", tokenKubeconfig(stranger, token)).run("auth", "whoami");
                assertThat(refused.exit()).as("a server with its own key refuses a's token").isNotZero();
                assertThat(refused.err()).contains("Unauthorized");
            }
        }
    }

    private Path tokenKubeconfig(ServerProcess server, String token) throws IOException {
        Kubeconfig own = Kubeconfig.read(server.kubeconfig());
        Path file = tmp.resolve(server.dataDir().getFileName() + "-token.kubeconfig");
        Kubeconfig.withToken(own.server(), own.certificateAuthority().orElseThrow(), token).write(file);
        return file;
    }
}
