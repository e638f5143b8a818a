package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads the core/v1 objects a credential depends on (service accounts, pods, secrets, nodes). */
@FunctionalInterface
public interface ObjectLookup {
    /** The object, or empty; {@code namespace} is null for cluster-scoped resources. */
    Optional<JsonNode> find(String resource, String namespace, String name);
}
