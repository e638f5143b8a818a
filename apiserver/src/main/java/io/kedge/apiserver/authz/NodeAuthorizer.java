package io.kedge.apiserver.authz;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.BiPredicate;

/**
 * What a node may do: exactly what its own pods and its own Node need, and nothing of any other
 * node. Stricter than upstream: object-scoped reads (secrets, config maps, claims, service accounts)
 * follow the pods bound to the node, and lists of pods or nodes must be narrowed to the node by a
 * field selector. For anything else it has no opinion, so RBAC decides.
 */
public final class NodeAuthorizer implements Authorizer {
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> WRITE_EVENT = Set.of("create", "update", "patch");

    private final NodeGraph graph;
    private final Function<String, Optional<String>> csrRequester;

    /** @param csrRequester a CertificateSigningRequest's {@code spec.username}, by name */
    public NodeAuthorizer(NodeGraph graph, Function<String, Optional<String>> csrRequester) {
        this.graph = graph;
        this.csrRequester = csrRequester;
    }

    @Override
    public Decision authorize(Attributes a) {
        Optional<String> node = NodeIdentity.nodeName(a.user());
        if (node.isEmpty() || !a.resourceRequest()) {
            return Decision.noOpinion();
        }
        String n = node.get();
        return switch (a.apiGroup() + "/" + a.resource()) {
            case "/pods" -> pods(n, a);
            case "/nodes" -> nodes(n, a);
            case "/secrets" -> referenced(n, a, (p, one) -> p.secrets().contains(one.name()));
            case "/configmaps" -> referenced(n, a, (p, one) -> p.configMaps().contains(one.name()));
            case "/persistentvolumeclaims" -> referenced(n, a, (p, one) -> p.claims().contains(one.name()));
            case "/serviceaccounts" -> serviceAccounts(n, a);
            case "/events", "events.k8s.io/events" ->
                    a.subresource().isEmpty() && WRITE_EVENT.contains(a.verb()) ? allow() : Decision.noOpinion();
            case "/services", "/endpoints", "discovery.k8s.io/endpointslices" ->
                    a.subresource().isEmpty() && READ.contains(a.verb()) ? allow() : Decision.noOpinion();
            case "coordination.k8s.io/leases" -> lease(n, a);
            case "certificates.k8s.io/certificatesigningrequests" -> csr(a);
            default -> Decision.noOpinion();
        };
    }

    private Decision pods(String node, Attributes a) {
        String sub = a.subresource();
        if (sub.isEmpty()) {
            switch (a.verb()) {
                case "list", "watch" -> {
                    return node.equals(a.fieldSelector().requiredValue("spec.nodeName").orElse(null)) ? allow()
                            : Decision.noOpinion("can only list/watch pods with spec.nodeName field selector");
                }
                // NodeRestriction admission makes sure it is a mirror pod bound to this node
                case "create" -> {
                    return allow();
                }
                case "get", "delete" -> {
                    return boundTo(node, a);
                }
                default -> {
                    return Decision.noOpinion();
                }
            }
        }
        if (sub.equals("status") && Set.of("get", "update", "patch").contains(a.verb())) {
            return boundTo(node, a);
        }
        return Decision.noOpinion();
    }

    private Decision boundTo(String node, Attributes a) {
        boolean bound = graph.pod(a.namespace(), a.name()).map(p -> p.nodeName().equals(node)).orElse(false);
        return bound ? allow() : noRelationship(node);
    }

    private Decision nodes(String node, Attributes a) {
        String sub = a.subresource();
        if (!sub.isEmpty() && !sub.equals("status")) {
            return Decision.noOpinion();
        }
        return switch (a.verb()) {
            case "list", "watch" -> sub.isEmpty() && node.equals(a.fieldSelector().requiredValue("metadata.name").orElse(null))
                    ? allow() : Decision.noOpinion("can only list/watch its own node with a metadata.name field selector");
            // the name is in the body; NodeRestriction admission checks it
            case "create" -> sub.isEmpty() ? allow() : Decision.noOpinion();
            case "get", "update", "patch" -> a.name().equals(node) ? allow() : noRelationship(node);
            default -> Decision.noOpinion();
        };
    }

    /**
     * A get of one object its pods refer to, or a list or watch narrowed to that one object by a
     * {@code metadata.name} field selector (how a kubelet watches what its pods use, as upstream's does).
     */
    private Decision referenced(String node, Attributes a, BiPredicate<PodReferences, Attributes> uses) {
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion();
        }
        String name;
        if (a.verb().equals("get")) {
            name = a.name();
        } else if (a.verb().equals("list") || a.verb().equals("watch")) {
            name = a.fieldSelector().requiredValue("metadata.name").orElse("");
        } else {
            return Decision.noOpinion();
        }
        if (name.isEmpty()) {
            return Decision.noOpinion();
        }
        Attributes one = Attributes.resource(a.user(), "get", a.apiGroup(), a.resource(), "", a.namespace(), name);
        return graph.anyPodOn(node, a.namespace(), p -> uses.test(p, one)) ? allow() : noRelationship(node);
    }

    private Decision serviceAccounts(String node, Attributes a) {
        boolean get = a.subresource().isEmpty() && a.verb().equals("get");
        boolean token = a.subresource().equals("token") && a.verb().equals("create");
        if ((!get && !token) || a.name().isEmpty()) {
            return Decision.noOpinion();
        }
        return graph.anyPodOn(node, a.namespace(), p -> p.serviceAccount().equals(a.name())) ? allow() : noRelationship(node);
    }

    private Decision lease(String node, Attributes a) {
        if (!a.namespace().equals(LEASE_NAMESPACE) || !a.subresource().isEmpty()) {
            return Decision.noOpinion();
        }
        return switch (a.verb()) {
            // NodeRestriction admission checks the lease's name
            case "create" -> allow();
            case "get", "update", "patch" -> a.name().equals(node) ? allow() : noRelationship(node);
            default -> Decision.noOpinion();
        };
    }

    private Decision csr(Attributes a) {
        if (!a.subresource().isEmpty()) {
            return Decision.noOpinion();
        }
        return switch (a.verb()) {
            case "create" -> allow();
            case "get" -> csrRequester.apply(a.name()).map(a.user().name()::equals).orElse(false) ? allow()
                    : Decision.noOpinion();
            default -> Decision.noOpinion();
        };
    }

    private static Decision allow() {
        return Decision.allow("");
    }

    private static Decision noRelationship(String node) {
        return Decision.noOpinion("no relationship found between node '" + node + "' and this object");
    }
}
