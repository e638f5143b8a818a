package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.testing.ComponentClients;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Controllers built and started the way the ControllerManager does it, without the leader election. */
final class RunningControllers implements AutoCloseable {
    private final SharedInformerFactory informers;
    private final List<Controller> controllers;

    private RunningControllers(SharedInformerFactory informers, List<Controller> controllers) {
        this.informers = informers;
        this.controllers = controllers;
    }

    @SafeVarargs
    static RunningControllers start(KubernetesClient client, ControllerContext.Options options,
                                    Function<ControllerContext, Controller>... factories) throws Exception {
        KubernetesClient asControllers = ComponentClients.controllers(client);
        SharedInformerFactory informers = asControllers.informers();
        ControllerContext ctx = new ControllerContext(asControllers, informers,
                new EventRecorder(asControllers, "kedge-controllers", Clock.systemUTC()), Clock.systemUTC(), options);
        List<Controller> controllers = new ArrayList<>();
        for (Function<ControllerContext, Controller> f : factories) {
            controllers.add(f.apply(ctx));
        }
        informers.startAllRegisteredInformers().get(60, TimeUnit.SECONDS);
        controllers.forEach(Controller::start);
        return new RunningControllers(informers, controllers);
    }

    @Override
    public void close() {
        controllers.forEach(Controller::close);
        informers.stopAllRegisteredInformers();
    }
}
