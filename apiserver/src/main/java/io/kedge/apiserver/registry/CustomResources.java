package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.table.CustomColumnsPrinter;
import io.kedge.api.validation.BuiltinStrategies;
import io.kedge.store.KeyValue;
import io.kedge.store.KvStore;
import io.kedge.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the resources of every stored CRD: registers a type per served version when the CRD
 * appears or changes, and removes the types and their objects when it is deleted.
 */
public final class CustomResources {
    private static final Logger LOG = LoggerFactory.getLogger(CustomResources.class);
    private final ResourceTypes types;
    private final KvStore store;
    /** CRD name → the group/plural it serves and the versions registered. */
    private final Map<String, List<ResourceType>> served = new HashMap<>();

    public CustomResources(ResourceTypes types, KvStore store) {
        this.types = types;
        this.store = store;
    }

    public synchronized void apply(ObjectNode crd) {
        String name = crd.path("metadata").path("name").asText();
        List<ResourceType> next = typesOf(crd);
        List<ResourceType> previous = served.getOrDefault(name, List.of());
        for (ResourceType old : previous) {
            if (next.stream().noneMatch(t -> t.version().equals(old.version()) && t.plural().equals(old.plural()))) {
                types.unregister(old.group(), old.plural());
            }
        }
        next.forEach(types::register);
        served.put(name, next);
    }

    public synchronized void remove(ObjectNode crd) {
        String name = crd.path("metadata").path("name").asText();
        List<ResourceType> previous = served.remove(name);
        if (previous == null || previous.isEmpty()) {
            return;
        }
        ResourceType any = previous.get(0);
        types.unregister(any.group(), any.plural());
        deleteAll(any.keyPrefix());
    }

    private void deleteAll(String prefix) {
        String after = null;
        while (true) {
            var page = store.range(prefix, after, 500);
            for (KeyValue kv : page.kvs()) {
                try {
                    store.delete(kv.key(), 0);
                } catch (StoreException.NotFound | StoreException.Conflict ignored) {
                    // already gone
                }
                after = kv.key();
            }
            if (!page.more()) {
                return;
            }
        }
    }

    static List<ResourceType> typesOf(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText();
        String kind = names.path("kind").asText();
        String singular = names.path("singular").asText(kind.toLowerCase(Locale.ROOT));
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
        List<String> shortNames = texts(names.path("shortNames"));
        List<String> categories = texts(names.path("categories"));
        List<ResourceType> out = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            String version = v.path("name").asText();
            Set<String> subs = new LinkedHashSet<>();
            boolean status = v.path("subresources").has("status");
            if (status) subs.add("status");
            ResourceType.ScalePaths scale = null;
            JsonNode s = v.path("subresources").path("scale");
            if (s.isObject()) {
                subs.add("scale");
                scale = new ResourceType.ScalePaths(s.path("specReplicasPath").asText(".spec.replicas"),
                        s.path("statusReplicasPath").asText(".status.replicas"), s.path("labelSelectorPath").asText(""));
            }
            JsonNode raw = v.path("schema").path("openAPIV3Schema");
            var printer = CustomColumnsPrinter.forCrdVersion(crd, version);
            Strategy strategy = new CustomResourceStrategy(plural + "." + group + "/" + version, raw,
                    BuiltinStrategies.validator(group, kind, namespaced), status, printer);
            out.add(new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories,
                    ResourceType.ALL_VERBS, Set.copyOf(subs), scale, strategy, true));
        }
        return out;
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** For tests and start-up: the CRD decoded from stored bytes. */
    static ObjectNode decode(byte[] bytes) {
        return Json.trusted(bytes);
    }
}
