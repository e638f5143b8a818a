package io.kedge.kubelet.cri;

import io.kedge.kubelet.RuntimeHealth;
import io.kedge.kubelet.cri.v1.AttachRequest;
import io.kedge.kubelet.cri.v1.AuthConfig;
import io.kedge.kubelet.cri.v1.Container;
import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.ContainerFilter;
import io.kedge.kubelet.cri.v1.ContainerStats;
import io.kedge.kubelet.cri.v1.ContainerStatsFilter;
import io.kedge.kubelet.cri.v1.ContainerStatsRequest;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.cri.v1.ContainerStatusRequest;
import io.kedge.kubelet.cri.v1.CreateContainerRequest;
import io.kedge.kubelet.cri.v1.ExecRequest;
import io.kedge.kubelet.cri.v1.ExecSyncRequest;
import io.kedge.kubelet.cri.v1.ExecSyncResponse;
import io.kedge.kubelet.cri.v1.Image;
import io.kedge.kubelet.cri.v1.ImageFsInfoRequest;
import io.kedge.kubelet.cri.v1.ImageFsInfoResponse;
import io.kedge.kubelet.cri.v1.ImageServiceGrpc;
import io.kedge.kubelet.cri.v1.ImageSpec;
import io.kedge.kubelet.cri.v1.ImageStatusRequest;
import io.kedge.kubelet.cri.v1.ImageStatusResponse;
import io.kedge.kubelet.cri.v1.ListContainerStatsRequest;
import io.kedge.kubelet.cri.v1.ListContainersRequest;
import io.kedge.kubelet.cri.v1.ListImagesRequest;
import io.kedge.kubelet.cri.v1.ListPodSandboxRequest;
import io.kedge.kubelet.cri.v1.ListPodSandboxStatsRequest;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.cri.v1.PodSandboxFilter;
import io.kedge.kubelet.cri.v1.PodSandboxStats;
import io.kedge.kubelet.cri.v1.PodSandboxStatsFilter;
import io.kedge.kubelet.cri.v1.PodSandboxStatus;
import io.kedge.kubelet.cri.v1.PodSandboxStatusRequest;
import io.kedge.kubelet.cri.v1.PortForwardRequest;
import io.kedge.kubelet.cri.v1.PullImageRequest;
import io.kedge.kubelet.cri.v1.RemoveContainerRequest;
import io.kedge.kubelet.cri.v1.RemoveImageRequest;
import io.kedge.kubelet.cri.v1.RemovePodSandboxRequest;
import io.kedge.kubelet.cri.v1.ReopenContainerLogRequest;
import io.kedge.kubelet.cri.v1.RunPodSandboxRequest;
import io.kedge.kubelet.cri.v1.RuntimeCondition;
import io.kedge.kubelet.cri.v1.RuntimeServiceGrpc;
import io.kedge.kubelet.cri.v1.StartContainerRequest;
import io.kedge.kubelet.cri.v1.StatusRequest;
import io.kedge.kubelet.cri.v1.StatusResponse;
import io.kedge.kubelet.cri.v1.StopContainerRequest;
import io.kedge.kubelet.cri.v1.StopPodSandboxRequest;
import io.kedge.kubelet.cri.v1.VersionRequest;
import io.kedge.kubelet.cri.v1.VersionResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The container runtime (containerd) as the kubelet sees it: CRI v1 over a unix socket. Every call
 * has a deadline. A runtime that is down gives {@link CriUnavailableException} naming the socket;
 * calls succeed again once it is back, on the same instance.
 */
public final class CriRuntime implements RuntimeHealth, AutoCloseable {
    /** The CRI API version kedge speaks. */
    public static final String API_VERSION = "v1";
    /** Upstream kubelet's default for --runtime-request-timeout. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);

    private final CriChannel channel;
    private final Duration callTimeout;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    private CriRuntime(CriChannel channel, Duration callTimeout) {
        this.channel = channel;
        this.callTimeout = callTimeout;
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel.channel());
        this.images = ImageServiceGrpc.newBlockingStub(channel.channel());
    }

    /** Opens a channel to the runtime's socket; nothing is sent until the first call, so the runtime may still be down. */
    public static CriRuntime connect(Path socket) {
        return connect(socket, DEFAULT_CALL_TIMEOUT);
    }

    public static CriRuntime connect(Path socket, Duration callTimeout) {
        Objects.requireNonNull(socket, "CRI socket path");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("CRI call timeout must be positive, got " + callTimeout);
        }
        return new CriRuntime(CriChannel.open(socket.toAbsolutePath()), callTimeout);
    }

    public Path socket() {
        return channel.socket();
    }

    // ---- runtime

    public VersionResponse version() {
        return channel.call("Version", runtime, callTimeout,
                s -> s.version(VersionRequest.newBuilder().setVersion(API_VERSION).build()));
    }

    public StatusResponse status() {
        return channel.call("Status", runtime, callTimeout, s -> s.status(StatusRequest.getDefaultInstance()));
    }

    /** Creates and starts a sandbox and returns its ID. */
    public String runPodSandbox(PodSandboxConfig config) {
        return channel.call("RunPodSandbox", runtime, callTimeout,
                s -> s.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())).getPodSandboxId();
    }

    /** Stops the sandbox and every container in it; stopping a stopped or missing sandbox is not an error. */
    public void stopPodSandbox(String sandboxId) {
        channel.call("StopPodSandbox", runtime, callTimeout,
                s -> s.stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    public void removePodSandbox(String sandboxId) {
        channel.call("RemovePodSandbox", runtime, callTimeout,
                s -> s.removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    /** The sandbox's status, or empty when the runtime does not know the ID. */
    public Optional<PodSandboxStatus> podSandboxStatus(String sandboxId) {
        try {
            return Optional.of(channel.call("PodSandboxStatus", runtime, callTimeout,
                    s -> s.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()))
                    .getStatus());
        } catch (CriException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Sandboxes whose labels include all of {@code labels}; an empty map lists all. */
    public List<PodSandbox> listPodSandboxes(Map<String, String> labels) {
        PodSandboxFilter filter = PodSandboxFilter.newBuilder().putAllLabelSelector(labels).build();
        return channel.call("ListPodSandbox", runtime, callTimeout,
                s -> s.listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build())).getItemsList();
    }

    /** Creates a container in a running sandbox and returns its ID. */
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return channel.call("CreateContainer", runtime, callTimeout, s -> s.createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandboxConfig).build())).getContainerId();
    }

    public void startContainer(String containerId) {
        channel.call("StartContainer", runtime, callTimeout,
                s -> s.startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    /** Signals the container to stop, and kills it after {@code gracePeriodSeconds}; returns once it has exited. */
    public void stopContainer(String containerId, long gracePeriodSeconds) {
        long grace = Math.max(0, gracePeriodSeconds);
        channel.call("StopContainer", runtime, callTimeout.plusSeconds(grace),
                s -> s.stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(grace).build()));
    }

    public void removeContainer(String containerId) {
        channel.call("RemoveContainer", runtime, callTimeout,
                s -> s.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    public List<Container> listContainers(ContainerFilter filter) {
        return channel.call("ListContainers", runtime, callTimeout,
                s -> s.listContainers(ListContainersRequest.newBuilder().setFilter(filter).build())).getContainersList();
    }

    /** Containers whose labels include all of {@code labels}. */
    public List<Container> listContainers(Map<String, String> labels) {
        return listContainers(ContainerFilter.newBuilder().putAllLabelSelector(labels).build());
    }

    /** The container's status, or empty when the runtime does not know the ID. */
    public Optional<ContainerStatus> containerStatus(String containerId) {
        try {
            return Optional.of(channel.call("ContainerStatus", runtime, callTimeout,
                    s -> s.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(containerId).build()))
                    .getStatus());
        } catch (CriException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a command in a running container and waits for it, killing it after {@code timeout}. */
    public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("exec in container " + containerId + " needs a command");
        }
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return channel.call("ExecSync", runtime, callTimeout.plusSeconds(seconds), s -> s.execSync(ExecSyncRequest.newBuilder()
                .setContainerId(containerId).addAllCmd(command).setTimeout(seconds).build()));
    }

    /** The URL of the runtime's streaming server for this exec. */
    public String exec(ExecRequest request) {
        return channel.call("Exec", runtime, callTimeout, s -> s.exec(request)).getUrl();
    }

    public String attach(AttachRequest request) {
        return channel.call("Attach", runtime, callTimeout, s -> s.attach(request)).getUrl();
    }

    public String portForward(String sandboxId, List<Integer> ports) {
        return channel.call("PortForward", runtime, callTimeout, s -> s.portForward(PortForwardRequest.newBuilder()
                .setPodSandboxId(sandboxId).addAllPort(ports).build())).getUrl();
    }

    public ContainerStats containerStats(String containerId) {
        return channel.call("ContainerStats", runtime, callTimeout,
                s -> s.containerStats(ContainerStatsRequest.newBuilder().setContainerId(containerId).build())).getStats();
    }

    public List<ContainerStats> listContainerStats(ContainerStatsFilter filter) {
        return channel.call("ListContainerStats", runtime, callTimeout,
                s -> s.listContainerStats(ListContainerStatsRequest.newBuilder().setFilter(filter).build())).getStatsList();
    }

    public List<PodSandboxStats> listPodSandboxStats(PodSandboxStatsFilter filter) {
        return channel.call("ListPodSandboxStats", runtime, callTimeout,
                s -> s.listPodSandboxStats(ListPodSandboxStatsRequest.newBuilder().setFilter(filter).build())).getStatsList();
    }

    public void reopenContainerLog(String containerId) {
        channel.call("ReopenContainerLog", runtime, callTimeout,
                s -> s.reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
    }

    // ---- images

    /** The image as the node has it, or empty when it is not on the node. */
    public Optional<Image> imageStatus(String image) {
        ImageStatusResponse response = channel.call("ImageStatus", images, callTimeout, s -> s.imageStatus(
                ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
        return response.hasImage() ? Optional.of(response.getImage()) : Optional.empty();
    }

    /**
     * Pulls an image and returns the runtime's reference to it (an image ID or digest).
     *
     * @param auth registry credentials, or null for an anonymous pull
     * @param sandboxConfig the sandbox the image is for, or null
     */
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image));
        if (auth != null) {
            request.setAuth(auth);
        }
        if (sandboxConfig != null) {
            request.setSandboxConfig(sandboxConfig);
        }
        return channel.call("PullImage", images, PULL_TIMEOUT, s -> s.pullImage(request.build())).getImageRef();
    }

    public void removeImage(String image) {
        channel.call("RemoveImage", images, callTimeout,
                s -> s.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
    }

    public List<Image> listImages() {
        return channel.call("ListImages", images, callTimeout, s -> s.listImages(ListImagesRequest.getDefaultInstance()))
                .getImagesList();
    }

    public ImageFsInfoResponse imageFsInfo() {
        return channel.call("ImageFsInfo", images, callTimeout, s -> s.imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
    }

    // ---- node status

    @Override
    public Optional<String> runtimeVersion() {
        try {
            VersionResponse v = channel.call("Version", runtime, HEALTH_TIMEOUT,
                    s -> s.version(VersionRequest.newBuilder().setVersion(API_VERSION).build()));
            return Optional.of(v.getRuntimeName() + "://" + v.getRuntimeVersion());
        } catch (CriException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> problem() {
        StatusResponse status;
        try {
            status = channel.call("Status", runtime, HEALTH_TIMEOUT, s -> s.status(StatusRequest.getDefaultInstance()));
        } catch (CriException e) {
            return Optional.of("container runtime is down: " + e.getMessage());
        }
        for (String required : List.of("RuntimeReady", "NetworkReady")) {
            Optional<RuntimeCondition> condition = status.getStatus().getConditionsList().stream()
                    .filter(c -> c.getType().equals(required)).findFirst();
            if (condition.isEmpty()) {
                return Optional.of("container runtime on " + socket() + " does not report " + required);
            }
            if (!condition.get().getStatus()) {
                RuntimeCondition c = condition.get();
                String what = required.equals("NetworkReady") ? "container runtime network not ready" : "container runtime not ready";
                return Optional.of(what + ": " + required + "=false reason:" + c.getReason() + " message:" + c.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        channel.close();
    }
}
