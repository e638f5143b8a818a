package io.kedge.apiserver.authz;

import io.kedge.api.Json;
import io.kedge.apiserver.registry.Admission;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.registry.WriteOptions;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.ResourceCache;
import java.util.List;
import java.util.Optional;

/**
 * The server's authorization, wired: system:masters, then the node authorizer, then RBAC, all fed by
 * the watch caches; the admission checks that go with them; and the access reviews.
 */
public final class Authorization implements AutoCloseable {
    private final RbacPolicy policy = new RbacPolicy();
    private final NodeGraph graph = new NodeGraph();
    private final Authorizer authorizer;
    private final AccessReviews reviews;
    private ClusterRoleAggregator aggregator;

    private Authorization(ResourceTypes types, CacheHub hub) {
        policy.follow(hub, types);
        graph.follow(hub, types.find("", "v1", "pods").orElseThrow());
        ResourceType csrs = types.find("certificates.k8s.io", "v1", "certificatesigningrequests").orElseThrow();
        ResourceCache csrCache = hub.cacheFor(csrs);
        authorizer = Authorizer.chain(List.of(PrivilegedGroups.masters(),
                new NodeAuthorizer(graph, name -> requester(csrCache, csrs, name)), new RbacAuthorizer(policy)));
        reviews = new AccessReviews(authorizer, policy);
    }

    public static Authorization start(ResourceTypes types, CacheHub hub) {
        return new Authorization(types, hub);
    }

    private static Optional<String> requester(ResourceCache csrs, ResourceType t, String name) {
        CachedObject o = csrs.get(t.key(null, name));
        return o == null ? Optional.empty() : Optional.of(Json.trusted(o.json()).path("spec").path("username").asText(""));
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    public AccessReviews reviews() {
        return reviews;
    }

    /** NodeRestriction and the RBAC escalation check, for the registry's admission chain. */
    public List<Admission> admission() {
        return List.of(new NodeRestriction(), new EscalationCheck(authorizer, policy));
    }

    /** Starts aggregating ClusterRoles, writing as {@code writer}. */
    public void aggregateClusterRoles(ResourceTypes types, CacheHub hub, GenericRegistry registry, WriteOptions writer) {
        aggregator = new ClusterRoleAggregator(registry,
                types.find(RbacPolicy.GROUP, "v1", "clusterroles").orElseThrow(), writer);
        aggregator.follow(hub);
    }

    @Override
    public void close() {
        if (aggregator != null) {
            aggregator.close();
        }
    }
}
