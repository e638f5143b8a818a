package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every new pod tolerates its node being not-ready or unreachable for 300 s unless it says
 * otherwise, so that taint-based eviction waits that long, as upstream's admission does.
 */
public final class DefaultTolerationSeconds implements Admission {
    static final long SECONDS = 300;
    private static final String[] KEYS = {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"};

    @Override
    public void admitCreate(ResourceType t, ObjectNode pod, WriteOptions opts) {
        if (!t.group().isEmpty() || !t.plural().equals("pods")) {
            return;
        }
        ObjectNode spec = (ObjectNode) pod.with("spec");
        ArrayNode tolerations = spec.has("tolerations") && spec.get("tolerations").isArray()
                ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        for (String key : KEYS) {
            if (!tolerated(tolerations, key)) {
                tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                        .put("tolerationSeconds", SECONDS);
            }
        }
    }

    /** A toleration for the key's NoExecute taint, or one that tolerates everything, leaves it alone. */
    private static boolean tolerated(ArrayNode tolerations, String key) {
        for (JsonNode t : tolerations) {
            String k = t.path("key").asText("");
            String effect = t.path("effect").asText("");
            boolean matchesKey = k.equals(key) || (k.isEmpty() && "Exists".equals(t.path("operator").asText()));
            if (matchesKey && (effect.isEmpty() || effect.equals("NoExecute"))) {
                return true;
            }
        }
        return false;
    }
}
