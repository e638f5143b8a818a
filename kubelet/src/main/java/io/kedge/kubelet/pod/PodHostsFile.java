package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The /etc/hosts the kubelet gives a pod's containers, as upstream does: localhost, the pod's own
 * name at its IP (its fully qualified name too when it has a subdomain), and the pod's hostAliases.
 * Without it a pod could not resolve its own hostname, which many servers look up at start.
 */
final class PodHostsFile {
    static final String CONTAINER_PATH = "/etc/hosts";
    private static final String CLUSTER_DOMAIN = "cluster.local";

    private PodHostsFile() {
    }

    /** Host-network pods share the host's file, as containerd gives it; others get the kubelet's once they have an IP. */
    static boolean applies(Pod pod, String podIp) {
        return !Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) && podIp != null && !podIp.isEmpty();
    }

    static String content(Pod pod, String podIp) {
        StringBuilder b = new StringBuilder("# Kubernetes-managed hosts file (written by kedge agent).\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        String hostname = SandboxManager.hostname(pod);
        String subdomain = pod.getSpec().getSubdomain();
        b.append(podIp).append('\t');
        if (subdomain != null && !subdomain.isEmpty()) {
            b.append(hostname).append('.').append(subdomain).append('.').append(pod.getMetadata().getNamespace())
                    .append(".svc.").append(CLUSTER_DOMAIN).append('\t');
        }
        b.append(hostname).append('\n');
        if (pod.getSpec().getHostAliases() != null && !pod.getSpec().getHostAliases().isEmpty()) {
            b.append("\n# Entries added by HostAliases.\n");
            for (HostAlias alias : pod.getSpec().getHostAliases()) {
                if (alias.getIp() != null && alias.getHostnames() != null && !alias.getHostnames().isEmpty()) {
                    b.append(alias.getIp()).append('\t').append(String.join("\t", alias.getHostnames())).append('\n');
                }
            }
        }
        return b.toString();
    }
}
