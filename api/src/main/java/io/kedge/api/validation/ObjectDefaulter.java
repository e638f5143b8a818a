package io.kedge.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fills unset fields of an object with their defaults. Mutates in place; applying it twice changes nothing more. */
@FunctionalInterface
public interface ObjectDefaulter {
    ObjectDefaulter NONE = object -> { };

    void apply(ObjectNode object);
}
