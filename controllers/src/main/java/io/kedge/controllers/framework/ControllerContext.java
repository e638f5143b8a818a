package io.kedge.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.time.Clock;
import io.kedge.pki.CertificateAuthority;
import java.time.Duration;

/**
 * What every controller is built from: the client, the shared informers (one per resource for all
 * controllers), an event recorder, a clock, and the options the command line set.
 */
public record ControllerContext(KubernetesClient client, SharedInformerFactory informers, EventRecorder events,
                                Clock clock, Options options) {

    /**
     * Flags of {@code kedge controllers} / {@code kedge server} that controllers read.
     *
     * @param edgeAutonomy   how long a cut-off edge node keeps its pods when neither it nor its unit
     *                       says; zero for no limit
     * @param clusterSigning the CA that signs approved CSRs, or null to leave CSRs unsigned
     */
    public record Options(String clusterCidr, int nodeCidrPrefix, Duration nodeMonitorGracePeriod,
                          Duration podEvictionTimeout, int terminatedPodThreshold, Duration edgeAutonomy,
                          ClusterSigning clusterSigning) {
        public Options(String clusterCidr, int nodeCidrPrefix, Duration nodeMonitorGracePeriod,
                       Duration podEvictionTimeout, int terminatedPodThreshold) {
            this(clusterCidr, nodeCidrPrefix, nodeMonitorGracePeriod, podEvictionTimeout, terminatedPodThreshold, Duration.ZERO, null);
        }

        public static Options defaults() {
            return new Options("10.42.0.0/16", 24, Duration.ofSeconds(40), Duration.ofSeconds(300), 12_500);
        }

        public Options withEdgeAutonomy(Duration d) {
            return new Options(clusterCidr, nodeCidrPrefix, nodeMonitorGracePeriod, podEvictionTimeout, terminatedPodThreshold, d,
                    clusterSigning);
        }

        public Options withClusterSigning(ClusterSigning signing) {
            return new Options(clusterCidr, nodeCidrPrefix, nodeMonitorGracePeriod, podEvictionTimeout, terminatedPodThreshold,
                    edgeAutonomy, signing);
        }
    }

    /** The cluster CA and the longest certificate it signs for a CSR. */
    public record ClusterSigning(CertificateAuthority ca, Duration maxDuration) {
        /**
         * Certificates are backdated 5 minutes and renewed at 70% of their lifetime: one signed for
         * less than this would be due for renewal as soon as it is signed, and nodes would renew in a loop.
         */
        public static final Duration MIN_DURATION = Duration.ofMinutes(3);

        public ClusterSigning {
            if (ca == null) {
                throw new IllegalArgumentException("cluster signing needs a CA");
            }
            if (maxDuration == null || maxDuration.compareTo(MIN_DURATION) < 0) {
                throw new IllegalArgumentException("cluster signing needs a duration of at least " + MIN_DURATION.toMinutes()
                        + " minutes, got " + maxDuration);
            }
        }
    }
}
