package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.kedge.kubelet.ContainerConfigException;
import java.util.Optional;

/** Where the kubelet reads the ConfigMaps and Secrets its pods refer to. */
public interface ConfigObjects {
    /** The ConfigMap, or empty when it does not exist. */
    Optional<ConfigMap> configMap(String namespace, String name) throws ContainerConfigException;

    /** The Secret, or empty when it does not exist. */
    Optional<Secret> secret(String namespace, String name) throws ContainerConfigException;
}
