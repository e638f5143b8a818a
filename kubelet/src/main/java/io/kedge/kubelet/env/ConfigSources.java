package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.kubelet.ContainerConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the ConfigMaps and Secrets a pod refers to, each at most once per use of this object, so
 * that one container's env (or one pod's volumes) sees one version of each object.
 */
public final class ConfigSources {
    private final ConfigObjects objects;
    private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();

    public ConfigSources(KubernetesClient client) {
        this(new DirectConfigObjects(client));
    }

    public ConfigSources(ConfigObjects objects) {
        this.objects = objects;
    }

    /** The ConfigMap, or empty when it does not exist. */
    public Optional<ConfigMap> configMap(String namespace, String name) throws ContainerConfigException {
        requireName(name, "configMap");
        Optional<ConfigMap> cached = configMaps.get(namespace + "/" + name);
        if (cached == null) {
            cached = objects.configMap(namespace, name);
            configMaps.put(namespace + "/" + name, cached);
        }
        return cached;
    }

    /** The Secret, or empty when it does not exist. */
    public Optional<Secret> secret(String namespace, String name) throws ContainerConfigException {
        requireName(name, "secret");
        Optional<Secret> cached = secrets.get(namespace + "/" + name);
        if (cached == null) {
            cached = objects.secret(namespace, name);
            secrets.put(namespace + "/" + name, cached);
        }
        return cached;
    }

    public static ContainerConfigException configMapNotFound(String name) {
        return new ContainerConfigException("configmap \"" + name + "\" not found");
    }

    public static ContainerConfigException secretNotFound(String name) {
        return new ContainerConfigException("secret \"" + name + "\" not found");
    }

    /** A ConfigMap's {@code data} then {@code binaryData}, as bytes. */
    public static Map<String, byte[]> files(ConfigMap cm) throws ContainerConfigException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> out.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.getBinaryData() != null) {
            for (var e : cm.getBinaryData().entrySet()) {
                out.put(e.getKey(), decode(e.getValue(), "configmap " + cm.getMetadata().getName() + " binaryData key " + e.getKey()));
            }
        }
        return out;
    }

    /** A Secret's {@code data} decoded, with any {@code stringData} the server left in place on top. */
    public static Map<String, byte[]> files(Secret secret) throws ContainerConfigException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (secret.getData() != null) {
            for (var e : secret.getData().entrySet()) {
                out.put(e.getKey(), decode(e.getValue(), "secret " + secret.getMetadata().getName() + " key " + e.getKey()));
            }
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> out.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] decode(String base64, String what) throws ContainerConfigException {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new ContainerConfigException(what + " is not valid base64: " + e.getMessage(), e);
        }
    }

    private static void requireName(String name, String kind) throws ContainerConfigException {
        if (name == null || name.isEmpty()) {
            throw new ContainerConfigException("a " + kind + " reference has no name");
        }
    }
}
