package io.kedge.api.patch;

import static io.kedge.api.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergePatchTest {

    /** RFC 7386 appendix A: original | patch | result. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'a':'b'}               | {'a':'c'}              | {'a':'c'}",
        "{'a':'b'}               | {'b':'c'}              | {'a':'b','b':'c'}",
        "{'a':'b'}               | {'a':null}             | {}",
        "{'a':'b','b':'c'}       | {'a':null}             | {'b':'c'}",
        "{'a':['b']}             | {'a':'c'}              | {'a':'c'}",
        "{'a':'c'}               | {'a':['b']}            | {'a':['b']}",
        "{'a':{'b':'c'}}         | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
        "{'a':[{'b':'c'}]}       | {'a':[1]}              | {'a':[1]}",
        "['a','b']               | ['c','d']              | ['c','d']",
        "{'a':'b'}               | ['c']                  | ['c']",
        "{'a':'foo'}             | null                   | null",
        "{'a':'foo'}             | 'bar'                  | 'bar'",
        "{'e':null}              | {'a':1}                | {'e':null,'a':1}",
        "[1,2]                   | {'a':'b','c':null}     | {'a':'b'}",
        "{}                      | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
    })
    void appliesTheRfcExamples(String original, String patch, String expected) {
        assertThat(MergePatch.apply(json(original), json(patch))).isEqualTo(json(expected));
    }

    @Test
    void neverChangesItsInputs() {
        JsonNode original = json("{'a':{'b':1,'c':[1]},'d':2}");
        JsonNode patch = json("{'a':{'b':null,'e':{'f':1}},'g':[{'h':1}]}");
        JsonNode originalBefore = original.deepCopy();
        JsonNode patchBefore = patch.deepCopy();

        JsonNode result = MergePatch.apply(original, patch);
        ((ObjectNode) result.get("a").get("e")).put("changed", true);
        ((ArrayNode) result.get("a").get("c")).add(2);

        assertThat(original).isEqualTo(originalBefore);
        assertThat(patch).isEqualTo(patchBefore);
    }

    @Test
    void createsADiffThatRoundTrips() {
        JsonNode from = json("{'a':1,'b':{'c':2,'d':3},'e':[1,2],'f':'gone'}");
        JsonNode to = json("{'a':1,'b':{'c':2,'d':4,'x':{'y':1}},'e':[1,2,3],'g':true}");

        JsonNode patch = MergePatch.create(from, to);

        assertThat(patch).isEqualTo(json("{'b':{'d':4,'x':{'y':1}},'e':[1,2,3],'f':null,'g':true}"));
        assertThat(MergePatch.apply(from, patch)).isEqualTo(to);
    }

    @Test
    void diffOfEqualDocumentsIsEmpty() {
        assertThat(MergePatch.create(json("{'a':{'b':[1]}}"), json("{'a':{'b':[1]}}"))).isEqualTo(json("{}"));
    }

    @Test
    void diffToANonObjectIsTheWholeTarget() {
        assertThat(MergePatch.create(json("{'a':1}"), json("[1]"))).isEqualTo(json("[1]"));
    }

    @Test
    void diffReplacesAnObjectThatBecameAPrimitive() {
        assertThat(MergePatch.create(json("{'a':{'b':1}}"), json("{'a':2}"))).isEqualTo(json("{'a':2}"));
    }
}
