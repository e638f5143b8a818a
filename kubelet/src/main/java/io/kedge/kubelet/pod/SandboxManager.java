package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.Int64Value;
import io.kedge.kubelet.cri.v1.LinuxPodSandboxConfig;
import io.kedge.kubelet.cri.v1.LinuxSandboxSecurityContext;
import io.kedge.kubelet.cri.v1.NamespaceMode;
import io.kedge.kubelet.cri.v1.NamespaceOption;
import io.kedge.kubelet.cri.v1.PodSandbox;
import io.kedge.kubelet.cri.v1.PodSandboxConfig;
import io.kedge.kubelet.cri.v1.PodSandboxMetadata;
import io.kedge.kubelet.cri.v1.PodSandboxStatus;
import io.kedge.kubelet.cri.v1.PortMapping;
import io.kedge.kubelet.cri.v1.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A pod's sandbox (its network namespace, hostname, DNS and port mappings) as a CRI PodSandboxConfig, and its life. */
final class SandboxManager {
    private static final int MAX_HOSTNAME = 63;

    private final CriRuntime cri;
    private final PodDirs dirs;
    private final PodDns dns;

    SandboxManager(CriRuntime cri, PodDirs dirs, PodDns dns) {
        this.cri = cri;
        this.dirs = dirs;
        this.dns = dns;
    }

    /** The sandbox config of the pod; the same pod and attempt always give the same config. */
    PodSandboxConfig config(Pod pod, int attempt) {
        String uid = pod.getMetadata().getUid();
        PodSandboxConfig.Builder c = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder()
                        .setName(pod.getMetadata().getName())
                        .setNamespace(pod.getMetadata().getNamespace())
                        .setUid(uid)
                        .setAttempt(attempt))
                .setLogDirectory(dirs.logDirectory(uid).toString())
                .setDnsConfig(dns.forPod(pod))
                .addAllPortMappings(portMappings(pod))
                .putAllLabels(podLabels(pod))
                .setLinux(linux(pod));
        if (!hostNetwork(pod)) {
            c.setHostname(hostname(pod));
        }
        if (pod.getMetadata().getAnnotations() != null) {
            c.putAllAnnotations(pod.getMetadata().getAnnotations());
        }
        return c.build();
    }

    /** The config of a sandbox the runtime already runs for this pod. */
    PodSandboxConfig config(Pod pod, PodSandbox existing) {
        return config(pod, existing.getMetadata().getAttempt());
    }

    /** Runs a new sandbox for the pod, one attempt after {@code previous}, and returns its ID. */
    String run(Pod pod, Optional<PodSandbox> previous) {
        int attempt = previous.map(s -> s.getMetadata().getAttempt() + 1).orElse(0);
        try {
            Files.createDirectories(dirs.logDirectory(pod.getMetadata().getUid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the log directory of pod " + pod.getMetadata().getUid(), e);
        }
        return cri.runPodSandbox(config(pod, attempt));
    }

    Optional<PodSandboxStatus> status(String sandboxId) {
        return cri.podSandboxStatus(sandboxId);
    }

    /** Stops every sandbox of the pod, which also stops its containers and releases its IP. */
    void stopAll(RuntimePod rp) {
        for (PodSandbox s : rp.sandboxes()) {
            cri.stopPodSandbox(s.getId());
        }
    }

    void removeAll(RuntimePod rp) {
        for (PodSandbox s : rp.sandboxes()) {
            cri.stopPodSandbox(s.getId());
            cri.removePodSandbox(s.getId());
        }
    }

    /** The pod's IPs from its sandbox, the primary first. */
    static List<String> podIps(PodSandboxStatus status) {
        List<String> ips = new ArrayList<>();
        if (status.hasNetwork() && !status.getNetwork().getIp().isEmpty()) {
            ips.add(status.getNetwork().getIp());
            status.getNetwork().getAdditionalIpsList().forEach(ip -> ips.add(ip.getIp()));
        }
        return ips;
    }

    static boolean hostNetwork(Pod pod) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }

    static Map<String, String> podLabels(Pod pod) {
        Map<String, String> labels = new HashMap<>();
        if (pod.getMetadata().getLabels() != null) {
            labels.putAll(pod.getMetadata().getLabels());
        }
        labels.put(RuntimeLabels.POD_NAME, pod.getMetadata().getName());
        labels.put(RuntimeLabels.POD_NAMESPACE, pod.getMetadata().getNamespace());
        labels.put(RuntimeLabels.POD_UID, pod.getMetadata().getUid());
        return labels;
    }

    static String hostname(Pod pod) {
        String name = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
                ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        if (name.length() > MAX_HOSTNAME) {
            name = name.substring(0, MAX_HOSTNAME);
        }
        // a hostname may not end in '-' or '.', which truncation can leave
        return name.replaceAll("[-.]+$", "");
    }

    /** The namespaces every container of the pod shares, or not, with the pod and the node. */
    static NamespaceOption namespaces(Pod pod) {
        NamespaceMode pid = Boolean.TRUE.equals(pod.getSpec().getHostPID()) ? NamespaceMode.NODE
                : Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER;
        return NamespaceOption.newBuilder()
                .setNetwork(hostNetwork(pod) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(pid)
                .setIpc(Boolean.TRUE.equals(pod.getSpec().getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
    }

    private static LinuxPodSandboxConfig linux(Pod pod) {
        LinuxSandboxSecurityContext.Builder sc = LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(namespaces(pod))
                .setPrivileged(anyPrivileged(pod));
        LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder();
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        if (psc != null) {
            if (psc.getRunAsUser() != null) {
                sc.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
            }
            if (psc.getRunAsGroup() != null) {
                sc.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
            }
            if (psc.getSupplementalGroups() != null) {
                sc.addAllSupplementalGroups(psc.getSupplementalGroups());
            }
            if (psc.getFsGroup() != null) {
                sc.addSupplementalGroups(psc.getFsGroup());
            }
            if (psc.getSysctls() != null) {
                for (Sysctl s : psc.getSysctls()) {
                    linux.putSysctls(s.getName(), s.getValue());
                }
            }
        }
        return linux.setSecurityContext(sc).build();
    }

    private static boolean anyPrivileged(Pod pod) {
        return PodSpecs.allContainers(pod).stream().anyMatch(c -> c.getSecurityContext() != null
                && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()));
    }

    private static List<PortMapping> portMappings(Pod pod) {
        List<PortMapping> out = new ArrayList<>();
        for (Container c : PodSpecs.allContainers(pod)) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                // a port without hostPort is reachable on the pod IP anyway; only published ports are mapped
                if (p.getHostPort() == null || p.getHostPort() <= 0 || p.getContainerPort() == null) {
                    continue;
                }
                PortMapping.Builder m = PortMapping.newBuilder()
                        .setContainerPort(p.getContainerPort())
                        .setHostPort(p.getHostPort())
                        .setProtocol(protocol(p.getProtocol()));
                if (p.getHostIP() != null) {
                    m.setHostIp(p.getHostIP());
                }
                out.add(m.build());
            }
        }
        return out;
    }

    private static Protocol protocol(String p) {
        if (p == null) {
            return Protocol.TCP;
        }
        return switch (p) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
    }
}
