package io.kedge.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.time.Clock;
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
     * @param edgeAutonomy how long a cut-off edge node keeps its pods when neither it nor its unit
     *                     says; zero for no limit
     */
    public record Options(String clusterCidr, int nodeCidrPrefix, Duration nodeMonitorGracePeriod,
                          Duration podEvictionTimeout, int terminatedPodThreshold, Duration edgeAutonomy) {
        public Options(String clusterCidr, int nodeCidrPrefix, Duration nodeMonitorGracePeriod,
                       Duration podEvictionTimeout, int terminatedPodThreshold) {
            this(clusterCidr, nodeCidrPrefix, nodeMonitorGracePeriod, podEvictionTimeout, terminatedPodThreshold, Duration.ZERO);
        }

        public static Options defaults() {
            return new Options("10.42.0.0/16", 24, Duration.ofSeconds(40), Duration.ofSeconds(300), 12_500);
        }
    }
}
