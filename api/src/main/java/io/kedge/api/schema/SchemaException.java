package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A schema that cannot even be read: a keyword of the wrong JSON type, a broken regular expression. */
public final class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final transient JsonNode badValue;
    private final String detail;

    SchemaException(String path, JsonNode badValue, String detail) {
        super(path.isEmpty() ? detail : path + ": " + detail);
        this.path = path;
        this.badValue = badValue;
        this.detail = detail;
    }

    /** Where in the schema the problem is, e.g. {@code properties[spec].properties[replicas].minimum}. */
    public String path() {
        return path;
    }

    /** Without a bad value the schema is not wrong in one place but too large as a whole: forbidden. */
    SchemaError toError() {
        return badValue == null ? SchemaError.forbidden(path, detail) : SchemaError.invalid(path, badValue, detail);
    }
}
