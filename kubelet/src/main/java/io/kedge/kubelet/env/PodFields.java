package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kedge.api.GoQuote;
import io.kedge.kubelet.ContainerConfigException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pod fields a {@code fieldRef} may name, for env and for downward API volumes. The IPs come
 * from the pod's status; the host IP falls back to the node's address while the status has none.
 */
public final class PodFields {
    private static final Pattern SUBSCRIPT = Pattern.compile("^(metadata\\.(?:labels|annotations))\\['(.*)'\\]$");

    private PodFields() {
    }

    public static String value(Pod pod, String fieldPath, String nodeIp) throws ContainerConfigException {
        if (fieldPath == null || fieldPath.isEmpty()) {
            throw new ContainerConfigException("fieldRef has no fieldPath");
        }
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        Matcher m = SUBSCRIPT.matcher(fieldPath);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("metadata.labels") ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : Objects.requireNonNullElse(map.get(m.group(2)), "");
        }
        return switch (fieldPath) {
            case "metadata.name" -> orEmpty(meta.getName());
            case "metadata.namespace" -> orEmpty(meta.getNamespace());
            case "metadata.uid" -> orEmpty(meta.getUid());
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> orEmpty(spec.getNodeName());
            case "spec.serviceAccountName" -> orEmpty(spec.getServiceAccountName());
            case "status.podIP" -> orEmpty(status.getPodIP());
            case "status.podIPs" -> joinIps(status.getPodIPs(), status.getPodIP());
            case "status.hostIP" -> status.getHostIP() != null ? status.getHostIP() : orEmpty(nodeIp);
            case "status.hostIPs" -> status.getHostIPs() != null && !status.getHostIPs().isEmpty()
                    ? status.getHostIPs().stream().map(h -> h.getIp()).filter(Objects::nonNull).collect(Collectors.joining(","))
                    : status.getHostIP() != null ? status.getHostIP() : orEmpty(nodeIp);
            default -> throw new ContainerConfigException("unsupported fieldPath: " + fieldPath);
        };
    }

    /** One {@code key="value"} line per entry, sorted by key, values quoted the Go way. */
    static String formatMap(Map<String, String> map) {
        if (map == null) {
            return "";
        }
        return new TreeMap<>(map).entrySet().stream()
                .map(e -> e.getKey() + "=" + GoQuote.quote(orEmpty(e.getValue())))
                .collect(Collectors.joining("\n"));
    }

    private static String joinIps(List<PodIP> ips, String single) {
        if (ips == null || ips.isEmpty()) {
            return orEmpty(single);
        }
        return ips.stream().map(PodIP::getIp).filter(Objects::nonNull).collect(Collectors.joining(","));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
