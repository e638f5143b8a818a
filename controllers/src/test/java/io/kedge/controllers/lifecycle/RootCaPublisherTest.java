package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RootCaPublisherTest {
    private static KubernetesClient client;
    private static RunningControllers controllers;
    private static String ca;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        ca = RootCaPublisher.caOf(client.getConfiguration()).orElseThrow();
        controllers = RunningControllers.start(client, ControllerContext.Options.defaults(), RootCaPublisher::create);
    }

    @AfterAll
    static void stop() {
        controllers.close();
    }

    @Test
    void aNewNamespaceGetsTheClusterCaThatTheClientTrusts() throws Exception {
        TestObjects.namespace(client, "rootca-fresh");

        Await.until("kube-root-ca.crt", () -> rootCa("rootca-fresh") != null);
        ConfigMap cm = rootCa("rootca-fresh");
        assertThat(cm.getData()).containsOnly(Map.entry("ca.crt", ca));
        assertThat(ca).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(cm.getMetadata().getAnnotations()).containsKey("kubernetes.io/description");
    }

    @Test
    void aDeletedConfigMapIsCreatedAgain() throws Exception {
        TestObjects.namespace(client, "rootca-again");
        Await.until("kube-root-ca.crt", () -> rootCa("rootca-again") != null);
        String firstUid = rootCa("rootca-again").getMetadata().getUid();

        client.configMaps().inNamespace("rootca-again").withName("kube-root-ca.crt").delete();

        Await.until("a new kube-root-ca.crt", () -> Optional.ofNullable(rootCa("rootca-again"))
                .map(c -> !c.getMetadata().getUid().equals(firstUid)).orElse(false));
        assertThat(rootCa("rootca-again").getData()).containsEntry("ca.crt", ca);
    }

    @Test
    void anEditedConfigMapIsRepaired() throws Exception {
        TestObjects.namespace(client, "rootca-edit");
        Await.until("kube-root-ca.crt", () -> rootCa("rootca-edit") != null);

        client.configMaps().inNamespace("rootca-edit").withName("kube-root-ca.crt")
                .edit(cm -> { cm.setData(Map.of("ca.crt", "not a CA", "extra", "x")); return cm; });

        Await.until("the CA restored", () -> Map.of("ca.crt", ca).equals(rootCa("rootca-edit").getData()));
    }

    private static ConfigMap rootCa(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("kube-root-ca.crt").get();
    }
}
