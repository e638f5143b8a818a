package io.kedge.apiserver.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.selector.LabelSelector;
import io.kedge.api.selector.SelectorException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics.k8s.io/v1beta1}, what {@code kubectl top} reads: node and pod usage taken from each
 * connected node's {@code /stats/summary}, fetched through its tunnel when asked, never stored. A
 * node that cannot be reached is left out of lists, as metrics-server leaves out nodes it cannot scrape.
 */
final class ResourceMetrics {
    static final String GROUP = "metrics.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(ResourceMetrics.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_SUMMARY_BYTES = 8 * 1024 * 1024;
    private static final long FETCH_TIMEOUT_SECONDS = 10;
    /** containerd's CRI plugin measures container CPU rates over its stats interval of about ten seconds. */
    private static final String WINDOW = "10s";

    private final GenericRegistry objects;
    private final ResourceType nodeType;
    private final ResourceType podType;
    private final TunnelRegistry tunnels;
    private final KubeletDialer dialer;
    private final Clock clock;

    ResourceMetrics(GenericRegistry objects, ResourceType nodeType, ResourceType podType, TunnelRegistry tunnels,
                    KubeletDialer dialer, Clock clock) {
        this.objects = objects;
        this.nodeType = nodeType;
        this.podType = podType;
        this.tunnels = tunnels;
        this.dialer = dialer;
        this.clock = clock;
    }

    /** get or list of nodes or pods; answered asynchronously once the summaries are in. */
    void serve(HttpExchange ex, RequestInfo info, String verb) {
        if (!verb.equals("get") && !verb.equals("list")) {
            throw ApiException.methodNotAllowed("metrics are read-only: " + verb + " is not supported");
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(Optional.ofNullable(ex.param("labelSelector")).orElse(""));
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        boolean nodes = info.resource().equals("nodes");
        List<String> targets = nodes && info.name() != null ? List.of(info.name()) : List.copyOf(tunnels.connectedNodes());
        if (!nodes && info.name() != null) {
            String bound = objects.get(podType, info.namespace(), info.name())
                    .map(p -> p.path("spec").path("nodeName").asText("")).orElse("");
            targets = bound.isEmpty() ? List.of() : List.of(bound);
        }
        Map<String, CompletableFuture<JsonNode>> summaries = new HashMap<>();
        for (String node : targets) {
            summaries.put(node, dialer.fetch(node, "/stats/summary", MAX_SUMMARY_BYTES)
                    .orTimeout(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .thenApply(bytes -> Json.parse(bytes, false))
                    .exceptionally(e -> {
                        LOG.debug("no metrics from node {}: {}", node, e.toString());
                        return null;
                    }));
        }
        CompletableFuture.allOf(summaries.values().toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
            try {
                Map<String, JsonNode> got = new HashMap<>();
                summaries.forEach((n, f) -> {
                    JsonNode s = f.getNow(null);
                    if (s != null) {
                        got.put(n, s);
                    }
                });
                ex.respondJson(200, nodes ? nodeMetrics(info, got, selector) : podMetrics(info, got, selector));
            } catch (ApiException problem) {
                ex.respondError(problem);
            } catch (RuntimeException problem) {
                ex.respondError(ApiException.internal("building metrics failed: " + problem.getMessage()));
            }
        });
    }

    private ObjectNode nodeMetrics(RequestInfo info, Map<String, JsonNode> summaries, LabelSelector selector) {
        List<ObjectNode> items = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : summaries.entrySet()) {
            Optional<ObjectNode> node = objects.get(nodeType, null, e.getKey());
            JsonNode usage = e.getValue().path("node");
            if (node.isEmpty() || !usage.path("cpu").has("usageNanoCores") || !selector.matches(labels(node.get()))) {
                continue;
            }
            ObjectNode m = item("NodeMetrics", e.getKey(), null, node.get(), usage.path("cpu").path("time").asText(null));
            m.set("usage", usage(usage));
            items.add(m);
        }
        return answer(info, "NodeMetrics", "nodemetrics", items);
    }

    private ObjectNode podMetrics(RequestInfo info, Map<String, JsonNode> summaries, LabelSelector selector) {
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode summary : summaries.values()) {
            for (JsonNode p : summary.path("pods")) {
                String namespace = p.path("podRef").path("namespace").asText();
                String name = p.path("podRef").path("name").asText();
                if ((info.namespace() != null && !info.namespace().equals(namespace)) || (info.name() != null && !info.name().equals(name))) {
                    continue;
                }
                Optional<ObjectNode> pod = objects.get(podType, namespace, name);
                if (pod.isEmpty() || !pod.get().path("metadata").path("uid").asText().equals(p.path("podRef").path("uid").asText())
                        || !selector.matches(labels(pod.get()))) {
                    continue; // a sandbox of a pod the API no longer has, or a pod not asked for
                }
                ObjectNode m = item("PodMetrics", name, namespace, pod.get(), null);
                ArrayNode containers = m.putArray("containers");
                String time = null;
                for (JsonNode c : p.path("containers")) {
                    containers.addObject().put("name", c.path("name").asText()).set("usage", usage(c));
                    time = time == null ? c.path("cpu").path("time").asText(null) : time;
                }
                m.put("timestamp", time != null ? time : clock.instant().toString());
                items.add(m);
            }
        }
        return answer(info, "PodMetrics", "pods", items);
    }

    private ObjectNode answer(RequestInfo info, String kind, String resourceName, List<ObjectNode> items) {
        if (info.name() != null) {
            if (items.isEmpty()) {
                throw ApiException.notFound(GROUP, resourceName, info.name());
            }
            return items.get(0);
        }
        ObjectNode list = JSON.objectNode().put("kind", kind + "List").put("apiVersion", GROUP + "/v1beta1");
        list.putObject("metadata");
        ArrayNode out = list.putArray("items");
        items.stream().sorted(java.util.Comparator.comparing((ObjectNode o) -> o.path("metadata").path("namespace").asText())
                .thenComparing(o -> o.path("metadata").path("name").asText())).forEach(out::add);
        return list;
    }

    private ObjectNode item(String kind, String name, String namespace, ObjectNode source, String time) {
        ObjectNode m = JSON.objectNode().put("kind", kind).put("apiVersion", GROUP + "/v1beta1");
        ObjectNode meta = m.putObject("metadata").put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.put("creationTimestamp", clock.instant().toString());
        if (source.path("metadata").has("labels")) {
            meta.set("labels", source.path("metadata").get("labels"));
        }
        m.put("timestamp", time != null ? time : clock.instant().toString()).put("window", WINDOW);
        return m;
    }

    private static ObjectNode usage(JsonNode stats) {
        ObjectNode usage = JSON.objectNode();
        usage.put("cpu", stats.path("cpu").path("usageNanoCores").asLong() + "n");
        usage.put("memory", stats.path("memory").path("workingSetBytes").asLong() / 1024 + "Ki");
        return usage;
    }

    private static Map<String, String> labels(ObjectNode object) {
        Map<String, String> labels = new HashMap<>();
        object.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
