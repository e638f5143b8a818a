package io.kedge.api.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColumnDefinitionTest {
    @Test
    void theNameColumnCarriesTheNameFormat() {
        assertThat(ColumnDefinition.nameColumn()).extracting(ColumnDefinition::name, ColumnDefinition::type,
                ColumnDefinition::format, ColumnDefinition::priority).containsExactly("Name", "string", "name", 0);
    }

    @Test
    void wideColumnsHavePriorityOne() {
        assertThat(ColumnDefinition.string("IP", "d").wide().priority()).isEqualTo(1);
    }

    @Test
    void absentFormatAndDescriptionBecomeEmpty() {
        ColumnDefinition c = new ColumnDefinition("Age", "date", null, null, 0);
        assertThat(c.format()).isEmpty();
        assertThat(c.description()).isEmpty();
    }

    @Test
    void rejectsUnknownTypesBlankNamesAndNegativePriorities() {
        assertThatThrownBy(() -> new ColumnDefinition("Size", "quantity", "", "", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table column \"Size\" has type \"quantity\"; expected one of string, integer, number, boolean, date");
        assertThatThrownBy(() -> new ColumnDefinition(" ", "string", "", "", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a table column needs a non-blank name");
        assertThatThrownBy(() -> new ColumnDefinition("X", "string", "", "", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table column \"X\" has negative priority -1");
    }
}
