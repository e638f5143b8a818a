package io.kedge.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
    private static final Map<String, String> POD = Map.of(
            "metadata.name", "web-1", "metadata.namespace", "default", "status.phase", "Running", "spec.nodeName", "");

    @Test
    void equalsMatchesTheFieldValue() {
        assertThat(FieldSelector.parse("metadata.name=web-1").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("metadata.name==web-1").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("metadata.name=web-2").matches(POD::get)).isFalse();
    }

    @Test
    void notEqualsMatchesOtherValues() {
        assertThat(FieldSelector.parse("status.phase!=Succeeded").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(POD::get)).isFalse();
    }

    @Test
    void commaMeansAnd() {
        assertThat(FieldSelector.parse("metadata.namespace=default,status.phase=Running").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("metadata.namespace=default,status.phase=Failed").matches(POD::get)).isFalse();
    }

    @Test
    void emptyValueSelectsUnsetFields() {
        FieldSelector unscheduled = FieldSelector.parse("spec.nodeName=");

        assertThat(unscheduled.matches(POD::get)).isTrue();
        assertThat(unscheduled.matches(field -> null)).isTrue();
        assertThat(unscheduled.matches(Map.of("spec.nodeName", "n1")::get)).isFalse();
    }

    @Test
    void escapedCharactersBelongToTheValue() {
        FieldSelector selector = FieldSelector.parse("a=x\\,y\\=z\\\\,b!=c");

        assertThat(selector.requirements()).containsExactly(
                new FieldRequirement("a", FieldOperator.EQUALS, "x,y=z\\"),
                new FieldRequirement("b", FieldOperator.NOT_EQUALS, "c"));
        assertThat(selector.toString()).isEqualTo("a=x\\,y\\=z\\\\,b!=c");
        assertThat(FieldSelector.parse(selector.toString())).isEqualTo(selector);
    }

    @Test
    void canonicalFormSortsByField() {
        assertThat(FieldSelector.parse("status.phase==Running,metadata.name=a").toString())
                .isEqualTo("metadata.name=a,status.phase=Running");
    }

    @Test
    void emptySelectorAndEmptyTermsSelectEverything() {
        assertThat(FieldSelector.parse("").isEverything()).isTrue();
        assertThat(FieldSelector.parse(null).matches(f -> "x")).isTrue();
        assertThat(FieldSelector.parse("a=b,,").requirements()).hasSize(1);
    }

    @Test
    void exposesFieldsAndThePinnedValue() {
        FieldSelector selector = FieldSelector.parse("metadata.name=web-1,status.phase!=Failed");

        assertThat(selector.fields()).containsExactly("metadata.name", "status.phase");
        assertThat(selector.requiredValue("metadata.name")).hasValue("web-1");
        assertThat(selector.requiredValue("status.phase")).isEmpty();
    }

    @Test
    void unsupportedFieldIsABadRequestNamingIt() {
        FieldSelector selector = FieldSelector.parse("metadata.name=a,spec.color=blue");

        selector.requireSupported(Set.of("metadata.name", "spec.color"));
        assertThatThrownBy(() -> selector.requireSupported(List.of("metadata.name", "metadata.namespace")))
                .isInstanceOf(SelectorException.class)
                .hasMessage("field label not supported: spec.color");
    }

    @Test
    void termWithoutOperatorIsRejected() {
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name"))
                .isInstanceOf(SelectorException.class)
                .hasMessage("invalid field selector \"metadata.name\": \"metadata.name\" has no operator; "
                        + "expected field=value, field==value or field!=value");
    }

    @Test
    void termWithoutFieldIsRejected() {
        assertThatThrownBy(() -> FieldSelector.parse("a=b,=c")).hasMessageContaining("\"=c\" has no field name");
    }

    @Test
    void badEscapesAreRejected() {
        assertThatThrownBy(() -> FieldSelector.parse("a=b\\n")).hasMessageContaining("invalid escape sequence '\\n'");
        assertThatThrownBy(() -> FieldSelector.parse("a=b\\")).hasMessageContaining("lone '\\'");
        assertThatThrownBy(() -> FieldSelector.parse("a=b=c")).hasMessageContaining("unescaped '='");
    }
}
