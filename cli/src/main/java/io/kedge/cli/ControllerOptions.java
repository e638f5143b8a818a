package io.kedge.cli;

import io.kedge.controllers.framework.ControllerContext;
import io.kedge.pki.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The controller flags, shared by {@code kedge server} and {@code kedge controllers}. */
final class ControllerOptions {
    @Option(names = "--cluster-cidr", defaultValue = "10.42.0.0/16", paramLabel = "CIDR",
            description = "The range pod IPs come from; each node gets a /24 of it (default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--node-monitor-grace-period", defaultValue = "40s", paramLabel = "DURATION",
            description = "How long a node's Lease may go unrenewed before the node is marked Unknown (default: ${DEFAULT-VALUE}).")
    String nodeMonitorGracePeriod;

    @Option(names = "--terminated-pod-gc-threshold", defaultValue = "12500", paramLabel = "N",
            description = "How many terminated pods may exist before the oldest are deleted (default: ${DEFAULT-VALUE}).")
    int terminatedPodThreshold;

    @Option(names = "--edge-autonomy", defaultValue = "0", paramLabel = "DURATION",
            description = "How long an edge node cut off from the cloud keeps its pods bound and ready when neither its "
                    + "kedge.io/autonomy-duration annotation nor its unit's spec.autonomy says; 0 means no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    String edgeAutonomy;

    @Option(names = "--cluster-signing-dir", paramLabel = "DIR",
            description = "A directory with the cluster CA (ca.crt, ca.key) that signs approved CertificateSigningRequests; "
                    + "`kedge server` uses its own by default, `kedge controllers` signs nothing without it.")
    Path clusterSigningDir;

    @Option(names = "--cluster-signing-duration", defaultValue = "8760h", paramLabel = "DURATION",
            description = "The longest a certificate signed for a CSR is valid; at least 3m (default: ${DEFAULT-VALUE}).")
    String clusterSigningDuration;

    /** @param ownCa the CA directory to sign with when --cluster-signing-dir is not given; null for none */
    ControllerContext.Options toOptions(Path ownCa) throws IOException {
        ControllerContext.Options options = new ControllerContext.Options(clusterCidr, 24,
                Durations.parse(nodeMonitorGracePeriod, "--node-monitor-grace-period"), java.time.Duration.ofSeconds(300),
                terminatedPodThreshold)
                .withEdgeAutonomy(edgeAutonomy.equals("0") ? java.time.Duration.ZERO : Durations.parse(edgeAutonomy, "--edge-autonomy"));
        Path signing = clusterSigningDir != null ? clusterSigningDir : ownCa;
        if (signing == null) {
            return options;
        }
        return options.withClusterSigning(new ControllerContext.ClusterSigning(CertificateAuthority.load(signing),
                signingDuration(clusterSigningDuration)));
    }

    static java.time.Duration signingDuration(String text) {
        java.time.Duration d = Durations.parse(text, "--cluster-signing-duration");
        java.time.Duration min = ControllerContext.ClusterSigning.MIN_DURATION;
        if (d.compareTo(min) < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    "--cluster-signing-duration must be at least " + min.toMinutes() + "m, got \"" + text + "\": certificates "
                            + "are backdated 5 minutes and renewed at 70% of their lifetime, so a shorter one would be due "
                            + "for renewal as soon as it is signed");
        }
        return d;
    }
}
