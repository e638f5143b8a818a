package io.kedge.api.validation;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class NodesTest {
    @Test
    void absentFieldsEqualZeroValuesAsAfterAGoRoundTrip() {
        assertThat(Nodes.sameContent(yaml("{a: 1, b: [], c: '', d: false, e: {}}"), yaml("{a: 1}"))).isTrue();
        assertThat(Nodes.sameContent(yaml("{a: 1}"), yaml("{a: 2}"))).isFalse();
        assertThat(Nodes.sameContent(yaml("{a: [1, 2]}"), yaml("{a: [2, 1]}"))).isFalse();
    }

    @Test
    void numbersCompareByValue() {
        ObjectNode a = yaml("{n: 30}");
        ObjectNode b = yaml("{}");
        b.put("n", 30L);
        assertThat(Nodes.sameContent(a, b)).isTrue();
    }

    @Test
    void defaultsFillOnlyUnsetFieldsAndLeaveWrongTypesAlone() {
        ObjectNode o = yaml("{a: '', b: x, c: 5, d: [1]}");
        Nodes.defaultText(o, "a", "A");
        Nodes.defaultText(o, "b", "B");
        Nodes.defaultInt(o, "c", 7);
        Nodes.defaultInt(o, "z", 7);
        assertThat(Nodes.ensureObject(o, "d")).isNull();
        assertThat(o.toString()).isEqualTo("{\"a\":\"A\",\"b\":\"x\",\"c\":5,\"d\":[1],\"z\":7}");
    }
}
