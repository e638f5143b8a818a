package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every deletable resource the collector has no informer for (custom resources, service
 * accounts, roles, leases, ...) into the graph. Watching all of them would cost one watch each for
 * resources that rarely carry ownerReferences; a periodic list finds their owners and dependents
 * with some delay instead, and an owner being deleted asks for a fresh sweep before it acts.
 */
final class GraphSweep {
    private static final Logger LOG = LoggerFactory.getLogger(GraphSweep.class);
    /** upstream's collector ignores events too: they never own anything and are many */
    private static final Set<String> IGNORED = Set.of(GraphNode.source("", "events"), GraphNode.source("events.k8s.io", "events"));

    private final ApiResourceCatalog catalog;
    private final GenericObjects objects;
    private final OwnerGraph graph;
    private final Set<String> informed;

    GraphSweep(ApiResourceCatalog catalog, GenericObjects objects, OwnerGraph graph, Set<String> informed) {
        this.catalog = catalog;
        this.objects = objects;
        this.graph = graph;
        this.informed = informed;
    }

    /** @return the uids that may need action after what the sweep found */
    Set<String> run() {
        ApiResourceCatalog.Snapshot discovery = catalog.fresh();
        Set<String> attention = new LinkedHashSet<>();
        Set<String> served = new HashSet<>();
        for (ApiResource r : discovery.preferred()) {
            String source = GraphNode.source(r.group(), r.plural());
            if (informed.contains(source) || IGNORED.contains(source) || !r.supports("list") || !r.supports("delete")) {
                continue;
            }
            served.add(source);
            List<GenericKubernetesResource> items;
            try {
                items = objects.list(r, null);
            } catch (KubernetesClientException e) {
                LOG.debug("garbage collector: cannot list {}: {}", r.groupResource(), e.getMessage());
                continue;
            }
            List<GraphNode> nodes = new ArrayList<>(items.size());
            for (GenericKubernetesResource o : items) {
                nodes.add(GraphNode.of(o, source));
            }
            attention.addAll(graph.replaceSource(source, nodes));
        }
        if (discovery.failures().isEmpty()) {
            for (String source : graph.sources()) {
                if (!informed.contains(source) && !served.contains(source)) {
                    // the resource is not served any more (its CRD went): its objects went with it
                    attention.addAll(graph.replaceSource(source, List.of()));
                }
            }
        }
        attention.addAll(graph.withUnknownOwners());
        return attention;
    }
}
