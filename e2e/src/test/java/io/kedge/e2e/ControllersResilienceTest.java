package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kedge.controllers.testing.HollowNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controllers finish their work through what servers go through: a kill -9 in the middle of a
 * rollout, and, with two servers on one etcd, the loss of the leader. Hollow nodes (a test utility)
 * stand in for kubelets; kubectl 1.35 and fabric8 drive the real {@code kedge server} processes.
 */
class ControllersResilienceTest {
    private static final Pattern CONTROLLERS_LEADING = Pattern.compile("kedge-controllers: (\\S+) is the leader; starting");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String NS = "default";

    @TempDir
    Path tmp;
    private final long started = System.nanoTime();

    /** Progress on stdout, so that a slow run shows where its time went. */
    private void step(String what) {
        System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    @Test
    void aRolloutInterruptedByKillDashNineFinishesAfterRestartWithOnlyNewPods() throws Exception {
        int replicas = 6;
        try (ServerProcess server = new ServerProcess(tmp.resolve("server"), List.of()).start();
             KubernetesClient client = Fabric8ClientTest.client(server);
             HollowNodes nodes = hollowNodes(client, HollowNodes.Spec.of("hollow", 3));
             PodCreations created = PodCreations.watch(server, "pod-template-hash")) {
            step("server and hollow nodes up");
            Cli kubectl = new Cli("kubectl-1.35", server.kubeconfig());
            kubectl.run("create", "deployment", "web", "--image=localhost:5000/web:1", "--replicas=" + replicas).ok();
            kubectl.run("rollout", "status", "deployment/web", "--timeout=110s").ok();
            step("first rollout done");

            // one pod at a time, each available only 2 s after it is ready: slow enough to interrupt
            kubectl.run("patch", "deployment/web", "-p", "{\"spec\":{\"minReadySeconds\":2,\"strategy\":"
                    + "{\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}}}").ok();
            kubectl.run("set", "image", "deployment/web", "web=localhost:5000/web:2").ok();
            await("the rollout to be part way (2.." + (replicas - 1) + " updated replicas)", () -> {
                Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
                if (d.getStatus() == null) {
                    return false;
                }
                int updated = orZero(d.getStatus().getUpdatedReplicas());
                boolean observed = Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration());
                if (observed && updated == replicas && orZero(d.getStatus().getAvailableReplicas()) == replicas) {
                    throw new AssertionError("the rollout finished before the server could be killed in the middle of it");
                }
                return observed && updated >= 2 && updated < replicas;
            });
            server.kill();
            step("killed the server mid-rollout");
            server.start();
            step("server restarted");

            assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=110s").ok().out())
                    .contains("successfully rolled out");
            step("rollout status finished");
            ReplicaSet newest = replicaSetWithImage(client, "web", "localhost:5000/web:2");
            String newHash = newest.getMetadata().getLabels().get("pod-template-hash");
            await("only the " + replicas + " pods of the new template to remain, with the old ReplicaSet at 0", () -> {
                List<Pod> pods = pods(client, "web");
                return pods.size() == replicas
                        && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && newHash.equals(p.getMetadata().getLabels().get("pod-template-hash")))
                        && replicaSets(client, "web").stream().filter(rs -> !isNamed(rs, newest))
                        .allMatch(rs -> rs.getSpec().getReplicas() == 0 && rs.getStatus() != null
                                && orZero(rs.getStatus().getReplicas()) == 0);
            });
            Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
            assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
            assertThat(replicaSets(client, "web")).as("one ReplicaSet per template, none made twice").hasSize(2);
            assertThat(client.apps().replicaSets().inNamespace(NS).withName(newest.getMetadata().getName()).get()
                    .getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            List<String> finalPods = names(pods(client, "web"));
            await("the watch to catch up after the restart", () -> created.closedBy() != null
                    || created.names(newHash).containsAll(finalPods));
            assertThat(created.closedBy()).as("the pod watch ended").isNull();
            step("the pod watch was listed again " + created.relists() + " time(s) after the restart");
            assertThat(created.names(newHash)).as("every pod of the new template ever created")
                    .containsExactlyInAnyOrderElementsOf(finalPods);
        }
    }

    @Test
    void withTwoServersOnOneEtcdOnlyTheLeaderActsAndAfterItsKillTheOtherTakesOverWithoutDuplicatePods() throws Exception {
        try (EtcdProcess etcd = new EtcdProcess(tmp.resolve("etcd"));
             ServerProcess one = new ServerProcess(tmp.resolve("one"), etcdStore(etcd)).launch();
             ServerProcess two = new ServerProcess(tmp.resolve("two"), etcdStore(etcd)).launch()) {
            one.awaitReady();
            two.awaitReady();
            step("both servers up");
            ServerProcess leader = awaitLeaderOf("kedge-controllers", one, two);
            ServerProcess follower = leader == one ? two : one;
            String leaderId = leader.awaitLog(CONTROLLERS_LEADING, PATIENCE);
            follower.awaitLog(Pattern.compile("kedge-controllers: the leader is (" + Pattern.quote(leaderId) + ")"), PATIENCE);
            ServerProcess schedulerLeader = awaitLeaderOf("kedge-scheduler", one, two);
            step("the controllers leader is " + leader.dataDir().getFileName()
                    + ", the scheduler leader is " + schedulerLeader.dataDir().getFileName());

            // everything talks to the follower, which stays up; the objects live in etcd
            try (KubernetesClient client = Fabric8ClientTest.client(follower);
                 HollowNodes nodes = hollowNodes(client, HollowNodes.Spec.of("hollow", 3));
                 PodCreations created = PodCreations.watch(follower, "app")) {
                Lease before = lease(client, "kedge-controllers");
                assertThat(before.getSpec().getHolderIdentity()).isEqualTo(leaderId);

                // only the leader acts: each pod appears once, and the follower never started its controllers
                client.apps().replicaSets().inNamespace(NS).resource(replicaSet("steady", 4)).create();
                awaitRunning(client, "steady", 4);
                assertThat(created.names("steady")).hasSize(4);
                assertThat(follower.logSinceStart()).doesNotContainPattern(CONTROLLERS_LEADING);
                Lease stillLeader = lease(client, "kedge-controllers");
                assertThat(stillLeader.getSpec().getHolderIdentity()).isEqualTo(leaderId);
                assertThat(stillLeader.getSpec().getLeaseTransitions()).isEqualTo(before.getSpec().getLeaseTransitions());

                // a ReplicaSet created around the failover: the leader is killed as soon as its first pod exists
                int replicas = 12;
                client.apps().replicaSets().inNamespace(NS).resource(replicaSet("around", replicas)).create();
                await("the leader to create the first pod of 'around'", () -> !created.names("around").isEmpty());
                leader.kill();
                step("killed the leader with %d of %d pods of 'around' created".formatted(created.names("around").size(), replicas));

                await("the controllers lease to pass from the killed leader", () ->
                        !leaderId.equals(lease(client, "kedge-controllers").getSpec().getHolderIdentity()));
                String newLeaderId = follower.awaitLog(CONTROLLERS_LEADING, PATIENCE);
                assertThat(newLeaderId).isNotEqualTo(leaderId);
                assertThat(lease(client, "kedge-controllers").getSpec().getHolderIdentity()).isEqualTo(newLeaderId);
                await("the scheduler lease to be the survivor's", () ->
                        newLeaderId.equals(lease(client, "kedge-scheduler").getSpec().getHolderIdentity()));
                step("the survivor holds both leases");

                awaitRunning(client, "around", replicas);
                step("'around' converged");
                Cli kubectl = new Cli("kubectl-1.35", follower.kubeconfig());
                kubectl.run("create", "deployment", "after", "--image=localhost:5000/web:1", "--replicas=2").ok();
                kubectl.run("rollout", "status", "deployment/after", "--timeout=110s").ok();
                kubectl.run("scale", "deployment/after", "--replicas=4").ok();
                kubectl.run("rollout", "status", "deployment/after", "--timeout=110s").ok();
                assertThat(kubectl.run("get", "deploy", "after", "-o", "jsonpath={.status.availableReplicas}").ok().out())
                        .isEqualTo("4");
                step("deployment 'after' created and scaled");

                assertThat(created.names("around")).as("every pod of 'around' ever created, seen by a watch from before the failover")
                        .hasSize(replicas)
                        .containsExactlyInAnyOrderElementsOf(names(pods(client, "around")));
                assertThat(created.names("steady")).as("the new leader left the existing pods alone")
                        .hasSize(4).containsExactlyInAnyOrderElementsOf(names(pods(client, "steady")));
                assertThat(created.closedBy()).as("the watch ran throughout").isNull();
            }
        }
    }

    /** The one server whose log says it leads {@code lease}; fails if both say so. */
    private static ServerProcess awaitLeaderOf(String lease, ServerProcess a, ServerProcess b) throws Exception {
        Pattern leading = Pattern.compile(Pattern.quote(lease) + ": \\S+ is the leader; starting");
        ServerProcess[] found = new ServerProcess[1];
        await("one server to lead " + lease, () -> {
            boolean aLeads = leading.matcher(a.logSinceStart()).find();
            boolean bLeads = leading.matcher(b.logSinceStart()).find();
            assertThat(aLeads && bLeads).as("both servers started the controllers of " + lease).isFalse();
            found[0] = aLeads ? a : bLeads ? b : null;
            return found[0] != null;
        });
        return found[0];
    }

    /**
     * Records the name of every pod seen in the namespace, by the value of one label. The watch starts
     * from a LIST; when the server answers 410 Gone (a restarted server need not keep old versions, and
     * upstream does not), it lists and watches again. A killed server writes nothing, and the watch is
     * back within seconds of the restart (reconnect interval 200 ms, backing off to 6.4 s), so only a pod
     * created and deleted again in those seconds could go unseen.
     */
    private static final class PodCreations implements Watcher<Pod>, AutoCloseable {
        private final KubernetesClient client;
        private final String label;
        private final Map<String, Set<String>> byLabel = new ConcurrentHashMap<>();
        private volatile WatcherException closedBy;
        private volatile boolean closed;
        private volatile int relists;
        private Watch watch;

        private PodCreations(KubernetesClient client, String label) {
            this.client = client;
            this.label = label;
        }

        static PodCreations watch(ServerProcess server, String label) throws Exception {
            Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
            config.setWatchReconnectInterval(200);
            PodCreations c = new PodCreations(new KubernetesClientBuilder().withConfig(config).build(), label);
            c.listAndWatch();
            return c;
        }

        private synchronized void listAndWatch() {
            PodList list = client.pods().inNamespace(NS).list();
            list.getItems().forEach(this::record);
            watch = client.pods().inNamespace(NS).withResourceVersion(list.getMetadata().getResourceVersion()).watch(this);
        }

        Set<String> names(String labelValue) {
            return Set.copyOf(byLabel.getOrDefault(labelValue, Set.of()));
        }

        /** Why the watch ended for good, or null while it runs. */
        WatcherException closedBy() {
            return closedBy;
        }

        int relists() {
            return relists;
        }

        private void record(Pod pod) {
            String value = pod.getMetadata().getLabels() == null ? "" : pod.getMetadata().getLabels().getOrDefault(label, "");
            byLabel.computeIfAbsent(value, k -> ConcurrentHashMap.newKeySet()).add(pod.getMetadata().getName());
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
                record(pod);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            if (closed) {
                return;
            }
            if (cause.isHttpGone()) {
                relists++;
                try {
                    listAndWatch();
                    return;
                } catch (RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
            closedBy = cause;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (watch != null) {
                watch.close();
            }
            client.close();
        }
    }

    /**
     * HollowNodes.start reads each Node and then writes its status without retrying, so a controller that
     * writes the new Node in between (node IPAM's podCIDR) makes it fail with 409; registering is idempotent.
     */
    private static HollowNodes hollowNodes(KubernetesClient client, HollowNodes.Spec spec) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new HollowNodes(client, spec).start();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static List<String> etcdStore(EtcdProcess etcd) {
        return List.of("--store", "etcd", "--etcd-servers", etcd.url());
    }

    private static ReplicaSet replicaSet(String app, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(app).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage("localhost:5000/" + app + ":1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static void awaitRunning(KubernetesClient client, String app, int replicas) throws Exception {
        await(replicas + " running pods of '" + app + "'", () -> {
            List<Pod> pods = pods(client, app);
            return pods.size() == replicas && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                    && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        });
    }

    private static List<Pod> pods(KubernetesClient client, String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toList());
    }

    private static List<ReplicaSet> replicaSets(KubernetesClient client, String app) {
        return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private static ReplicaSet replicaSetWithImage(KubernetesClient client, String app, String image) {
        return replicaSets(client, app).stream()
                .filter(rs -> image.equals(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()))
                .findFirst().orElseThrow(() -> new AssertionError("no ReplicaSet of '" + app + "' runs " + image));
    }

    private static boolean isNamed(ReplicaSet rs, ReplicaSet other) {
        return rs.getMetadata().getName().equals(other.getMetadata().getName());
    }

    private static Lease lease(KubernetesClient client, String name) {
        Lease l = client.leases().inNamespace("kube-system").withName(name).get();
        if (l == null) {
            throw new AssertionError("no Lease kube-system/" + name);
        }
        return l;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** Polls until {@code condition} holds; failures to reach a restarting server count as "not yet". */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException notYet) {
                last = notYet;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + PATIENCE + " waiting for " + what
                + (last == null ? "" : "; last error: " + last), last);
    }
}
