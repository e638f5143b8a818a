package io.kedge.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The rules of one kind beyond its metadata. */
public interface KindRules {
    KindRules NONE = (object, errs) -> { };

    /** Checks the object as it would be stored; runs on create and on update. */
    void validate(ObjectNode object, ErrorCollector errs);

    /** Checks what an update may not change; runs after {@link #validate} on updates. */
    default void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) { }
}
