package io.kedge.kubelet.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.AttachRequest;
import io.kedge.kubelet.cri.v1.Container;
import io.kedge.kubelet.cri.v1.ContainerState;
import io.kedge.kubelet.cri.v1.ContainerStatsFilter;
import io.kedge.kubelet.cri.v1.ExecRequest;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.cri.v1.PodSandboxState;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kubelet API's view of the node's containers, found in the runtime by the labels the pod
 * workers give every sandbox and container.
 */
public final class CriNodeContainers implements NodeContainers {
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";

    private final CriRuntime runtime;
    private final NodeStats nodeStats;
    private final Supplier<String> moreMetrics;

    /** @param moreMetrics other parts of the agent's metrics (the hub's), appended to the kubelet's */
    public CriNodeContainers(CriRuntime runtime, NodeStats nodeStats, Supplier<String> moreMetrics) {
        this.runtime = runtime;
        this.nodeStats = nodeStats;
        this.moreMetrics = moreMetrics;
    }

    @Override
    public String metrics() throws KubeletApiException {
        long readySandboxes = call(() -> runtime.listPodSandboxes(Map.of()).stream()
                .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY).count());
        Map<ContainerState, Long> byState = call(() -> runtime.listContainers(Map.of()).stream()
                .collect(java.util.stream.Collectors.groupingBy(Container::getState, java.util.stream.Collectors.counting())));
        StringBuilder out = new StringBuilder();
        out.append("# HELP kubelet_running_pods Pods with a ready sandbox on this node.\n# TYPE kubelet_running_pods gauge\n")
                .append("kubelet_running_pods ").append(readySandboxes).append('\n');
        out.append("# HELP kubelet_running_containers Containers on this node by state.\n# TYPE kubelet_running_containers gauge\n");
        for (ContainerState state : List.of(ContainerState.CONTAINER_CREATED, ContainerState.CONTAINER_RUNNING,
                ContainerState.CONTAINER_EXITED, ContainerState.CONTAINER_UNKNOWN)) {
            out.append("kubelet_running_containers{container_state=\"")
                    .append(state.name().substring("CONTAINER_".length()).toLowerCase(java.util.Locale.ROOT)).append("\"} ")
                    .append(byState.getOrDefault(state, 0L)).append('\n');
        }
        Runtime jvm = Runtime.getRuntime();
        out.append("# HELP kedge_agent_heap_used_bytes The agent JVM's heap in use.\n# TYPE kedge_agent_heap_used_bytes gauge\n")
                .append("kedge_agent_heap_used_bytes ").append(jvm.totalMemory() - jvm.freeMemory()).append('\n');
        out.append(moreMetrics.get());
        return out.toString();
    }

    @Override
    public ContainerLog log(String namespace, String pod, String container, boolean previous) throws KubeletApiException {
        List<Container> instances = instances(namespace, pod, container);
        Container chosen;
        if (previous) {
            chosen = instances.stream().skip(1).filter(c -> c.getState() == ContainerState.CONTAINER_EXITED).findFirst()
                    .orElseThrow(() -> KubeletApiException.badRequest(
                            "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"));
        } else {
            chosen = instances.get(0);
        }
        String id = chosen.getId();
        String logPath = call(() -> runtime.containerStatus(id)).map(s -> s.getLogPath()).orElse("");
        if (logPath.isEmpty()) {
            throw KubeletApiException.notFound("container \"" + container + "\" in pod \"" + pod + "\" has no log");
        }
        return new ContainerLog(Path.of(logPath), () -> isRunning(id));
    }

    @Override
    public URI exec(String namespace, String pod, String container, List<String> command, StreamOptions streams)
            throws KubeletApiException {
        String id = running(namespace, pod, container).getId();
        ExecRequest request = ExecRequest.newBuilder().setContainerId(id).addAllCmd(command).setTty(streams.tty())
                .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr() && !streams.tty()).build();
        return URI.create(call(() -> runtime.exec(request)));
    }

    @Override
    public URI attach(String namespace, String pod, String container, StreamOptions streams) throws KubeletApiException {
        String id = running(namespace, pod, container).getId();
        AttachRequest request = AttachRequest.newBuilder().setContainerId(id).setTty(streams.tty())
                .setStdin(streams.stdin()).setStdout(streams.stdout()).setStderr(streams.stderr() && !streams.tty()).build();
        return URI.create(call(() -> runtime.attach(request)));
    }

    @Override
    public URI portForward(String namespace, String pod, List<Integer> ports) throws KubeletApiException {
        PodSandbox sandbox = call(() -> runtime.listPodSandboxes(Map.of(POD_NAMESPACE, namespace, POD_NAME, pod))).stream()
                .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                .max(Comparator.comparingLong(PodSandbox::getCreatedAt))
                .orElseThrow(() -> KubeletApiException.notFound("pod \"" + pod + "\" in namespace \"" + namespace
                        + "\" has no running sandbox on this node"));
        // ports travel in the stream headers of a port-forward session, not in this request
        return URI.create(call(() -> runtime.portForward(sandbox.getId(), ports)));
    }

    @Override
    public JsonNode statsSummary() throws KubeletApiException {
        return nodeStats.summary(call(() -> runtime.listContainerStats(ContainerStatsFilter.getDefaultInstance())));
    }

    private Container running(String namespace, String pod, String container) throws KubeletApiException {
        Container newest = instances(namespace, pod, container).get(0);
        if (newest.getState() != ContainerState.CONTAINER_RUNNING) {
            throw KubeletApiException.badRequest("container \"" + container + "\" in pod \"" + pod + "\" is not running");
        }
        return newest;
    }

    /** The container's instances on this node, newest first. */
    private List<Container> instances(String namespace, String pod, String container) throws KubeletApiException {
        List<Container> found = call(() -> runtime.listContainers(
                Map.of(POD_NAMESPACE, namespace, POD_NAME, pod, CONTAINER_NAME, container)));
        if (found.isEmpty()) {
            throw KubeletApiException.notFound("container \"" + container + "\" in pod \"" + pod + "\" in namespace \""
                    + namespace + "\" is not on this node, or has not started yet");
        }
        return found.stream().sorted(Comparator.comparingLong(Container::getCreatedAt).reversed()).toList();
    }

    private boolean isRunning(String id) {
        try {
            return runtime.containerStatus(id).map(s -> s.getState() == ContainerState.CONTAINER_RUNNING).orElse(false);
        } catch (CriException e) {
            // unknown means keep following: the runtime may be restarting
            return true;
        }
    }

    private interface RuntimeCall<T> {
        T get();
    }

    private static <T> T call(RuntimeCall<T> call) throws KubeletApiException {
        try {
            return call.get();
        } catch (CriException e) {
            throw KubeletApiException.unavailable("the container runtime failed: " + e.getMessage());
        }
    }
}
