package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 client 8.x, as controllers and Java users drive kedge. */
class Fabric8ClientTest {
    @TempDir
    Path tmp;

    static KubernetesClient client(ServerProcess server) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
        config.setRequestTimeout(30_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("f8").endMetadata()
                .withData(Map.of("v", value)).build();
    }

    @Test
    void informerListsThenWatchesAddsUpdatesAndDeletes() throws Exception {
        try (ServerProcess server = new ServerProcess(tmp.resolve("s"), List.of()).start();
             KubernetesClient client = client(server)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
            client.configMaps().inNamespace("f8").resource(configMap("before", "1")).create();
            Map<String, String> seen = new ConcurrentHashMap<>();
            List<String> deleted = new CopyOnWriteArrayList<>();
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("f8").inform(new ResourceEventHandler<>() {
                public void onAdd(ConfigMap cm) { seen.put(cm.getMetadata().getName(), cm.getData().get("v")); }
                public void onUpdate(ConfigMap old, ConfigMap cm) { seen.put(cm.getMetadata().getName(), cm.getData().get("v")); }
                public void onDelete(ConfigMap cm, boolean unknown) { deleted.add(cm.getMetadata().getName()); }
            });
            try {
                await("the initial list", () -> "1".equals(seen.get("before")));
                client.configMaps().inNamespace("f8").resource(configMap("after", "a")).create();
                client.configMaps().inNamespace("f8").withName("after").edit(cm -> { cm.getData().put("v", "b"); return cm; });
                client.configMaps().inNamespace("f8").withName("before").delete();
                await("watched changes", () -> "b".equals(seen.get("after")) && deleted.contains("before"));
            } finally {
                informer.close();
            }
        }
    }

    @Test
    void informerRelistsAfter410AndEndsAtTheFinalStateAcrossARestart() throws Exception {
        Path data = tmp.resolve("restart");
        int port = ServerProcess.freePort();
        ServerProcess server = new ServerProcess(data, port, List.of()).start();
        try (KubernetesClient client = client(server)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
            client.configMaps().inNamespace("f8").resource(configMap("keep", "1")).create();
            client.configMaps().inNamespace("f8").resource(configMap("gone", "1")).create();
            Set<String> present = ConcurrentHashMap.newKeySet();
            Map<String, String> values = new ConcurrentHashMap<>();
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("f8").inform(new ResourceEventHandler<>() {
                public void onAdd(ConfigMap cm) { present.add(cm.getMetadata().getName()); values.put(cm.getMetadata().getName(), cm.getData().get("v")); }
                public void onUpdate(ConfigMap old, ConfigMap cm) { values.put(cm.getMetadata().getName(), cm.getData().get("v")); }
                public void onDelete(ConfigMap cm, boolean unknown) { present.remove(cm.getMetadata().getName()); }
            });
            try {
                await("the initial list", () -> present.containsAll(Set.of("keep", "gone")));
                server.kill();
                // While the informer cannot reach its server, the same data changes through another one.
                try (ServerProcess other = new ServerProcess(data, List.of()).start();
                     KubernetesClient otherClient = client(other)) {
                    otherClient.configMaps().inNamespace("f8").withName("gone").delete();
                    otherClient.configMaps().inNamespace("f8").withName("keep")
                            .edit(cm -> { cm.getData().put("v", "2"); return cm; });
                    otherClient.configMaps().inNamespace("f8").resource(configMap("new", "1")).create();
                }
                server = new ServerProcess(data, port, List.of()).start();
                await("the final state after the restart", () -> present.equals(Set.of("keep", "new"))
                        && "2".equals(values.get("keep")));
            } finally {
                informer.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void serverSideApplyConflictsUntilForced() throws Exception {
        try (ServerProcess server = new ServerProcess(tmp.resolve("ssa"), List.of()).start();
             KubernetesClient client = client(server)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
            client.configMaps().inNamespace("f8").resource(configMap("shared", "alice")).fieldManager("alice").serverSideApply();
            assertThatThrownBy(() -> client.configMaps().inNamespace("f8").resource(configMap("shared", "bob"))
                    .fieldManager("bob").serverSideApply())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("alice");
                    });
            ConfigMap forced = client.configMaps().inNamespace("f8").resource(configMap("shared", "bob"))
                    .fieldManager("bob").forceConflicts().serverSideApply();
            assertThat(forced.getData()).containsEntry("v", "bob");
            assertThat(forced.getMetadata().getManagedFields()).extracting(f -> f.getManager()).contains("bob");
        }
    }

    @Test
    void statusSubresourceWritesOnlyStatusAndMainWritesKeepIt() throws Exception {
        // no controllers: the test writes the Deployment's status itself
        try (ServerProcess server = new ServerProcess(tmp.resolve("status"), List.of("--disable-controllers")).start();
             KubernetesClient client = client(server)) {
            Deployment d = new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                    .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
                    .endTemplate().endSpec().build();
            Deployment created = client.apps().deployments().inNamespace("default").resource(d).create();
            assertThat(created.getStatus() == null || created.getStatus().getReplicas() == null).isTrue();

            created.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(2)
                    .withObservedGeneration(1L).build());
            created.getSpec().setReplicas(7);
            Deployment afterStatus = client.apps().deployments().inNamespace("default").resource(created).updateStatus();
            assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(2);
            assertThat(afterStatus.getSpec().getReplicas()).as("a status write leaves spec alone").isEqualTo(2);

            afterStatus.getSpec().setReplicas(3);
            afterStatus.getStatus().setReplicas(99);
            Deployment afterMain = client.apps().deployments().inNamespace("default").resource(afterStatus).update();
            assertThat(afterMain.getSpec().getReplicas()).isEqualTo(3);
            assertThat(afterMain.getStatus().getReplicas()).as("a main write leaves status alone").isEqualTo(2);
            assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(2L);
        }
    }
}
