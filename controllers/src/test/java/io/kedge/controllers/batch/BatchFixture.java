package io.kedge.controllers.batch;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real server, one hollow node, informers for pods, Jobs and CronJobs, and a running Job
 * controller: started once for all of this package's test classes (a server start is the slow part)
 * and closed when the test JVM exits. Each test works in a namespace of its own.
 */
final class BatchFixture {
    static final String NODE = "hollow-0";
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static BatchFixture shared;

    final TestServer server;
    final KubernetesClient client;
    final HollowNodes nodes;
    final SharedInformerFactory informers;
    private final List<Controller> controllers = new ArrayList<>();
    private Controller jobController;

    static synchronized BatchFixture shared() throws Exception {
        if (shared == null) {
            BatchFixture fx = new BatchFixture();
            Runtime.getRuntime().addShutdownHook(new Thread(fx::close, "batch-fixture-close"));
            shared = fx;
        }
        return shared;
    }

    private BatchFixture() throws Exception {
        server = TestServer.start();
        client = server.client();
        nodes = new HollowNodes(client, HollowNodes.Spec.of("hollow", 1)).start();
        informers = ComponentClients.controllers(client).informers();
        ControllerContext ctx = context(Clock.systemUTC(), "job-controller");
        // every informer the batch controllers use exists before the factory starts, so that a controller
        // added later (the CronJob controller of one test class) finds them running
        Informers.shared(ctx, CronJob.class);
        jobController = newJobController();
        controllers.add(jobController);
        informers.startAllRegisteredInformers().get(60, TimeUnit.SECONDS);
        jobController.start();
    }

    ControllerContext context(Clock clock, String component) {
        KubernetesClient asControllers = ComponentClients.controllers(client);
        return new ControllerContext(asControllers, informers, new EventRecorder(asControllers, component, clock), clock,
                ControllerContext.Options.defaults());
    }

    /** A Job controller remembering nothing, with a short failure back-off so that a failing Job reaches its limit within a test. */
    void startJobController() {
        jobController = startController(newJobController());
    }

    private Controller newJobController() {
        return JobController.create(context(Clock.systemUTC(), "job-controller"),
                new JobSettings(Duration.ofMillis(200), Duration.ofSeconds(1), 4));
    }

    /** Stops the Job controller; {@link #startJobController} then plays a restart. */
    void stopJobController() {
        jobController.close();
        controllers.remove(jobController);
    }

    /** Starts a controller on the shared informers, which deliver their current objects to its handlers. */
    Controller startController(Controller c) {
        controllers.add(c);
        c.start();
        return c;
    }

    String namespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /** A pod template bound to the hollow node; with an exit code its pods end Succeeded (0) or Failed, without one they run on. */
    static PodTemplateSpec podTemplate(String exitCode) {
        PodTemplateSpecBuilder b = new PodTemplateSpecBuilder().withNewMetadata().endMetadata();
        if (exitCode != null) {
            b.editMetadata().addToAnnotations(HollowNodes.EXIT_CODE_ANNOTATION, exitCode).endMetadata();
        }
        return b.withNewSpec().withNodeName(NODE).withRestartPolicy("Never")
                .addNewContainer().withName("work").withImage("busybox:1.36").withCommand("true").endContainer()
                .endSpec().build();
    }

    List<Pod> podsOf(String namespace, Job job) {
        return client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> JobPods.controlledBy(p, job.getMetadata().getUid())).toList();
    }

    List<String> eventReasons(String namespace, String involvedName) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
    }

    /**
     * Polls until {@code value} gives a non-null result, or fails after {@link #PATIENCE}. A probe that
     * throws (e.g. on a status the controller has not written yet) counts as "not yet".
     */
    static <T> T await(String what, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T v;
            try {
                v = value.get();
            } catch (NullPointerException notYet) {
                v = null;
            }
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private void close() {
        controllers.forEach(Controller::close);
        informers.stopAllRegisteredInformers();
        nodes.close();
        client.close();
        server.close();
    }
}
