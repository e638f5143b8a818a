package io.kedge.cli;

import io.kedge.controllers.framework.ControllerContext;
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

    ControllerContext.Options toOptions() {
        return new ControllerContext.Options(clusterCidr, 24, Durations.parse(nodeMonitorGracePeriod, "--node-monitor-grace-period"),
                java.time.Duration.ofSeconds(300), terminatedPodThreshold,
                edgeAutonomy.equals("0") ? java.time.Duration.ZERO : Durations.parse(edgeAutonomy, "--edge-autonomy"));
    }
}
