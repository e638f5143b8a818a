package io.kedge.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;

/** The environment a container starts with, resolved from its env and envFrom. */
public interface ContainerEnv {
    /**
     * Resolves value, configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef and envFrom, in
     * upstream order (envFrom first, then env; later names win; $(VAR) references expanded).
     */
    LinkedHashMap<String, String> resolve(Pod pod, Container container) throws ContainerConfigException;
}
