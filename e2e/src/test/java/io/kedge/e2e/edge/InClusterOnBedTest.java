package io.kedge.e2e.edge;

import static io.kedge.e2e.edge.Readiness.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.e2e.Await;
import io.kedge.e2e.Cli;
import io.kedge.e2e.testbed.TestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod on an edge node reads the API as in-cluster clients do, with kubectl 1.35 at the
 * address the kubelet gives it ({@code KUBERNETES_SERVICE_HOST:PORT}) and its projected token:
 * the node's hub answers there, with the cloud and, for what the pod read before, without it.
 *
 * <p>kubectl checks the hub's certificate against the pod's {@code ca.crt}: the node's serving
 * certificate, signed by the cluster CA for the Service's ClusterIP. Commands reach the pod
 * through a hostPath directory, since kubectl exec needs the uplink the test cuts. From inside, the
 * pod execs into another pod of its node and forwards one of its ports: the hub relays the upgraded
 * connections to the cloud.
 */
class InClusterOnBedTest {
    private static final String NS = "incluster-e2e";
    private static final String NODE = "east-1";
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final String KUBECTL = "HOME=/tmp /tools/kubectl-1.35 --server \"https://$KUBERNETES_SERVICE_HOST:"
            + "$KUBERNETES_SERVICE_PORT\" --token \"$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)\" "
            + "--certificate-authority /var/run/secrets/kubernetes.io/serviceaccount/ca.crt --request-timeout=60s -n " + NS + " ";

    private static TestBed bed;
    private static KubernetesClient client;
    private static Cli kubectl;
    private static Path work;
    private static int scripts;

    @BeforeAll
    static void startCluster() throws Exception {
        TestBed.assumeRunnable();
        work = TestBed.root().resolve("e2e/target/incluster-bed-work");
        if (Files.isDirectory(work)) {
            try (var old = Files.walk(work)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        bed = TestBed.upCluster(TestBed.root().resolve("e2e/target/incluster-bed"), "east:1");
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(bed.kubeconfig()))).build();
        kubectl = new Cli("kubectl-1.35", bed.kubeconfig());
        Await.until(NODE + " Ready", WAIT, () -> ready(client.nodes().withName(NODE).get()));
        kubectl.run("create", "namespace", NS).ok();
        Await.until("the default service account", WAIT, () -> client.serviceAccounts().inNamespace(NS).withName("default").get() != null);
        kubectl.run("-n", NS, "create", "configmap", "settings", "--from-literal=mode=edge").ok();
        kubectl.run("-n", NS, "create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=" + NS + ":default").ok();
        kubectl.run("-n", NS, "create", "role", "exec", "--verb=create,get", "--resource=pods/exec,pods/portforward").ok();
        kubectl.run("-n", NS, "create", "rolebinding", "default-exec", "--role=exec", "--serviceaccount=" + NS + ":default").ok();
        kubectl.runWithInput(clientPod(), "apply", "-f", "-").ok();
        kubectl.runWithInput(targetPod(), "apply", "-f", "-").ok();
        for (String pod : new String[] {"incluster", "target"}) {
            Await.until("pod " + pod + " running", WAIT, () -> {
                Pod p = client.pods().inNamespace(NS).withName(pod).get();
                return p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
            });
        }
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

    @Test
    void aPodReadsAConfigMapInClusterBeforeAndDuringAnUplinkCut() throws Exception {
        String clusterIp = client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
        String env = inPod("echo $KUBERNETES_SERVICE_HOST $KUBERNETES_SERVICE_PORT $KUBERNETES_SERVICE_PORT_HTTPS $KUBERNETES_PORT");
        assertThat(env.strip()).isEqualTo(clusterIp + " 443 443 tcp://" + clusterIp + ":443");

        String online = Await.until("the configmap read in-cluster", WAIT, () -> {
            String out = inPod(KUBECTL + "get configmap settings -o jsonpath='{.data.mode}'");
            return out.strip().equals("edge") ? out : null;
        });
        assertThat(online.strip()).isEqualTo("edge");
        assertThat(inPod(KUBECTL + "auth whoami -o jsonpath='{.status.userInfo.username}'").strip())
                .as("the cloud sees the pod's service account").isEqualTo("system:serviceaccount:" + NS + ":default");

        bed.cut("east");
        try {
            String offline = Await.until("the configmap read in-cluster while the uplink is cut", WAIT, () -> {
                String out = inPod(KUBECTL + "get configmap settings -o jsonpath='{.data.mode}'");
                return out.strip().equals("edge") ? out : null;
            });
            assertThat(offline.strip()).isEqualTo("edge");
            assertThat(inPod(KUBECTL + "get configmaps -l app=never-listed -o name"))
                    .as("a read the cloud never answered the account is not made up offline")
                    .contains("Forbidden").contains("not one of them");
            assertThat(inPod(KUBECTL + "create configmap offline --from-literal=a=b"))
                    .contains("cloud is unreachable since");
            assertThat(inPod(KUBECTL + "exec target -- echo never"))
                    .as("exec needs the cloud").contains("cloud is unreachable since").doesNotContain("never");
        } finally {
            bed.restore("east");
        }
    }

    @Test
    void aPodExecsIntoAnotherPodOfItsNodeThroughTheHub() throws Exception {
        String out = Await.until("kubectl exec from the pod", WAIT, () -> {
            String o = inPod(KUBECTL + "exec target -- sh -c 'echo exec-through-the-hub from $(cat /www/mark)'");
            return o.contains("exec-through-the-hub") ? o : null;
        });
        assertThat(out.strip()).isEqualTo("exec-through-the-hub from target");
        assertThat(inPod("echo piped-in | " + KUBECTL + "exec -i target -- tr a-z A-Z").strip())
                .as("stdin reaches the other pod and its output comes back").isEqualTo("PIPED-IN");
        assertThat(inPod(KUBECTL + "exec target -- sh -c 'exit 3'; echo exit=$?"))
                .as("the command's exit code comes back through the relayed stream").contains("exit=3");
    }

    @Test
    void aPodForwardsAPortOfAnotherPodOfItsNodeThroughTheHub() throws Exception {
        String out = Await.until("a page through kubectl port-forward from the pod", WAIT, () -> {
            String o = inPod(KUBECTL + "port-forward pod/target 18080:8080 > /tmp/forward.log 2>&1 & forward=$!; "
                    + "for i in $(seq 1 100); do grep -q 'Forwarding from' /tmp/forward.log && break; sleep 0.1; done; "
                    + "echo page=$(wget -q -O - http://127.0.0.1:18080/mark); kill $forward; cat /tmp/forward.log");
            return o.contains("page=target") ? o : null;
        });
        assertThat(out).contains("Forwarding from 127.0.0.1:18080 -> 8080");
    }

    private static String targetPod() {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: target, namespace: NS}
                spec:
                  nodeName: NODE
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: IMAGE
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'mkdir -p /www && echo target > /www/mark && exec httpd -f -p 8080 -h /www']
                """.replace("NS", NS).replace("NODE", NODE).replace("IMAGE", bed.busyboxImage());
    }

    private static String clientPod() throws Exception {
        Path tools = Cli.tool("kubectl-1.35").toRealPath().getParent();
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: incluster, namespace: NS}
                spec:
                  nodeName: NODE
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: client
                    image: IMAGE
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'while true; do for s in /x/*.sh; do [ -e "$s" ] || continue; r=${s%.sh}; sh "$s" > "$r.tmp" 2>&1; mv "$r.tmp" "$r.out"; rm -f "$s"; done; sleep 0.2; done']
                    volumeMounts: [{name: x, mountPath: /x}, {name: tools, mountPath: /tools, readOnly: true}]
                  volumes:
                  - {name: x, hostPath: {path: DIR, type: DirectoryOrCreate}}
                  - {name: tools, hostPath: {path: TOOLS, type: Directory}}
                """.replace("NS", NS).replace("NODE", NODE).replace("IMAGE", bed.busyboxImage())
                .replace("DIR", work.toString()).replace("TOOLS", tools.toString());
    }

    /** Runs a shell script in the pod, without kubectl exec, and returns its output. */
    private static String inPod(String script) throws Exception {
        String name = "s" + (++scripts);
        Path tmp = work.resolve(name + ".new");
        Files.writeString(tmp, script + "\n");
        Files.move(tmp, work.resolve(name + ".sh"));
        Path out = work.resolve(name + ".out");
        Await.until("the output of `" + script + "` in the pod", WAIT, () -> Files.exists(out));
        return Files.readString(out);
    }

}
