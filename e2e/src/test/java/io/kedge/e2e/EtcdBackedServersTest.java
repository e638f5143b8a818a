package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two kedge servers on one etcd serve the same objects, and a watch on one sees writes made through the other. */
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
}
