package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GnosticEncoderTest {
    private static final int SCHEMA_DESCRIPTION = 4, SCHEMA_MAXIMUM = 7, SCHEMA_MAX_LENGTH = 11,
            SCHEMA_REQUIRED = 19, SCHEMA_ENUM = 20, SCHEMA_ADDITIONAL_PROPERTIES = 21;
    private static final int ADDITIONAL_BOOLEAN = 2, ANY_YAML = 2;

    @Test
    void schemaScalarsAndEnumsKeepTheirGnosticFields() {
        ProtoFields schema = ProtoFields.parse(GnosticEncoder.schema(ServedFixtures.json("""
                {"description": "d", "maximum": 2.5, "maxLength": 7, "required": ["a", "b"],
                 "enum": ["x", 1], "additionalProperties": false}
                """)).toByteArray());
        assertThat(schema.string(SCHEMA_DESCRIPTION)).isEqualTo("d");
        assertThat(schema.float64(SCHEMA_MAXIMUM)).isEqualTo(2.5);
        assertThat(schema.varint(SCHEMA_MAX_LENGTH)).isEqualTo(7);
        assertThat(schema.strings(SCHEMA_REQUIRED)).containsExactly("a", "b");
        assertThat(schema.messages(SCHEMA_ENUM)).extracting(any -> any.string(ANY_YAML)).containsExactly("\"x\"", "1");
        ProtoFields additional = schema.message(SCHEMA_ADDITIONAL_PROPERTIES);
        assertThat(additional.fieldNumbers()).containsExactly(ADDITIONAL_BOOLEAN);
        assertThat(additional.varint(ADDITIONAL_BOOLEAN)).isZero();
    }

    @Test
    void aParameterInAnUnknownPlaceIsRejected() {
        assertThatThrownBy(() -> GnosticEncoder.document(ServedFixtures.json("""
                {"swagger": "2.0", "paths": {"/x": {"get": {"parameters": [{"name": "p", "in": "cookie"}]}}}}
                """))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter p has an unknown location \"cookie\"");
    }

    @Test
    void aDocumentMustBeAnObject() {
        assertThatThrownBy(() -> GnosticEncoder.document(ServedFixtures.json("[]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
    }
}
