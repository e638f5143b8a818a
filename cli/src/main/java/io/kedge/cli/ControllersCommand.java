package io.kedge.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.controllers.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kedge controllers}: the controllers and the scheduler on their own, against any Kubernetes API. */
@Command(name = "controllers", mixinStandardHelpOptions = true,
        description = "Runs the controllers and the scheduler against a Kubernetes API, with leader election.")
final class ControllersCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
            description = "The kubeconfig of the cluster to control; against `kedge server`, its "
                    + "controller-manager.kubeconfig runs the controllers as system:kube-controller-manager.")
    Path kubeconfig;

    @Option(names = "--scheduler-kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig the scheduler uses, e.g. the server's scheduler.kubeconfig "
                    + "(system:kube-scheduler); default: --kubeconfig.")
    Path schedulerKubeconfig;

    @Mixin
    ControllerOptions options;

    @Override
    public Integer call() throws Exception {
        KubernetesClient client = clientFor(kubeconfig);
        KubernetesClient scheduler = schedulerKubeconfig == null ? client : clientFor(schedulerKubeconfig);
        CountDownLatch lost = new CountDownLatch(1);
        try (Runner runner = new Runner(client, scheduler, options.toOptions(null), lost::countDown).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "shutdown"));
            lost.await();
            return 1;
        }
    }

    private static KubernetesClient clientFor(Path kubeconfig) throws java.io.IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }
}
