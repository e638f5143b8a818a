package io.kedge.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Test objects written as YAML, and assertions on field errors. */
public final class Trees {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Trees() {}

    public static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses, defaults and (for kinds that have one) runs the create preparation, as the server would. */
    public static ObjectNode stored(String group, String kind, String text) {
        ObjectNode o = yaml(text);
        BuiltinStrategies.defaulter(group, kind).apply(o);
        BuiltinStrategies.createPreparer(group, kind).apply(o);
        return o;
    }

    public static List<FieldError> create(String group, String kind, boolean namespaced, ObjectNode object) {
        return BuiltinStrategies.validator(group, kind, namespaced).validateCreate(object);
    }

    public static List<FieldError> update(String group, String kind, boolean namespaced, ObjectNode object,
                                          ObjectNode old) {
        BuiltinStrategies.defaulter(group, kind).apply(object);
        BuiltinStrategies.updatePreparer(group, kind).apply(object, old);
        return BuiltinStrategies.validator(group, kind, namespaced).validateUpdate(object, old);
    }

    public static void assertHas(List<FieldError> errors, String field, FieldError.Reason reason) {
        assertThat(errors).extracting(FieldError::field, FieldError::reason).contains(tuple(field, reason));
    }

    /** Exactly one error, on this field, for this reason. */
    public static FieldError assertOnly(List<FieldError> errors, String field, FieldError.Reason reason) {
        assertThat(errors).extracting(FieldError::field, FieldError::reason).containsExactly(tuple(field, reason));
        return errors.get(0);
    }
}
