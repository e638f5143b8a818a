package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;

/**
 * One API server for all of this package's test classes (they run in one JVM), since starting one
 * takes seconds. Each class runs its own controllers and hollow nodes, in namespaces of its own.
 */
final class SharedTestServer {
    private static TestServer server;
    private static KubernetesClient client;

    private SharedTestServer() {}

    static synchronized KubernetesClient client() throws Exception {
        if (server == null) {
            server = TestServer.start();
            client = server.client();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.close();
                server.close();
            }));
        }
        return client;
    }
}
