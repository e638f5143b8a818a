package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.env.ConfigSources;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a projected volume: configMap, secret, downwardAPI and serviceAccountToken sources
 * merged into one directory (which is also how the default service-account volume,
 * {@code kube-api-access-*}, gets its token, {@code ca.crt} and {@code namespace}).
 */
final class ProjectedPayload {
    private ProjectedPayload() {
    }

    static Map<String, FileContent> files(Pod pod, String volume, ProjectedVolumeSource source, ConfigSources sources,
                                          ServiceAccountTokens tokens, Map<String, Quantity> nodeAllocatable,
                                          String nodeIp) throws ContainerConfigException {
        int mode = Modes.orDefault(source.getDefaultMode(), Modes.DEFAULT_FILE_MODE);
        String namespace = pod.getMetadata().getNamespace();
        Map<String, FileContent> out = new LinkedHashMap<>();
        for (VolumeProjection p : source.getSources() == null ? List.<VolumeProjection>of() : source.getSources()) {
            if (p.getConfigMap() != null) {
                var cm = p.getConfigMap();
                out.putAll(ObjectPayloads.configMap(sources, namespace, cm.getName(), cm.getItems(), mode, isTrue(cm.getOptional())));
            } else if (p.getSecret() != null) {
                var s = p.getSecret();
                out.putAll(ObjectPayloads.secret(sources, namespace, s.getName(), s.getItems(), mode, isTrue(s.getOptional())));
            } else if (p.getDownwardAPI() != null) {
                out.putAll(DownwardApiPayload.files(pod, p.getDownwardAPI().getItems(), mode, nodeAllocatable, nodeIp));
            } else if (p.getServiceAccountToken() != null) {
                var t = p.getServiceAccountToken();
                if (t.getPath() == null || t.getPath().isEmpty()) {
                    throw new ContainerConfigException("projected volume \"" + volume + "\": serviceAccountToken has no path");
                }
                Optional<String> token = tokens.token(pod, t);
                if (token.isPresent()) {
                    out.put(t.getPath(), new FileContent(token.get().getBytes(StandardCharsets.UTF_8), mode));
                }
            } else {
                throw new ContainerConfigException("projected volume \"" + volume
                        + "\" has a source kedge's kubelet does not support (only configMap, secret, downwardAPI and serviceAccountToken)");
            }
        }
        return out;
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }
}
