package io.kedge.e2e.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.e2e.Await;
import io.kedge.e2e.Cli;
import io.kedge.e2e.testbed.TestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edge nodes for real: the server in the bed's {@code cloud} namespace, one {@code kedge agent}
 * per node in its own namespace with its own containerd, and pods as runc containers. What a pod
 * saw inside is read back from its termination message or its readiness, since the kubelet API is
 * reached from the cloud only once EdgeTunnel exists.
 */
class EdgeNodeScenarioTest {
    private static final String NS = "edge-e2e";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static TestBed bed;
    private static KubernetesClient client;
    private static Cli kubectl;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/edge-bed"), "east:2");
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        kubectl = new Cli("kubectl-1.35", bed.kubeconfig());
        Await.until("both edge nodes Ready", WAIT, () -> bed.nodes().stream().allMatch(EdgeNodeScenarioTest::nodeReady));
        kubectl.run("create", "namespace", NS).ok();
        Await.until("the default service account", WAIT, () ->
                client.serviceAccounts().inNamespace(NS).withName("default").get() != null);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (bed != null) {
            bed.close();
            assertThat(bed.remnants()).as("the bed leaves nothing behind").isEmpty();
        }
    }

    private static boolean nodeReady(String name) {
        var node = client.nodes().withName(name).get();
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static String image() {
        return bed.busyboxImage();
    }

    private static PodBuilder pod(String name, String node, String... command) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(5L)
                .addNewContainer().withName("main").withImage(image()).withImagePullPolicy("IfNotPresent")
                .withCommand(command).endContainer()
                .endSpec();
    }

    private static Pod create(Pod pod) {
        return client.pods().inNamespace(NS).resource(pod).create();
    }

    private static Pod await(String name, String what, Predicate<Pod> condition) throws InterruptedException {
        return Await.until("pod " + name + " to get " + what, WAIT, () -> {
            Pod pod = client.pods().inNamespace(NS).withName(name).get();
            if (pod == null || !condition.test(pod)) {
                throw new AssertionError("last seen: " + (pod == null ? "gone" : pod.getStatus()));
            }
            return pod;
        });
    }

    private static Optional<ContainerStatus> container(Pod pod, String name) {
        return Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()
                .filter(c -> c.getName().equals(name)).findFirst();
    }

    private static boolean running(Pod pod) {
        return "Running".equals(pod.getStatus().getPhase());
    }

    private static boolean ready(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The termination message of the main container's last run (what its command wrote there). */
    private static String terminationMessage(String name) throws InterruptedException {
        Pod done = await(name, "a terminated container", p -> container(p, "main")
                .map(c -> c.getState() != null && c.getState().getTerminated() != null).orElse(false));
        return Optional.ofNullable(container(done, "main").orElseThrow().getState().getTerminated().getMessage()).orElse("");
    }

    @Test
    void anHttpdDeploymentServesItsPageToAnotherPodOnTheSameNode() throws Exception {
        String node = bed.nodes().get(0);
        kubectl.run("-n", NS, "create", "deployment", "web", "--image=" + image(), "--replicas=1", "--port=8080",
                "--", "sh", "-c", "mkdir -p /www && echo hello-from-edge > /www/index.html && exec httpd -f -p 8080 -h /www").ok();
        // Ready only through an httpGet probe the agent sends to the pod's IP
        kubectl.run("-n", NS, "patch", "deployment", "web", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":\"" + node + "\"},"
                        + "\"containers\":[{\"name\":\"busybox\",\"readinessProbe\":{\"httpGet\":{\"path\":\"/index.html\","
                        + "\"port\":8080},\"periodSeconds\":2}}]}}}}").ok();
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=180s").ok().out())
                .contains("successfully rolled out");
        Pod web = client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(EdgeNodeScenarioTest::ready).findFirst().orElseThrow();
        assertThat(web.getSpec().getNodeName()).isEqualTo(node);
        String ip = web.getStatus().getPodIP();
        assertThat(ip).as("the pod has an IP from its node's pod CIDR").isNotBlank();
        assertThat(client.nodes().withName(node).get().getSpec().getPodCIDR()).isNotBlank();
        assertThat(web.getStatus().getContainerStatuses().get(0).getContainerID()).startsWith("containerd://");

        create(pod("fetch", node, "sh", "-c", "wget -q -O /dev/termination-log http://" + ip + ":8080/")
                .editSpec().withRestartPolicy("Never").endSpec().build());
        assertThat(terminationMessage("fetch")).contains("hello-from-edge");
        assertThat(await("fetch", "Succeeded", p -> "Succeeded".equals(p.getStatus().getPhase()))).isNotNull();
    }

    @Test
    void aContainerThatExitsOneGoesToCrashLoopBackOffWithItsExitCodeInLastState() throws Exception {
        create(pod("crash", bed.nodes().get(1), "sh", "-c", "echo dying; exit 1").build());
        Pod crashing = await("crash", "CrashLoopBackOff after restarts", p -> container(p, "main").map(c ->
                c.getRestartCount() >= 2 && c.getState().getWaiting() != null
                        && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason())).orElse(false));
        ContainerStatus status = container(crashing, "main").orElseThrow();
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(status.getState().getWaiting().getMessage()).contains("back-off");
    }

    @Test
    void aMissingImageShowsErrImagePullThenImagePullBackOff() throws Exception {
        Pod pod = pod("noimage", bed.nodes().get(1), "true").build();
        pod.getSpec().getContainers().get(0).setImage(bed.registry() + "/does-not-exist:1");
        create(pod);
        Pod stuck = await("noimage", "an image pull failure", p -> container(p, "main").map(c ->
                c.getState().getWaiting() != null && List.of("ErrImagePull", "ImagePullBackOff")
                        .contains(c.getState().getWaiting().getReason())).orElse(false));
        assertThat(container(stuck, "main").orElseThrow().getState().getWaiting().getMessage()).contains("does-not-exist");
    }

    @Test
    void aBadCommandShowsRunContainerError() throws Exception {
        create(pod("badcmd", bed.nodes().get(1), "/no/such/binary").build());
        Pod failed = await("badcmd", "a start failure", p -> container(p, "main").map(c -> {
            var waiting = c.getState().getWaiting();
            var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
            return (waiting != null && List.of("RunContainerError", "CrashLoopBackOff").contains(waiting.getReason()))
                    && (waiting.getReason().equals("RunContainerError") || (last != null && last.getReason() != null));
        }).orElse(false));
        assertThat(container(failed, "main").orElseThrow().getState().getWaiting().getMessage()).isNotBlank();
    }

    @Test
    void configMapSecretAndEnvAreVisibleInsideAndAChangedConfigMapShowsUpInTheVolume() throws Exception {
        kubectl.run("-n", NS, "create", "configmap", "settings", "--from-literal=mode=v1").ok();
        kubectl.run("-n", NS, "create", "secret", "generic", "creds", "--from-literal=password=s3cret").ok();
        String node = bed.nodes().get(0);
        Pod pod = pod("config", node, "sh", "-c",
                "echo \"env=$MODE secret=$(cat /secret/password) file=$(cat /cfg/mode)\" > /dev/termination-log; sleep 3600")
                .editSpec()
                .editFirstContainer()
                .addNewEnv().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef("mode", "settings", false)
                .endValueFrom().endEnv()
                .addNewVolumeMount().withName("cfg").withMountPath("/cfg").endVolumeMount()
                .addNewVolumeMount().withName("secret").withMountPath("/secret").endVolumeMount()
                // ready only once the volume shows v2: the in-place update is seen from inside
                .withNewReadinessProbe().withNewExec().withCommand("grep", "-q", "v2", "/cfg/mode").endExec()
                .withPeriodSeconds(2).endReadinessProbe()
                .endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("settings").endConfigMap().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("creds").endSecret().endVolume()
                .endSpec().build();
        create(pod);
        Pod started = await("config", "Running", EdgeNodeScenarioTest::running);
        assertThat(ready(started)).as("not ready while the volume says v1").isFalse();
        kubectl.run("-n", NS, "patch", "configmap", "settings", "-p", "{\"data\":{\"mode\":\"v2\"}}").ok();
        await("config", "Ready after the configMap changed", EdgeNodeScenarioTest::ready);
        kubectl.run("-n", NS, "delete", "pod", "config", "--wait=true", "--timeout=60s").ok();
    }

    @Test
    void anEmptyDirIsSharedBetweenTwoContainersAndMemoryLimitsReachTheCgroup() throws Exception {
        Pod pod = pod("shared", bed.nodes().get(0), "sh", "-c", "echo from-writer > /data/note; sleep 3600")
                .editSpec()
                .editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .withNewResources().addToLimits(Map.of("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"),
                        "cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))).endResources()
                .endContainer()
                .addNewContainer().withName("reader").withImage(image())
                .withCommand("sh", "-c", "sleep 3600")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .withNewReadinessProbe().withNewExec().withCommand("grep", "-q", "from-writer", "/data/note").endExec()
                .withPeriodSeconds(2).endReadinessProbe()
                .endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
        create(pod);
        await("shared", "Ready: the reader sees the writer's file", EdgeNodeScenarioTest::ready);

        create(pod("limits", bed.nodes().get(0), "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us "
                        + "/sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max > /dev/termination-log 2>/dev/null; exit 0")
                .editSpec().withRestartPolicy("Never").editFirstContainer()
                .withNewResources().addToLimits(Map.of("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"),
                        "cpu", new io.fabric8.kubernetes.api.model.Quantity("250m"))).endResources()
                .endContainer().endSpec().build());
        String seen = terminationMessage("limits");
        assertThat(seen).as("64Mi memory and 250m cpu, as the container's cgroup shows them")
                .contains(String.valueOf(64L * 1024 * 1024)).contains("25000");
    }

    @Test
    void aFailingLivenessProbeRestartsItsContainer() throws Exception {
        Pod pod = pod("liveness", bed.nodes().get(1), "sh", "-c", "touch /tmp/alive; sleep 5; rm /tmp/alive; sleep 3600")
                .editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewExec().withCommand("test", "-e", "/tmp/alive").endExec()
                .withPeriodSeconds(2).withFailureThreshold(1).endLivenessProbe()
                .endContainer().endSpec().build();
        create(pod);
        Pod restarted = await("liveness", "a restart by the liveness probe", p -> container(p, "main")
                .map(c -> c.getRestartCount() >= 1).orElse(false));
        assertThat(container(restarted, "main").orElseThrow().getLastState().getTerminated()).isNotNull();
    }

    @Test
    void aTcpSocketLivenessProbeOnAClosedPortRestartsItsContainer() throws Exception {
        Pod pod = pod("tcp-liveness", bed.nodes().get(0), "sh", "-c", "sleep 3600")
                .editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewTcpSocket().withNewPort(9999).endTcpSocket()
                .withPeriodSeconds(2).withFailureThreshold(1).endLivenessProbe()
                .endContainer().endSpec().build();
        create(pod);
        Pod restarted = await("tcp-liveness", "a restart by the tcpSocket probe", p -> container(p, "main")
                .map(c -> c.getRestartCount() >= 1).orElse(false));
        assertThat(container(restarted, "main").orElseThrow().getLastState().getTerminated()).isNotNull();
    }

    @Test
    void clusterFirstPodsUseTheNodeDnsWhichForwardsOtherNamesAndDefaultPodsGetTheAgentsResolver() throws Exception {
        create(pod("dns", bed.nodes().get(1), "sh", "-c",
                "cat /etc/resolv.conf > /dev/termination-log; nslookup server.kedge.test >> /dev/termination-log")
                .editSpec().withRestartPolicy("Never").endSpec().build());
        create(pod("dns-default", bed.nodes().get(1), "sh", "-c", "cat /etc/resolv.conf > /dev/termination-log")
                .editSpec().withRestartPolicy("Never").withDnsPolicy("Default").endSpec().build());

        String clusterFirst = terminationMessage("dns");
        assertThat(clusterFirst).as("the node DNS, then the bed's stub behind it for names outside the cluster")
                .contains("nameserver 169.254.20.10").contains("search " + NS + ".svc.cluster.local svc.cluster.local cluster.local")
                .contains("options ndots:5").contains("Address: " + "10.200.0.1");
        assertThat(terminationMessage("dns-default")).as("the bed's resolver, a stub inside the cloud namespace")
                .contains("nameserver 10.200.0.1").doesNotContain("169.254.20.10");
    }

    @Test
    void deletionRunsPreStopAndTheContainerIsGoneBeforeThePodIs() throws Exception {
        String node = bed.nodes().get(0);
        Pod pod = pod("graceful", node, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .editSpec().withTerminationGracePeriodSeconds(20L).editFirstContainer()
                .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount()
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("sh", "-c", "echo prestop-ran > /host/prestop").endExec().endPreStop().endLifecycle()
                .endContainer()
                .addNewVolume().withName("host").withNewHostPath().withPath("/tmp/kedge-e2e-prestop").withType("DirectoryOrCreate")
                .endHostPath().endVolume()
                .endSpec().build();
        create(pod);
        Pod running = await("graceful", "Running", EdgeNodeScenarioTest::running);
        String containerId = container(running, "main").orElseThrow().getContainerID().replace("containerd://", "");
        kubectl.run("-n", NS, "delete", "pod", "graceful", "--wait=true", "--timeout=90s").ok();
        assertThat(bed.nodeExec(node, "cat", "/tmp/kedge-e2e-prestop/prestop").ok().out()).contains("prestop-ran");
        bed.nodeExec(node, "rm", "-rf", "/tmp/kedge-e2e-prestop").ok();
        assertThat(bed.nodeExec(node, "ctr", "-a", bed.containerdSocket(node).toString(), "-n", "k8s.io",
                "containers", "list", "-q").ok().out()).as("the container is gone once the pod is").doesNotContain(containerId);
    }

    @Test
    void anAgentKilledWithSigkillAdoptsItsRunningContainersWhenItComesBack() throws Exception {
        String node = bed.nodes().get(1);
        create(pod("steady", node, "sh", "-c", "sleep 3600").build());
        Pod before = await("steady", "Running", EdgeNodeScenarioTest::running);
        String id = container(before, "main").orElseThrow().getContainerID();
        long agentPid = bed.supervisedPid("agent-" + node);
        new ProcessBuilder("kill", "-9", String.valueOf(agentPid)).start().waitFor();
        Await.until("the supervisor restarts the agent", WAIT, () -> bed.supervisedPid("agent-" + node) != agentPid);
        // a status write from the new agent shows it has synced the pod
        kubectl.run("-n", NS, "annotate", "pod", "steady", "touched=1").ok();
        Thread.sleep(5_000);
        Pod after = await("steady", "Running", EdgeNodeScenarioTest::running);
        ContainerStatus status = container(after, "main").orElseThrow();
        assertThat(status.getContainerID()).as("the same container, adopted").isEqualTo(id);
        assertThat(status.getRestartCount()).isZero();
        assertThat(ready(after)).isTrue();
    }

    @Test
    void aContainerdRestartIsRecoveredFrom() throws Exception {
        String node = bed.nodes().get(1);
        bed.stopContainerd(node);
        Await.until("the node goes NotReady naming the runtime", WAIT, () -> !nodeReady(node));
        bed.startContainerd(node);
        Await.until("the node is Ready again", WAIT, () -> nodeReady(node));
        create(pod("after-restart", node, "sh", "-c", "sleep 3600").build());
        await("after-restart", "Running", EdgeNodeScenarioTest::running);
    }

    @Test
    void kubectlLogsAndExecReachAnEdgePodThroughTheNodesOutboundTunnel() throws Exception {
        create(pod("talker", bed.nodes().get(0), "sh", "-c", "echo line-one; echo line-two; sleep 3600").build());
        await("talker", "Running", EdgeNodeScenarioTest::running);
        Await.until("kubectl logs through the tunnel", WAIT,
                () -> kubectl.run("-n", NS, "logs", "talker").out().contains("line-one\nline-two"));
        assertThat(kubectl.run("-n", NS, "logs", "talker", "--tail=1").ok().out().trim()).isEqualTo("line-two");
        assertThat(kubectl.run("-n", NS, "exec", "talker", "--", "sh", "-c", "echo $((6*7))").ok().out().trim())
                .isEqualTo("42");
    }
}
