package io.kedge.kubelet.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;

/**
 * What the kubelet API needs from the container runtime: where a container's log is, and the
 * runtime's streaming URLs for exec, attach and port-forward, which the API proxies to.
 */
public interface NodeContainers {
    /** The log of the named container; {@code previous} asks for its last terminated instance. */
    ContainerLog log(String namespace, String pod, String container, boolean previous) throws KubeletApiException;

    URI exec(String namespace, String pod, String container, List<String> command, StreamOptions streams)
            throws KubeletApiException;

    URI attach(String namespace, String pod, String container, StreamOptions streams) throws KubeletApiException;

    URI portForward(String namespace, String pod, List<Integer> ports) throws KubeletApiException;

    /** The body of {@code /stats/summary}: node and pod usage, in the kubelet's Summary shape. */
    JsonNode statsSummary() throws KubeletApiException;

    /** The body of {@code /metrics}: the agent's own metrics in the Prometheus text format. */
    String metrics() throws KubeletApiException;
}
