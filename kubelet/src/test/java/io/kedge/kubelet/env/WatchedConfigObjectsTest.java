package io.kedge.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** ConfigMaps and Secrets read from per-object watches, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchedConfigObjectsTest {
    private TestServer server;
    private KubernetesClient client;
    private WatchedConfigObjects objects;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        objects = new WatchedConfigObjects(client);
    }

    @AfterAll
    void stop() {
        objects.close();
        client.close();
        server.close();
    }

    @Test
    void aConfigMapIsReadFromItsWatchAndAChangeShowsInALaterRead() throws Exception {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("app")
                .endMetadata().withData(Map.of("mode", "v1")).build()).create();
        assertThat(objects.configMap("default", "app")).map(c -> c.getData().get("mode")).contains("v1");

        client.configMaps().inNamespace("default").withName("app").edit(c -> new ConfigMapBuilder(c).withData(Map.of("mode", "v2")).build());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Optional<ConfigMap> seen = objects.configMap("default", "app");
        while (!"v2".equals(seen.map(c -> c.getData().get("mode")).orElse(null)) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            seen = objects.configMap("default", "app");
        }
        assertThat(seen).map(c -> c.getData().get("mode")).contains("v2");
    }

    @Test
    void aMissingObjectIsEmptyUntilItIsCreated() throws Exception {
        assertThat(objects.secret("default", "later")).isEmpty();

        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("later").endMetadata()
                .withStringData(Map.of("k", "v")).build()).create();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (objects.secret("default", "later").isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(objects.secret("default", "later")).isPresent();
        assertThat(objects.configMap("default", "other")).as("another name in the namespace is another watch").isEmpty();
    }
}
