package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.ContainerEnv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's environment, built the upstream way: envFrom sources in order, then env entries
 * in order (a later name replaces an earlier one; {@code $(VAR)} in a {@code value} sees what came
 * before it and the service variables), then the service variables for names still free.
 *
 * <p>The service variables cover the pod's namespace when {@code enableServiceLinks} is unset or
 * true, and always the {@code kubernetes} service of {@code default}. envFrom keys that are not
 * valid variable names (1.35's relaxed rule: printable ASCII without {@code =}) are skipped and
 * logged.
 */
public final class EnvResolver implements ContainerEnv {
    private static final Logger LOG = LoggerFactory.getLogger(EnvResolver.class);

    private final KubernetesClient client;
    private volatile ConfigObjects objects;
    private final Map<String, Quantity> nodeAllocatable;
    private final String nodeIp;

    /**
     * @param nodeAllocatable the node's allocatable cpu, memory and ephemeral-storage, which a
     *                        {@code limits.*} resourceFieldRef reports for a container without that limit
     * @param nodeIp          the host IP to report while the pod's status has none yet; may be null
     */
    public EnvResolver(KubernetesClient client, Map<String, Quantity> nodeAllocatable, String nodeIp) {
        this.client = client;
        this.objects = new DirectConfigObjects(client);
        this.nodeAllocatable = Map.copyOf(nodeAllocatable);
        this.nodeIp = nodeIp;
    }

    /** Reads ConfigMaps and Secrets from {@code objects} from now on (by default, a GET each). */
    public EnvResolver readingFrom(ConfigObjects objects) {
        this.objects = objects;
        return this;
    }

    @Override
    public LinkedHashMap<String, String> resolve(Pod pod, Container container) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        ConfigSources sources = new ConfigSources(objects);
        Map<String, String> serviceEnv = serviceVariables(pod);
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : orEmpty(container.getEnvFrom())) {
            addEnvFrom(env, from, namespace, sources);
        }
        for (EnvVar var : orEmpty(container.getEnv())) {
            String value = value(pod, container, var, sources, env, serviceEnv);
            if (value != null) {
                env.put(var.getName(), value);
            }
        }
        serviceEnv.forEach(env::putIfAbsent);
        return env;
    }

    /** The variable's value, or null when an optional source is missing and the variable is left out. */
    private String value(Pod pod, Container container, EnvVar var, ConfigSources sources,
                         Map<String, String> env, Map<String, String> serviceEnv) throws ContainerConfigException {
        EnvVarSource from = var.getValueFrom();
        if (from == null) {
            return EnvExpansion.expand(var.getValue(), name -> env.containsKey(name) ? env.get(name) : serviceEnv.get(name));
        }
        String namespace = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            Optional<ConfigMap> cm = sources.configMap(namespace, ref.getName());
            if (cm.isEmpty()) {
                if (isTrue(ref.getOptional())) {
                    return null;
                }
                throw ConfigSources.configMapNotFound(ref.getName());
            }
            String v = cm.get().getData() == null ? null : cm.get().getData().get(ref.getKey());
            if (v == null && !isTrue(ref.getOptional())) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return v;
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            Optional<Secret> secret = sources.secret(namespace, ref.getName());
            if (secret.isEmpty()) {
                if (isTrue(ref.getOptional())) {
                    return null;
                }
                throw ConfigSources.secretNotFound(ref.getName());
            }
            byte[] v = ConfigSources.files(secret.get()).get(ref.getKey());
            if (v == null && !isTrue(ref.getOptional())) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }
        if (from.getFieldRef() != null) {
            return PodFields.value(pod, from.getFieldRef().getFieldPath(), nodeIp);
        }
        if (from.getResourceFieldRef() != null) {
            return ResourceFields.value(pod, container.getName(), from.getResourceFieldRef(), nodeAllocatable);
        }
        throw new ContainerConfigException("env " + var.getName() + " has a valueFrom with no source kedge supports");
    }

    private void addEnvFrom(Map<String, String> env, EnvFromSource from, String namespace, ConfigSources sources)
            throws ContainerConfigException {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> values = new LinkedHashMap<>();
        String source;
        if (from.getConfigMapRef() != null) {
            var ref = from.getConfigMapRef();
            source = "ConfigMap " + namespace + "/" + ref.getName();
            Optional<ConfigMap> cm = sources.configMap(namespace, ref.getName());
            if (cm.isEmpty()) {
                if (isTrue(ref.getOptional())) {
                    return;
                }
                throw ConfigSources.configMapNotFound(ref.getName());
            }
            if (cm.get().getData() != null) {
                values.putAll(cm.get().getData());
            }
        } else if (from.getSecretRef() != null) {
            var ref = from.getSecretRef();
            source = "Secret " + namespace + "/" + ref.getName();
            Optional<Secret> secret = sources.secret(namespace, ref.getName());
            if (secret.isEmpty()) {
                if (isTrue(ref.getOptional())) {
                    return;
                }
                throw ConfigSources.secretNotFound(ref.getName());
            }
            ConfigSources.files(secret.get()).forEach((k, v) -> values.put(k, new String(v, StandardCharsets.UTF_8)));
        } else {
            throw new ContainerConfigException("an envFrom entry has neither configMapRef nor secretRef");
        }
        List<String> invalid = new ArrayList<>();
        values.forEach((k, v) -> {
            String name = prefix + k;
            if (isValidName(name)) {
                env.put(name, v == null ? "" : v);
            } else {
                invalid.add(name);
            }
        });
        if (!invalid.isEmpty()) {
            LOG.warn("skipped keys from {} that are not valid environment variable names: {}", source, invalid);
        }
    }

    private Map<String, String> serviceVariables(Pod pod) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        boolean links = pod.getSpec() == null || pod.getSpec().getEnableServiceLinks() == null
                || pod.getSpec().getEnableServiceLinks();
        List<Service> services = new ArrayList<>();
        try {
            Service master = client.services().inNamespace("default").withName("kubernetes").get();
            if (links) {
                for (Service s : client.services().inNamespace(namespace).list().getItems()) {
                    if (!(master != null && "default".equals(namespace) && "kubernetes".equals(s.getMetadata().getName()))) {
                        services.add(s);
                    }
                }
            }
            if (master != null) {
                services.add(master);
            }
        } catch (KubernetesClientException e) {
            throw new ContainerConfigException("couldn't list the services for the container's environment: " + e.getMessage(), e);
        }
        return ServiceLinks.variables(services);
    }

    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
