package io.kedge.api.validation;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ErrorCollectorTest {
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Test
    void typedReadsReportWrongTypesOnceAndReadThemAsAbsent() {
        ErrorCollector errs = new ErrorCollector();
        ObjectNode spec = yaml("{n: '3', big: 3000000000, f: 1.5, b: 'yes', s: 4, o: [], a: {}, ok: 7}");
        assertThat(errs.int32(spec, "n", SPEC)).isNull();
        assertThat(errs.int32(spec, "big", SPEC)).isNull();
        assertThat(errs.int64(spec, "big", SPEC)).isEqualTo(3000000000L);
        assertThat(errs.int64(spec, "f", SPEC)).isNull();
        assertThat(errs.bool(spec, "b", SPEC)).isNull();
        assertThat(errs.string(spec, "s", SPEC)).isNull();
        assertThat(errs.object(spec, "o", SPEC)).isNull();
        assertThat(errs.array(spec, "a", SPEC)).isNull();
        assertThat(errs.int32(spec, "ok", SPEC)).isEqualTo(7);
        assertThat(errs.errors()).extracting(FieldError::field)
                .containsExactly("spec.n", "spec.big", "spec.f", "spec.b", "spec.s", "spec.o", "spec.a");
        assertThat(errs.errors()).allMatch(e -> e.reason() == FieldError.Reason.TypeInvalid);
        assertThat(errs.errors().get(0).message()).isEqualTo("Invalid value: \"3\": must be of type int32");
    }

    @Test
    void nullReadsAsAbsent() {
        ErrorCollector errs = new ErrorCollector();
        assertThat(errs.string(yaml("{s: null}"), "s", SPEC)).isNull();
        assertThat(errs.requiredString(yaml("{s: null}"), "s", SPEC, "")).isNull();
        assertThat(errs.errors()).extracting(FieldError::reason).containsExactly(FieldError.Reason.Required);
    }

    @Test
    void listItemsCarryTheirOwnPaths() {
        ErrorCollector errs = new ErrorCollector();
        var items = errs.objects(yaml("{xs: [{a: 1}, 5, {b: 2}]}"), "xs", SPEC);
        assertThat(items).extracting(i -> i.path().toString()).containsExactly("spec.xs[0]", "spec.xs[2]");
        assertThat(errs.errors()).extracting(FieldError::field).containsExactly("spec.xs[1]");
    }
}
