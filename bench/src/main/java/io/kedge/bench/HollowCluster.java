package io.kedge.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.controllers.testing.HollowNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A kedge server seen through fabric8 as admin, with hollow nodes registered on it. HollowNodes is the
 * controllers module's TEST UTILITY standing in for kubelets: it registers Nodes, renews their Leases
 * every 10 s, and moves pods bound to them to Running and Ready through the status subresource. One
 * HollowNodes does all of that on one thread, so the nodes are split into {@value #GROUPS} groups that
 * work side by side, as separate kubelets would.
 */
final class HollowCluster implements AutoCloseable {
    static final int GROUPS = 10;

    private final KubernetesClient client;
    private final List<HollowNodes> groups;
    private final double registrationSeconds;

    private HollowCluster(KubernetesClient client, List<HollowNodes> groups, double registrationSeconds) {
        this.client = client;
        this.groups = groups;
        this.registrationSeconds = registrationSeconds;
    }

    static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestTimeout(60_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /** Registers {@code count} hollow nodes, named {@code hollow-GROUP-INDEX}, in parallel groups. */
    static HollowCluster start(Path kubeconfig, int count) {
        KubernetesClient client = client(kubeconfig);
        long t0 = System.nanoTime();
        int groupCount = Math.min(GROUPS, count);
        List<CompletableFuture<HollowNodes>> starting = new ArrayList<>();
        ExecutorService registrars = Executors.newFixedThreadPool(groupCount);
        for (int g = 0; g < groupCount; g++) {
            int size = count / groupCount + (g < count % groupCount ? 1 : 0);
            String prefix = "hollow-" + g;
            starting.add(CompletableFuture.supplyAsync(() -> startGroup(client, HollowNodes.Spec.of(prefix, size)), registrars));
        }
        List<HollowNodes> groups = new ArrayList<>();
        try {
            for (CompletableFuture<HollowNodes> f : starting) {
                groups.add(f.join());
            }
        } catch (CompletionException e) {
            starting.forEach(f -> f.thenAccept(HollowNodes::close));
            client.close();
            throw e;
        } finally {
            registrars.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Log.info("%d hollow nodes registered in %.1f s", count, seconds);
        return new HollowCluster(client, groups, seconds);
    }

    /**
     * HollowNodes.start reads each Node and writes its status without retrying, so a controller writing
     * the Node in between (node IPAM) fails it with 409; registering again is harmless, so it is retried.
     */
    private static HollowNodes startGroup(KubernetesClient client, HollowNodes.Spec spec) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new HollowNodes(client, spec).start();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
                Log.info("registering hollow nodes %s-*: %s; again", spec.namePrefix(), Failures.brief(e.getMessage()));
            }
        }
    }

    KubernetesClient client() {
        return client;
    }

    double registrationSeconds() {
        return registrationSeconds;
    }

    @Override
    public void close() {
        groups.forEach(HollowNodes::close);
        client.close();
    }
}
