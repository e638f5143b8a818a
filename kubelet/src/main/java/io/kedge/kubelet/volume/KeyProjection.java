package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.kedge.kubelet.ContainerConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a ConfigMap or Secret as volume files: every key under its own name, or, when
 * {@code items} are given, only those keys, each at its item's path and mode.
 */
final class KeyProjection {
    private KeyProjection() {
    }

    /**
     * @param missingKey the message prefix for an item whose key the object lacks, upstream's wording
     *                   (e.g. {@code configmap references non-existent config key: })
     */
    static Map<String, FileContent> project(Map<String, byte[]> data, List<KeyToPath> items, int defaultMode,
                                            boolean optional, String missingKey) throws ContainerConfigException {
        Map<String, FileContent> out = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((key, bytes) -> out.put(key, new FileContent(bytes, defaultMode)));
            return out;
        }
        for (KeyToPath item : items) {
            byte[] bytes = data.get(item.getKey());
            if (bytes == null) {
                if (optional) {
                    continue;
                }
                throw new ContainerConfigException(missingKey + item.getKey());
            }
            String path = item.getPath() == null || item.getPath().isEmpty() ? item.getKey() : item.getPath();
            out.put(path, new FileContent(bytes, Modes.orDefault(item.getMode(), defaultMode)));
        }
        return out;
    }
}
