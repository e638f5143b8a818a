package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;

/** Rejects fields the resource's schema does not know, when the request asked for Strict validation. */
public interface FieldCheck {
    void check(ResourceType t, ObjectNode obj, WriteOptions opts, boolean statusWrite);

    FieldCheck NONE = (t, obj, opts, statusWrite) -> { };
}
