package io.kedge.kubelet.node;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the node presents itself and how often it reports.
 *
 * @param nodeIp               the InternalIP address; null picks the host's first IPv4
 * @param cniConfDir           where the CNI config for the node's pod CIDR is written
 * @param podManifestDir       static pod manifests, or null for none
 * @param statusCheckInterval  how often the status is recomputed and written if it changed (upstream: 10 s)
 * @param statusReportInterval the longest time between two status writes (upstream: 5 min)
 */
public record NodeSettings(String nodeName, String unit, String nodeIp, Path dataDir, Path cniConfDir, Path podManifestDir,
                           Duration statusCheckInterval, Duration statusReportInterval) {
    public static final String KUBELET_VERSION = "v1.35.0-kedge";
    public static final int KUBELET_PORT = 10250;

    public NodeSettings {
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("the node needs a name");
        }
        if (unit == null || unit.isEmpty()) {
            throw new IllegalArgumentException("the node needs a unit");
        }
    }

    /** The upstream cadence: status checked every 10 s and written at least every 5 minutes (the hub renews the Lease). */
    public static NodeSettings of(String nodeName, String unit, String nodeIp, Path dataDir, Path cniConfDir, Path podManifestDir) {
        return new NodeSettings(nodeName, unit, nodeIp, dataDir, cniConfDir, podManifestDir,
                Duration.ofSeconds(10), Duration.ofMinutes(5));
    }
}
