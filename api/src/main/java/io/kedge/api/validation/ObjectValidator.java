package io.kedge.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Checks an object (already defaulted) and returns every problem found; an empty list means valid. */
public interface ObjectValidator {
    List<FieldError> validateCreate(ObjectNode object);

    List<FieldError> validateUpdate(ObjectNode object, ObjectNode old);
}
