package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.cri.v1.Capability;
import io.kedge.kubelet.cri.v1.ContainerConfig;
import io.kedge.kubelet.cri.v1.ContainerMetadata;
import io.kedge.kubelet.cri.v1.ImageSpec;
import io.kedge.kubelet.cri.v1.Int64Value;
import io.kedge.kubelet.cri.v1.KeyValue;
import io.kedge.kubelet.cri.v1.LinuxContainerConfig;
import io.kedge.kubelet.cri.v1.LinuxContainerSecurityContext;
import io.kedge.kubelet.cri.v1.Mount;
import io.kedge.kubelet.cri.v1.MountPropagation;
import io.kedge.kubelet.cri.v1.SecurityProfile;
import io.kedge.kubelet.env.EnvExpansion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A pod's container as a CRI ContainerConfig: command, env, mounts, resources, security, and upstream's labels. */
final class ContainerConfigFactory {
    static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    /** What upstream masks and makes read-only in /proc and /sys for containers that are not privileged. */
    private static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private final long nodeMemoryBytes;

    ContainerConfigFactory(long nodeMemoryBytes) {
        this.nodeMemoryBytes = nodeMemoryBytes;
    }

    /**
     * @param volumes       volume name to host path, from {@link io.kedge.kubelet.PodVolumes#setUp}
     * @param env           the container's resolved environment
     * @param terminationMessageFile the host file mounted at the container's terminationMessagePath
     * @param imageRef      the runtime's reference of the pulled image
     * @param hostsFile     the pod's /etc/hosts from the kubelet; null leaves the runtime's
     */
    ContainerConfig build(Pod pod, Container c, int restartCount, Map<String, Path> volumes, Map<String, String> env,
            Path terminationMessageFile, String imageRef, Path hostsFile) throws ContainerConfigException {
        ContainerConfig.Builder b = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(restartCount))
                .setImage(ImageSpec.newBuilder().setImage(imageRef))
                .setLogPath(c.getName() + "/" + restartCount + ".log")
                .setStdin(Boolean.TRUE.equals(c.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(c.getTty()));
        if (c.getCommand() != null) {
            c.getCommand().forEach(arg -> b.addCommand(EnvExpansion.expand(arg, env::get)));
        }
        if (c.getArgs() != null) {
            c.getArgs().forEach(arg -> b.addArgs(EnvExpansion.expand(arg, env::get)));
        }
        if (c.getWorkingDir() != null) {
            b.setWorkingDir(c.getWorkingDir());
        }
        env.forEach((k, v) -> b.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        b.addAllMounts(mounts(pod, c, volumes, env));
        String messagePath = c.getTerminationMessagePath() == null || c.getTerminationMessagePath().isEmpty()
                ? DEFAULT_TERMINATION_MESSAGE_PATH : c.getTerminationMessagePath();
        b.addMounts(Mount.newBuilder().setContainerPath(messagePath).setHostPath(terminationMessageFile.toString()));
        boolean mountsOwnHosts = c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                .anyMatch(vm -> PodHostsFile.CONTAINER_PATH.equals(vm.getMountPath()));
        if (hostsFile != null && !mountsOwnHosts) {
            b.addMounts(Mount.newBuilder().setContainerPath(PodHostsFile.CONTAINER_PATH).setHostPath(hostsFile.toString()));
        }

        b.putLabels(RuntimeLabels.CONTAINER_NAME, c.getName());
        b.putLabels(RuntimeLabels.POD_NAME, pod.getMetadata().getName());
        b.putLabels(RuntimeLabels.POD_NAMESPACE, pod.getMetadata().getNamespace());
        b.putLabels(RuntimeLabels.POD_UID, pod.getMetadata().getUid());
        b.putAnnotations(RuntimeLabels.RESTART_COUNT, Integer.toString(restartCount));
        b.putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_PATH, messagePath);
        b.putAnnotations(RuntimeLabels.TERMINATION_MESSAGE_POLICY,
                c.getTerminationMessagePolicy() == null ? "File" : c.getTerminationMessagePolicy());
        b.putAnnotations(RuntimeLabels.TERMINATION_GRACE_PERIOD, Long.toString(PodSpecs.gracePeriodSeconds(pod)));
        b.putAnnotations(RuntimeLabels.SPEC_IMAGE, c.getImage());

        b.setLinux(LinuxContainerConfig.newBuilder()
                .setResources(ResourceLimits.forContainer(pod, c, nodeMemoryBytes))
                .setSecurityContext(security(pod, c)));
        return b.build();
    }

    private static List<Mount> mounts(Pod pod, Container c, Map<String, Path> volumes, Map<String, String> env)
            throws ContainerConfigException {
        List<Mount> out = new ArrayList<>();
        if (c.getVolumeMounts() == null) {
            return out;
        }
        for (VolumeMount vm : c.getVolumeMounts()) {
            Path source = volumes.get(vm.getName());
            if (source == null) {
                throw new ContainerConfigException("container \"" + c.getName() + "\" mounts volume \"" + vm.getName()
                        + "\", which pod " + PodSpecs.key(pod) + " does not have");
            }
            String subPath = vm.getSubPathExpr() != null && !vm.getSubPathExpr().isEmpty()
                    ? EnvExpansion.expand(vm.getSubPathExpr(), env::get) : vm.getSubPath();
            if (subPath != null && !subPath.isEmpty()) {
                source = subPath(c, vm, source, subPath);
            }
            out.add(Mount.newBuilder()
                    .setContainerPath(vm.getMountPath())
                    .setHostPath(source.toString())
                    .setReadonly(Boolean.TRUE.equals(vm.getReadOnly()))
                    .setPropagation(propagation(vm.getMountPropagation()))
                    .build());
        }
        return out;
    }

    /** A subPath must stay inside its volume; a missing one is made as a directory, as upstream does. */
    private static Path subPath(Container c, VolumeMount vm, Path volume, String subPath) throws ContainerConfigException {
        Path rel = Path.of(subPath).normalize();
        if (rel.isAbsolute() || rel.startsWith("..")) {
            throw new ContainerConfigException("container \"" + c.getName() + "\": subPath \"" + subPath + "\" of volume \""
                    + vm.getName() + "\" must be a relative path inside the volume");
        }
        Path target = volume.resolve(rel);
        try {
            if (!Files.exists(target)) {
                Files.createDirectories(target);
            }
            if (!target.toRealPath().startsWith(volume.toRealPath())) {
                throw new ContainerConfigException("container \"" + c.getName() + "\": subPath \"" + subPath
                        + "\" of volume \"" + vm.getName() + "\" leads outside the volume");
            }
        } catch (IOException e) {
            throw new ContainerConfigException("container \"" + c.getName() + "\": cannot prepare subPath \"" + subPath
                    + "\" of volume \"" + vm.getName() + "\": " + e.getMessage(), e);
        }
        return target;
    }

    private static MountPropagation propagation(String mode) {
        if (mode == null) {
            return MountPropagation.PROPAGATION_PRIVATE;
        }
        return switch (mode) {
            case "HostToContainer" -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
            case "Bidirectional" -> MountPropagation.PROPAGATION_BIDIRECTIONAL;
            default -> MountPropagation.PROPAGATION_PRIVATE;
        };
    }

    private static LinuxContainerSecurityContext security(Pod pod, Container c) {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        LinuxContainerSecurityContext.Builder b = LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(SandboxManager.namespaces(pod));
        boolean privileged = sc != null && Boolean.TRUE.equals(sc.getPrivileged());
        b.setPrivileged(privileged);
        Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc != null ? psc.getRunAsUser() : null;
        Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc != null ? psc.getRunAsGroup() : null;
        if (user != null) {
            b.setRunAsUser(Int64Value.newBuilder().setValue(user));
        }
        if (group != null) {
            b.setRunAsGroup(Int64Value.newBuilder().setValue(group));
        }
        if (psc != null) {
            if (psc.getSupplementalGroups() != null) {
                b.addAllSupplementalGroups(psc.getSupplementalGroups());
            }
            if (psc.getFsGroup() != null) {
                b.addSupplementalGroups(psc.getFsGroup());
            }
        }
        if (sc != null) {
            b.setReadonlyRootfs(Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()));
            b.setNoNewPrivs(Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()));
            Capabilities caps = sc.getCapabilities();
            if (caps != null) {
                Capability.Builder cb = Capability.newBuilder();
                if (caps.getAdd() != null) {
                    cb.addAllAddCapabilities(caps.getAdd());
                }
                if (caps.getDrop() != null) {
                    cb.addAllDropCapabilities(caps.getDrop());
                }
                b.setCapabilities(cb);
            }
        }
        SeccompProfile seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile()
                : psc != null ? psc.getSeccompProfile() : null;
        if (seccomp != null && seccomp.getType() != null) {
            b.setSeccomp(profile(seccomp));
        }
        boolean unmasked = sc != null && "Unmasked".equals(sc.getProcMount());
        if (!privileged && !unmasked) {
            b.addAllMaskedPaths(MASKED_PATHS).addAllReadonlyPaths(READONLY_PATHS);
        }
        return b.build();
    }

    private static SecurityProfile profile(SeccompProfile p) {
        return switch (p.getType()) {
            case "RuntimeDefault" -> SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault).build();
            case "Localhost" -> SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost)
                    .setLocalhostRef(p.getLocalhostProfile() == null ? "" : p.getLocalhostProfile()).build();
            default -> SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Unconfined).build();
        };
    }
}
