package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.ContainerConfigException;
import java.util.Optional;

/** Each read is a GET from the API (through the hub on a node). */
public final class DirectConfigObjects implements ConfigObjects {
    private final KubernetesClient client;

    public DirectConfigObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) throws ContainerConfigException {
        try {
            return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw new ContainerConfigException("couldn't get configmap " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) throws ContainerConfigException {
        try {
            return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw new ContainerConfigException("couldn't get secret " + namespace + "/" + name + ": " + e.getMessage(), e);
        }
    }
}
