package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.env.ConfigSources;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The files of configMap and secret volumes (and of the same sources inside a projected volume). */
final class ObjectPayloads {
    private ObjectPayloads() {
    }

    static Map<String, FileContent> configMap(ConfigSources sources, String namespace, String name, List<KeyToPath> items,
                                              int defaultMode, boolean optional) throws ContainerConfigException {
        Optional<ConfigMap> cm = sources.configMap(namespace, name);
        if (cm.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw ConfigSources.configMapNotFound(name);
        }
        return KeyProjection.project(ConfigSources.files(cm.get()), items, defaultMode, optional,
                "configmap references non-existent config key: ");
    }

    static Map<String, FileContent> secret(ConfigSources sources, String namespace, String name, List<KeyToPath> items,
                                           int defaultMode, boolean optional) throws ContainerConfigException {
        Optional<Secret> secret = sources.secret(namespace, name);
        if (secret.isEmpty()) {
            if (optional) {
                return Map.of();
            }
            throw ConfigSources.secretNotFound(name);
        }
        return KeyProjection.project(ConfigSources.files(secret.get()), items, defaultMode, optional,
                "references non-existent secret key: ");
    }
}
