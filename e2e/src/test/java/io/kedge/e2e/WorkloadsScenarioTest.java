package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.HollowNodes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.35 driving workloads that converge: the server's own controllers and scheduler, with
 * hollow nodes (a test utility) standing in for kubelets.
 */
class WorkloadsScenarioTest {
    @TempDir
    Path tmp;

    @Test
    void aDeploymentRollsOutScalesRollsBackAndANamespaceDeletionRemovesItsContents() throws Exception {
        try (ServerProcess server = new ServerProcess(tmp.resolve("server"), List.of()).start();
             KubernetesClient client = Fabric8ClientTest.client(server);
             HollowNodes nodes = new HollowNodes(client, HollowNodes.Spec.of("hollow", 3)).start()) {
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            kubectl.run("create", "deployment", "web", "--image=localhost:5000/web:1", "--replicas=3").ok();
            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").ok().out())
                    .contains("successfully rolled out");
            assertThat(kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}").ok().out())
                    .as("the scheduler bound every pod to a hollow node").contains("hollow-");

            kubectl.run("set", "image", "deployment/web", "web=localhost:5000/web:2").ok();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").ok();
            assertThat(kubectl.run("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").ok().out())
                    .isEqualTo("localhost:5000/web:2");
            kubectl.run("rollout", "undo", "deployment/web").ok();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").ok();
            assertThat(kubectl.run("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").ok().out())
                    .isEqualTo("localhost:5000/web:1");

            kubectl.run("scale", "deployment/web", "--replicas=5").ok();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=120s").ok();
            assertThat(kubectl.run("get", "deploy", "web", "-o", "jsonpath={.status.availableReplicas}").ok().out()).isEqualTo("5");

            kubectl.run("create", "namespace", "scratch").ok();
            kubectl.run("create", "configmap", "leftover", "-n", "scratch", "--from-literal=a=1").ok();
            kubectl.run("create", "deployment", "tmp", "-n", "scratch", "--image=localhost:5000/web:1").ok();
            kubectl.run("delete", "namespace", "scratch", "--timeout=120s").ok();
            assertThat(kubectl.run("get", "namespace", "scratch").exit()).as("the namespace is gone").isNotZero();
        }
    }
}
