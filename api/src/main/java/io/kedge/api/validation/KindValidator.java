package io.kedge.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Metadata rules plus one kind's rules. */
final class KindValidator implements ObjectValidator {
    private final MetadataValidator metadata;
    private final KindRules rules;

    KindValidator(MetadataValidator metadata, KindRules rules) {
        this.metadata = metadata;
        this.rules = rules;
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode object) {
        requireObject(object, "object");
        ErrorCollector errs = new ErrorCollector();
        metadata.validateCreate(object, errs);
        rules.validate(object, errs);
        return errs.errors();
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        requireObject(object, "object");
        requireObject(old, "old object");
        ErrorCollector errs = new ErrorCollector();
        metadata.validateUpdate(object, old, errs);
        rules.validate(object, errs);
        rules.validateUpdate(object, old, errs);
        return errs.errors();
    }

    private static void requireObject(ObjectNode node, String what) {
        if (node == null) {
            throw new IllegalArgumentException("cannot validate: the " + what + " is null");
        }
    }
}
