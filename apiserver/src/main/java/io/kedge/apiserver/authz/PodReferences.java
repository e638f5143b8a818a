package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Meta;
import java.util.HashSet;
import java.util.Set;

/**
 * What one pod makes its node need: the secrets, config maps, claims and service account it names
 * (volumes, projected sources, env, envFrom, image pull secrets), all in the pod's namespace.
 */
public record PodReferences(String namespace, String name, String nodeName, Set<String> secrets, Set<String> configMaps,
                            Set<String> claims, String serviceAccount) {

    public static PodReferences of(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        Set<String> secrets = new HashSet<>();
        Set<String> configMaps = new HashSet<>();
        Set<String> claims = new HashSet<>();
        for (JsonNode v : spec.path("volumes")) {
            add(secrets, v.path("secret").path("secretName"));
            add(configMaps, v.path("configMap").path("name"));
            add(claims, v.path("persistentVolumeClaim").path("claimName"));
            for (JsonNode src : v.path("projected").path("sources")) {
                add(secrets, src.path("secret").path("name"));
                add(configMaps, src.path("configMap").path("name"));
            }
        }
        for (String list : new String[]{"containers", "initContainers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("env")) {
                    add(secrets, e.path("valueFrom").path("secretKeyRef").path("name"));
                    add(configMaps, e.path("valueFrom").path("configMapKeyRef").path("name"));
                }
                for (JsonNode f : c.path("envFrom")) {
                    add(secrets, f.path("secretRef").path("name"));
                    add(configMaps, f.path("configMapRef").path("name"));
                }
            }
        }
        for (JsonNode s : spec.path("imagePullSecrets")) {
            add(secrets, s.path("name"));
        }
        String sa = spec.path("serviceAccountName").asText("");
        return new PodReferences(Meta.namespace(pod), Meta.name(pod), spec.path("nodeName").asText(""), Set.copyOf(secrets),
                Set.copyOf(configMaps), Set.copyOf(claims), sa.isEmpty() ? "default" : sa);
    }

    private static void add(Set<String> into, JsonNode name) {
        String n = name.asText("");
        if (!n.isEmpty()) {
            into.add(n);
        }
    }

    public String key() {
        return namespace + "/" + name;
    }
}
