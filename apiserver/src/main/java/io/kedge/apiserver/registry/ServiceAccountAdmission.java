package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import io.kedge.apiserver.auth.ObjectLookup;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Gives every new pod a service account ({@code default} unless it names one) and, unless the pod
 * or its service account opts out, the projected {@code kube-api-access-*} volume (token, cluster
 * CA, namespace) mounted read-only at the well-known path in each container, as upstream's
 * admission does. A pod naming a service account that does not exist is refused. A missing
 * {@code default} account is let through instead: it is created asynchronously by a controller,
 * and a pod created in the same breath as its namespace must not fail for that.
 */
public final class ServiceAccountAdmission implements Admission {
    static final String DEFAULT = "default";
    static final String VOLUME_PREFIX = "kube-api-access-";
    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
    static final long TOKEN_SECONDS = 3607;
    private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final ObjectLookup objects;
    private final SecureRandom random = new SecureRandom();

    public ServiceAccountAdmission(ObjectLookup objects) {
        this.objects = objects;
    }

    @Override
    public void admitCreate(ResourceType t, ObjectNode pod, WriteOptions opts) {
        if (!t.group().isEmpty() || !t.plural().equals("pods")
                || pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION)) {
            return;
        }
        ObjectNode spec = pod.with("spec");
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            // the deprecated alias still names the account when the new field is absent
            name = spec.path("serviceAccount").asText("");
        }
        if (name.isEmpty()) {
            name = DEFAULT;
        }
        spec.put("serviceAccountName", name);
        String namespace = Meta.namespace(pod);
        Optional<JsonNode> sa = objects.find("serviceaccounts", namespace, name);
        if (sa.isEmpty() && !name.equals(DEFAULT)) {
            throw ApiException.forbidden("pods \"" + Meta.name(pod) + "\" is forbidden: error looking up service account "
                    + namespace + "/" + name + ": serviceaccount \"" + name + "\" not found");
        }
        if (automount(spec, sa)) {
            mountToken(spec);
        }
    }

    private static boolean automount(JsonNode spec, Optional<JsonNode> sa) {
        JsonNode own = spec.path("automountServiceAccountToken");
        if (own.isBoolean()) {
            return own.asBoolean();
        }
        return sa.map(a -> a.path("automountServiceAccountToken")).filter(JsonNode::isBoolean)
                .map(JsonNode::asBoolean).orElse(true);
    }

    private void mountToken(ObjectNode spec) {
        ArrayNode volumes = array(spec, "volumes");
        String volume = null;
        for (JsonNode v : volumes) {
            if (v.path("name").asText().startsWith(VOLUME_PREFIX)) {
                volume = v.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volume != null;
        if (volume == null) {
            volume = VOLUME_PREFIX + suffix();
        }
        boolean needed = mountIn(spec.path("initContainers"), volume) | mountIn(spec.path("containers"), volume);
        if (!hasVolume && needed) {
            volumes.add(projectedVolume(volume));
        }
    }

    /** Adds the mount to each container that has nothing at the path yet; whether any got it. */
    private static boolean mountIn(JsonNode containers, String volume) {
        boolean any = false;
        for (JsonNode c : containers) {
            if (!(c instanceof ObjectNode container)) {
                continue;
            }
            ArrayNode mounts = array(container, "volumeMounts");
            boolean taken = false;
            for (JsonNode m : mounts) {
                taken |= MOUNT_PATH.equals(m.path("mountPath").asText());
            }
            if (!taken) {
                mounts.addObject().put("name", volume).put("readOnly", true).put("mountPath", MOUNT_PATH);
                any = true;
            }
        }
        return any;
    }

    static ObjectNode projectedVolume(String name) {
        ObjectNode v = io.kedge.api.Json.object().put("name", name);
        ObjectNode projected = v.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_SECONDS).put("path", "token");
        ObjectNode cm = sources.addObject().putObject("configMap").put("name", ROOT_CA_CONFIGMAP);
        cm.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
        return v;
    }

    private static ArrayNode array(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing instanceof ArrayNode a ? a : parent.putArray(field);
    }

    private String suffix() {
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            b.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        return b.toString();
    }
}
