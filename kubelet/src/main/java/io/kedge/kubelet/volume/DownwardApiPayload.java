package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.env.PodFields;
import io.kedge.kubelet.env.ResourceFields;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files of a downwardAPI volume (or source): one per item, from a pod field or a container resource. */
final class DownwardApiPayload {
    private DownwardApiPayload() {
    }

    static Map<String, FileContent> files(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode,
                                          Map<String, Quantity> nodeAllocatable, String nodeIp) throws ContainerConfigException {
        Map<String, FileContent> out = new LinkedHashMap<>();
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = PodFields.value(pod, item.getFieldRef().getFieldPath(), nodeIp);
            } else if (item.getResourceFieldRef() != null) {
                value = ResourceFields.value(pod, null, item.getResourceFieldRef(), nodeAllocatable);
            } else {
                throw new ContainerConfigException("downwardAPI item " + item.getPath() + " has neither fieldRef nor resourceFieldRef");
            }
            out.put(item.getPath(), new FileContent(value.getBytes(StandardCharsets.UTF_8), Modes.orDefault(item.getMode(), defaultMode)));
        }
        return out;
    }
}
