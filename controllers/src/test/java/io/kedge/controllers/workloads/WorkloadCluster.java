package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** A kedge server with two hollow nodes and the workload controllers running against it, for this package's tests. */
final class WorkloadCluster implements AutoCloseable {
    static final String NODE = "hollow-0";
    /** A node name no hollow node answers for: pods bound to it stay Pending for ever. */
    static final String NOWHERE = "no-such-node";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    final TestServer server;
    final KubernetesClient client;
    private final HollowNodes nodes;
    private final SharedInformerFactory informers;
    private final List<Controller> controllers = new ArrayList<>();

    private WorkloadCluster(TestServer server, KubernetesClient client, HollowNodes nodes, SharedInformerFactory informers) {
        this.server = server;
        this.client = client;
        this.nodes = nodes;
        this.informers = informers;
    }

    @SafeVarargs
    static WorkloadCluster start(Function<ControllerContext, Controller>... factories) throws Exception {
        TestServer server = TestServer.start();
        KubernetesClient client = server.client();
        HollowNodes nodes = new HollowNodes(client, HollowNodes.Spec.of("hollow", 2)).start();
        KubernetesClient asControllers = ComponentClients.controllers(client);
        SharedInformerFactory informers = asControllers.informers();
        WorkloadCluster cluster = new WorkloadCluster(server, client, nodes, informers);
        ControllerContext ctx = new ControllerContext(asControllers, informers,
                new EventRecorder(asControllers, "kedge-controllers", Clock.systemUTC()), Clock.systemUTC(),
                ControllerContext.Options.defaults());
        for (Function<ControllerContext, Controller> f : factories) {
            cluster.controllers.add(f.apply(ctx));
        }
        informers.startAllRegisteredInformers().get();
        cluster.controllers.forEach(Controller::start);
        return cluster;
    }

    Path kubeconfig() {
        return server.dataDir().resolve("admin.kubeconfig");
    }

    String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    static PodTemplateSpec template(Map<String, String> labels, String image, String nodeName) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(nodeName).addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .build();
    }

    List<Pod> pods(String ns) {
        return client.pods().inNamespace(ns).list().getItems();
    }

    /** One line per pod: name, phase, ready, controller, deleting; for failure messages. */
    String describePods(String ns) {
        StringBuilder b = new StringBuilder();
        for (Pod p : pods(ns)) {
            OwnerReference ref = OwnerRefs.controllerOf(p);
            b.append('\n').append(p.getMetadata().getName()).append(' ').append(Pods.phase(p))
                    .append(Pods.isReady(p) ? " ready" : " not-ready").append(" owner=").append(ref == null ? "-" : ref.getName())
                    .append(p.getMetadata().getDeletionTimestamp() == null ? "" : " deleting");
        }
        return b.toString();
    }

    /** Retries a write that lost a race with a controller's write (409 Conflict). */
    static <T> T retryOnConflict(Supplier<T> write) {
        for (int attempt = 0; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    List<ReplicaSet> replicaSets(String ns) {
        return client.apps().replicaSets().inNamespace(ns).list().getItems();
    }

    List<Event> events(String ns, String reason, String involvedName) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && involvedName.equals(e.getInvolvedObject().getName())).toList();
    }

    /** Polls until the condition holds; fails with the state {@code describe} gives once the timeout has passed. */
    static void await(String what, BooleanSupplier condition, Supplier<Object> describe) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet (e.g. not created): look again
            }
            if (Instant.now().isAfter(deadline)) {
                fail("timed out waiting for " + what + "; state: " + describe.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        controllers.forEach(Controller::close);
        informers.stopAllRegisteredInformers();
        nodes.close();
        client.close();
        server.close();
    }
}
