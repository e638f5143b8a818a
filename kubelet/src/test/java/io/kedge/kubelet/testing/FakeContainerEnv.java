package io.kedge.kubelet.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.ContainerEnv;
import java.util.LinkedHashMap;

/**
 * A test fake of {@link ContainerEnv}: plain {@code value}s only. A {@code configMapKeyRef}
 * stands for a missing ConfigMap and gives a {@link ContainerConfigException}, as the real
 * resolver does for one that does not exist.
 */
public final class FakeContainerEnv implements ContainerEnv {
    @Override
    public LinkedHashMap<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        if (container.getEnv() == null) {
            return out;
        }
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                throw new ContainerConfigException("configmap \"" + e.getValueFrom().getConfigMapKeyRef().getName()
                        + "\" not found");
            }
            if (e.getValueFrom() != null) {
                throw new ContainerConfigException("env " + e.getName() + ": the test fake supports value only");
            }
            out.put(e.getName(), e.getValue() == null ? "" : e.getValue());
        }
        return out;
    }
}
