package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Set;

/** One resource a server serves, as discovery describes it (top-level resources only, no subresources). */
record ApiResource(String group, String version, String plural, String kind, boolean namespaced, Set<String> verbs) {

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "deployments.apps", or "pods" for the core group: how upstream names a resource in messages. */
    String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    boolean supports(String verb) {
        return verbs.contains(verb);
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(namespaced).build();
    }

    /** The collection's URL path; {@code namespace} null means across all namespaces (or cluster-scoped). */
    String collectionPath(String namespace) {
        String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespaced && namespace != null ? root + "/namespaces/" + namespace + "/" + plural : root + "/" + plural;
    }

    String objectPath(String namespace, String name) {
        return collectionPath(namespace) + "/" + name;
    }
}
