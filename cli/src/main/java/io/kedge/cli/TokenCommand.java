package io.kedge.cli;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.pki.CaCertHash;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kedge token create}, run on the server: a bootstrap token (a {@code kube-system/bootstrap-token-ID}
 * Secret that expires) and the {@code kedge agent} command that joins a node with it.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create a bootstrap token for joining edge nodes, and print the join command.")
final class TokenCommand implements Callable<Integer> {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    @Parameters(index = "0", paramLabel = "create", description = "The action; only create is supported.")
    String action;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "The server's data directory (its admin.kubeconfig is used to store the token).")
    Path dataDir;

    @Option(names = "--ttl", defaultValue = "24h", paramLabel = "DURATION",
            description = "How long the token may be used to join (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--unit", defaultValue = "default", paramLabel = "UNIT",
            description = "The edge unit the printed command joins the node to (default: ${DEFAULT-VALUE}).")
    String unit;

    @Option(names = "--server", paramLabel = "URL",
            description = "The server URL nodes reach; default: the admin kubeconfig's.")
    String server;

    @Override
    public Integer call() throws Exception {
        if (!"create".equals(action)) {
            System.err.println("kedge token: unknown action \"" + action + "\"; try: kedge token create --data-dir DIR");
            return 2;
        }
        Path admin = dataDir.resolve("admin.kubeconfig");
        if (!Files.isReadable(admin)) {
            System.err.println("no " + admin + ": is " + dataDir + " a kedge server's --data-dir, started at least once?");
            return 2;
        }
        Duration lifetime = Durations.parse(ttl, "--ttl");
        Kubeconfig kubeconfig = Kubeconfig.read(admin);
        SecureRandom random = new SecureRandom();
        String id = random(random, 6);
        String secret = random(random, 16);
        Instant expires = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(admin))).build()) {
            client.secrets().inNamespace("kube-system").resource(new SecretBuilder()
                    .withNewMetadata().withName("bootstrap-token-" + id).withNamespace("kube-system").endMetadata()
                    .withType("bootstrap.kubernetes.io/token")
                    .addToStringData("token-id", id).addToStringData("token-secret", secret)
                    .addToStringData("expiration", expires.toString())
                    .addToStringData("usage-bootstrap-authentication", "true")
                    .addToStringData("description", "kedge join token for unit " + unit)
                    .build()).create();
        }
        String hash = CaCertHash.of(kubeconfig.certificateAuthority().orElseThrow(() ->
                new IllegalStateException(admin + " names no certificate authority"))).toString();
        String url = server != null ? server : kubeconfig.server();
        System.out.println(id + "." + secret);
        System.err.println("token expires at " + expires + "; join a node with:");
        System.err.println("  kedge agent --server " + url + " --unit " + unit + " --token " + id + "." + secret
                + " --ca-cert-hash " + hash + " --node-name NAME --data-dir /var/lib/kedge/agent");
        return 0;
    }

    private static String random(SecureRandom random, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
