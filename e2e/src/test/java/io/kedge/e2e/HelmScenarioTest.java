package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm 3 against a real kedge server: install, upgrade, rollback and uninstall of a chart with a CRD and a hook Job. */
class HelmScenarioTest {
    @TempDir
    Path tmp;

    /**
     * A stand-in for the Job controller and a kubelet, which land with the controller and node
     * issues: it marks each hook Job succeeded through the status subresource, as they would once
     * its pod ran, so that helm's wait for the hook ends.
     */
    static Watch completeJobsAsTheJobControllerWould(KubernetesClient client) {
        return client.batch().v1().jobs().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.DELETED || (job.getStatus() != null && job.getStatus().getSucceeded() != null)) {
                    return;
                }
                String now = Instant.now().toString().replaceAll("\\.\\d+", "");
                job.setStatus(new JobStatusBuilder().withSucceeded(1).withStartTime(now).withCompletionTime(now)
                        .withConditions(new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True").build(),
                                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
                client.batch().v1().jobs().inNamespace("default").resource(job).updateStatus();
            }

            @Override
            public void onClose(WatcherException cause) { }
        });
    }

    Path chart() throws Exception {
        Path dir = tmp.resolve("chart");
        Path src = Path.of(getClass().getResource("/charts/shop").toURI());
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return dir;
    }

    @Test
    void installUpgradeRollbackAndUninstallAChartWithACrdAndAHookJob() throws Exception {
        try (ServerProcess server = new ServerProcess(tmp.resolve("server"), List.of()).start();
             KubernetesClient client = Fabric8ClientTest.client(server);
             Watch jobs = completeJobsAsTheJobControllerWould(client)) {
            Cli helm = new Cli("helm", server.kubeconfig());
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            Path chart = chart();

            helm.run("install", "demo", chart.toString(), "--namespace", "default", "--timeout", "60s").ok();
            assertThat(kubectl.run("get", "cm", "demo-config", "-o", "jsonpath={.data.greeting}").ok().out()).isEqualTo("hello");
            assertThat(kubectl.run("get", "deploy", "demo-web", "-o", "name").ok().out()).contains("deployment.apps/demo-web");
            assertThat(kubectl.run("get", "svc", "demo-web", "-o", "name").ok().out()).contains("service/demo-web");
            assertThat(kubectl.run("get", "gadgets", "demo-gadget", "-o", "name").ok().out()).contains("demo-gadget");
            assertThat(kubectl.run("get", "job", "demo-migrate", "-o", "name").ok().out()).contains("job.batch/demo-migrate");

            helm.run("upgrade", "demo", chart.toString(), "--set", "greeting=bonjour", "--timeout", "60s").ok();
            assertThat(kubectl.run("get", "cm", "demo-config", "-o", "jsonpath={.data.greeting}").ok().out()).isEqualTo("bonjour");
            assertThat(helm.run("history", "demo").ok().out()).contains("1", "2");

            helm.run("rollback", "demo", "1", "--timeout", "60s").ok();
            assertThat(kubectl.run("get", "cm", "demo-config", "-o", "jsonpath={.data.greeting}").ok().out()).isEqualTo("hello");
            assertThat(helm.run("list").ok().out()).contains("demo", "deployed");

            helm.run("uninstall", "demo", "--timeout", "60s").ok();
            assertThat(kubectl.run("get", "cm", "demo-config").exit()).isNotZero();
            assertThat(kubectl.run("get", "deploy", "demo-web").exit()).isNotZero();
            assertThat(kubectl.run("get", "crd", "gadgets.example.org", "-o", "name").ok().out())
                    .as("helm keeps CRDs it installed from crds/").contains("gadgets.example.org");
        }
    }
}
