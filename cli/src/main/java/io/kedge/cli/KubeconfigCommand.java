package io.kedge.cli;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Mints a kubeconfig with a client certificate from the server's CA, on the server's machine:
 * for a node's agent ({@code --node}), or for a user and groups. Token bootstrap (EdgeHub)
 * replaces this for nodes joining from afar.
 */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
        description = "Write a kubeconfig with a client certificate issued by the server's CA.")
final class KubeconfigCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "The server's data directory (its CA is in DIR/pki).")
    Path dataDir;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The API server URL to write.")
    String server;

    @Option(names = "--node", paramLabel = "NAME",
            description = "A node's credentials: user system:node:NAME in group system:nodes.")
    String node;

    @Option(names = "--user", paramLabel = "NAME", description = "A user's name (the certificate's CN).")
    String user;

    @Option(names = "--group", paramLabel = "GROUP", description = "A group of the user; repeatable.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--valid-for", defaultValue = "8760h", paramLabel = "DURATION",
            description = "How long the certificate is valid (default: ${DEFAULT-VALUE}).")
    String validFor;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the kubeconfig.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((node == null) == (user == null)) {
            System.err.println("give exactly one of --node NAME or --user NAME");
            return 2;
        }
        Path pki = dataDir.resolve("pki");
        if (!Files.exists(pki.resolve(CertificateAuthority.CERT_FILE))) {
            System.err.println("no CA in " + pki + ": is " + dataDir + " a kedge server's --data-dir, started at least once?");
            return 2;
        }
        Duration validity = Durations.parse(validFor, "--valid-for");
        CertificateAuthority ca = CertificateAuthority.load(pki);
        IssuedCertificate client = node != null
                ? ca.issueClient("system:node:" + node, List.of("system:nodes"), validity)
                : ca.issueClient(user, groups, validity);
        Kubeconfig.withClientCertificate(server, ca.certificate(), client).write(out);
        System.out.println("wrote " + out + " for " + (node != null ? "system:node:" + node : user));
        return 0;
    }
}
