package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceAccountControllerTest {
    private static KubernetesClient client;
    private static RunningControllers controllers;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        controllers = RunningControllers.start(client, ControllerContext.Options.defaults(), ServiceAccountController::create);
    }

    @AfterAll
    static void stop() {
        controllers.close();
    }

    @Test
    void aNewNamespaceGetsADefaultServiceAccount() throws Exception {
        TestObjects.namespace(client, "sa-fresh");

        Await.until("the default service account", () -> defaultAccount("sa-fresh") != null);
    }

    @Test
    void aDeletedDefaultServiceAccountIsCreatedAgain() throws Exception {
        TestObjects.namespace(client, "sa-again");
        Await.until("the default service account", () -> defaultAccount("sa-again") != null);
        String firstUid = defaultAccount("sa-again").getMetadata().getUid();

        client.serviceAccounts().inNamespace("sa-again").withName("default").delete();

        Await.until("a new default service account", () -> {
            ServiceAccount sa = defaultAccount("sa-again");
            return sa != null && !sa.getMetadata().getUid().equals(firstUid);
        });
        assertThat(defaultAccount("sa-again").getMetadata().getDeletionTimestamp()).isNull();
    }

    private static ServiceAccount defaultAccount(String namespace) {
        return client.serviceAccounts().inNamespace(namespace).withName("default").get();
    }
}
