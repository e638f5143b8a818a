package io.kedge.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldErrorTest {
    private static final FieldPath P = FieldPath.ROOT.child("spec", "x");

    @Test
    void eachReasonMapsToItsKubernetesCauseReason() {
        assertThat(FieldError.required(P, "").causeReason()).isEqualTo("FieldValueRequired");
        assertThat(FieldError.invalid(P, "v", "bad").causeReason()).isEqualTo("FieldValueInvalid");
        assertThat(FieldError.duplicate(P, "v").causeReason()).isEqualTo("FieldValueDuplicate");
        assertThat(FieldError.notSupported(P, "v", List.of("a")).causeReason()).isEqualTo("FieldValueNotSupported");
        assertThat(FieldError.forbidden(P, "no").causeReason()).isEqualTo("FieldValueForbidden");
        assertThat(FieldError.tooLong(P, 10).causeReason()).isEqualTo("FieldValueTooLong");
        assertThat(FieldError.tooMany(P, 3, 2).causeReason()).isEqualTo("FieldValueTooMany");
        assertThat(FieldError.notFound(P, "v").causeReason()).isEqualTo("FieldValueNotFound");
        assertThat(FieldError.typeInvalid(P, "v", "integer").causeReason()).isEqualTo("FieldValueTypeInvalid");
    }

    @Test
    void messagesReadLikeKubernetesCauses() {
        assertThat(FieldError.required(P, "").message()).isEqualTo("Required value");
        assertThat(FieldError.required(P, "why").message()).isEqualTo("Required value: why");
        assertThat(FieldError.invalid(P, "Foo", "must be lower").message()).isEqualTo("Invalid value: \"Foo\": must be lower");
        assertThat(FieldError.invalid(P, 7, "too big").message()).isEqualTo("Invalid value: 7: too big");
        assertThat(FieldError.notSupported(P, "Sometimes", List.of("Always", "Never")).message())
                .isEqualTo("Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\"");
        assertThat(FieldError.duplicate(P, "app").message()).isEqualTo("Duplicate value: \"app\"");
        assertThat(FieldError.forbidden(P, "not allowed").message()).isEqualTo("Forbidden: not allowed");
        assertThat(FieldError.tooLong(P, 262144).message()).isEqualTo("Too long: may not be more than 262144 bytes");
        assertThat(FieldError.tooMany(P, 3, 2).message()).isEqualTo("Too many: 3: must have at most 2 items");
    }

    @Test
    void summaryPrefixesTheField() {
        assertThat(FieldError.required(P, "").summary()).isEqualTo("spec.x: Required value");
    }

    @Test
    void longValuesAreCutShort() {
        String huge = "x".repeat(5000);
        assertThat(FieldError.invalid(P, huge, "d").message()).hasSizeLessThan(300).contains("...");
    }

    @Test
    void nullPartsAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> new FieldError(null, FieldError.Reason.Invalid, "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }
}
