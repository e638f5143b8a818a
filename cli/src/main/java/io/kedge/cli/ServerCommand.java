package io.kedge.cli;

import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kedge server}: the cloud control plane. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Runs the cloud control plane: the Kubernetes API over HTTPS on an embedded store.")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "Where the server keeps its state: the store (state.db), the CA and certificates (pki/), "
                    + "admin.kubeconfig, and the kubeconfigs the controllers and the scheduler run with "
                    + "(controller-manager.kubeconfig, scheduler.kubeconfig). Created if missing.")
    Path dataDir;

    @Option(names = "--bind-address", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "The address to listen on (default: ${DEFAULT-VALUE}). Use 0.0.0.0 for all interfaces.")
    String bindAddress;

    @Option(names = "--secure-port", defaultValue = "6443", paramLabel = "PORT",
            description = "The HTTPS port (default: ${DEFAULT-VALUE}); 0 picks a free one.")
    int securePort;

    @Option(names = "--advertise-address", paramLabel = "ADDR",
            description = "The address clients and edge nodes use to reach the server; it goes into the serving "
                    + "certificate, admin.kubeconfig and the default/kubernetes endpoints. Defaults to the bind address.")
    String advertiseAddress;

    @Option(names = "--store", defaultValue = "sqlite", paramLabel = "KIND",
            description = "The store backend: sqlite (one file in the data dir, the default) or etcd.")
    String store;

    @Option(names = "--etcd-servers", split = ",", paramLabel = "URL",
            description = "etcd client URLs, comma separated, for --store etcd (e.g. http://127.0.0.1:2379).")
    List<String> etcdServers = List.of();

    @Option(names = "--service-cidr", defaultValue = "10.43.0.0/16", paramLabel = "CIDR",
            description = "The range Service ClusterIPs come from (default: ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Static bearer tokens, one CSV line each: token,user,uid,\"group1,group2\".")
    Path tokenFile;

    @Option(names = "--history", defaultValue = "5m", paramLabel = "DURATION",
            description = "How much change history watches can resume from (default: ${DEFAULT-VALUE}); older ones get 410 Expired.")
    String history;

    @Option(names = "--event-ttl", defaultValue = "1h", paramLabel = "DURATION",
            description = "How long an Event is kept after it last changed (default: ${DEFAULT-VALUE}).")
    String eventTtl;

    @Option(names = "--service-account-extend-token-expiration", arity = "0..1", fallbackValue = "true",
            defaultValue = "true", paramLabel = "BOOL",
            description = "Make a pod's API-access token (asked for 3607 s) valid for a year, still refreshed hourly, so "
                    + "that pods keep reaching the API through a long partition (default: ${DEFAULT-VALUE}).")
    boolean extendTokenExpiration;

    @Option(names = "--api-threads", defaultValue = "32", paramLabel = "N",
            description = "Threads that serve API requests (default: ${DEFAULT-VALUE}).")
    int apiThreads;

    @Option(names = "--request-body-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long a client may take to send a request body before it gets 408 and is disconnected "
                    + "(default: ${DEFAULT-VALUE}).")
    String requestBodyTimeout;

    @Option(names = {"--encryption-config", "--encryption-provider-config"}, paramLabel = "FILE",
            description = "An EncryptionConfiguration (apiserver.config.k8s.io/v1) naming the resources to encrypt in the "
                    + "store, e.g. secrets, with aesgcm keys; the first key seals, every listed key opens (rotation).")
    Path encryptionConfig;

    @Option(names = {"--audit-log", "--audit-log-path"}, paramLabel = "FILE",
            description = "Append one JSON line per request (audit.k8s.io/v1 Event, level Metadata: user, groups, verb, "
                    + "resource, namespace, name, code, time) to FILE.")
    Path auditLog;

    @Option(names = "--disable-controllers",
            description = "Do not run the controllers and the scheduler in this process (run `kedge controllers` instead).")
    boolean disableControllers;

    @picocli.CommandLine.Mixin
    ControllerOptions controllerOptions;

    @Override
    public Integer call() throws Exception {
        if (!store.equals("sqlite") && !store.equals("etcd")) {
            System.err.println("--store must be sqlite or etcd, got " + store);
            return 2;
        }
        if (store.equals("etcd") && etcdServers.isEmpty()) {
            System.err.println("--store etcd needs --etcd-servers URL[,URL...]");
            return 2;
        }
        ServerConfig cfg = new ServerConfig(dataDir.toAbsolutePath(), bindAddress, securePort, advertiseAddress, store,
                etcdServers, serviceCidr, tokenFile, Durations.parse(history, "--history"), apiThreads,
                Durations.parse(requestBodyTimeout, "--request-body-timeout"),
                encryptionConfig == null ? null : encryptionConfig.toAbsolutePath(),
                auditLog == null ? null : auditLog.toAbsolutePath(), Durations.parse(eventTtl, "--event-ttl"),
                extendTokenExpiration);
        KedgeServer server = new KedgeServer(cfg).start();
        io.kedge.controllers.Runner runner = null;
        if (!disableControllers) {
            // each under its own identity, which RBAC grants only what it needs (not the admin's system:masters)
            var controllers = clientFor(server.controllerManagerKubeconfig());
            var scheduler = clientFor(server.schedulerKubeconfig());
            // a process that lost its leader lease exits, so that it starts afresh as a follower
            runner = new io.kedge.controllers.Runner(controllers, scheduler, controllerOptions.toOptions(cfg.dataDir().resolve("pki")), () -> {
                server.close();
                System.exit(1);
            }).start();
        }
        // one hook, in order: the controllers release their leases while the API still serves them
        io.kedge.controllers.Runner started = runner;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (started != null) {
                started.close();
            }
            server.close();
        }, "shutdown"));
        server.awaitTermination();
        return 0;
    }

    private static io.fabric8.kubernetes.client.KubernetesClient clientFor(Path kubeconfig) throws java.io.IOException {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(java.nio.file.Files.readString(kubeconfig))).build();
    }
}
