package io.kedge.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Carries server-owned values from the stored object into an incoming update before validation,
 * so a client that omits them (kubectl replace, a PUT of an edited manifest) does not fail or wipe them.
 */
@FunctionalInterface
public interface UpdatePreparer {
    UpdatePreparer NONE = (object, old) -> { };

    void apply(ObjectNode object, ObjectNode old);
}
