package io.kedge.controllers.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients of a {@link TestServer} as the controllers and the scheduler, from the kubeconfigs the
 * server writes for them: controllers under test run as {@code kedge server} runs them, so that a
 * rule missing from their ClusterRole fails their tests. Found by the admin client's server URL, so
 * that fixtures which only hold the admin client need no more plumbing.
 */
public final class ComponentClients {
    private static final Map<String, Path> DATA_DIRS = new ConcurrentHashMap<>();
    private static final Map<String, KubernetesClient> CLIENTS = new ConcurrentHashMap<>();

    private ComponentClients() {}

    static void register(String serverUrl, Path dataDir) {
        DATA_DIRS.put(trimmed(serverUrl), dataDir);
    }

    /** User system:kube-controller-manager on the admin client's server. */
    public static KubernetesClient controllers(KubernetesClient admin) {
        return of(admin, "controller-manager.kubeconfig");
    }

    /** User system:kube-scheduler on the admin client's server. */
    public static KubernetesClient scheduler(KubernetesClient admin) {
        return of(admin, "scheduler.kubeconfig");
    }

    private static KubernetesClient of(KubernetesClient admin, String file) {
        String url = trimmed(admin.getMasterUrl().toString());
        Path dir = DATA_DIRS.get(url);
        if (dir == null) {
            throw new IllegalStateException("no TestServer serves " + url);
        }
        return CLIENTS.computeIfAbsent(url + "|" + file, k -> {
            try {
                return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(dir.resolve(file)))).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
