package io.kedge.controllers.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real kedge API server, in this JVM on a free port over HTTPS, for controller tests. */
public final class TestServer implements AutoCloseable {
    private final KedgeServer server;
    private final Path dataDir;

    private TestServer(KedgeServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start() throws Exception {
        Path dir = Files.createTempDirectory("kedge-controllers-test");
        ServerConfig cfg = new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 8, Duration.ofSeconds(30));
        KedgeServer server = new KedgeServer(cfg).start();
        ComponentClients.register(Kubeconfig.read(server.adminKubeconfig()).server(), dir);
        return new TestServer(server, dir);
    }

    /** A fabric8 client with the admin credentials. */
    public KubernetesClient client() throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(server.adminKubeconfig()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
    }
}
