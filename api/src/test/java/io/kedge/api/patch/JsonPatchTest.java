package io.kedge.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** JSON written with single quotes, for readability. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static JsonNode apply(String target, String patch) {
        return JsonPatch.apply(json(target), json(patch));
    }

    private static PatchException failure(String target, String patch) {
        try {
            apply(target, patch);
        } catch (PatchException e) {
            return e;
        }
        throw new AssertionError("the patch applied, but should have failed");
    }

    // RFC 6902 appendix A examples.

    @Test
    void addsAnObjectMember() {
        assertThat(apply("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]"))
                .isEqualTo(json("{'baz':'qux','foo':'bar'}"));
    }

    @Test
    void addsAnArrayElementBeforeTheIndex() {
        assertThat(apply("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]"))
                .isEqualTo(json("{'foo':['bar','qux','baz']}"));
    }

    @Test
    void removesAnObjectMember() {
        assertThat(apply("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]"))
                .isEqualTo(json("{'foo':'bar'}"));
    }

    @Test
    void removesAnArrayElement() {
        assertThat(apply("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]"))
                .isEqualTo(json("{'foo':['bar','baz']}"));
    }

    @Test
    void replacesAValue() {
        assertThat(apply("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]"))
                .isEqualTo(json("{'baz':'boo','foo':'bar'}"));
    }

    @Test
    void movesAValue() {
        assertThat(apply("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]"))
                .isEqualTo(json("{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"));
    }

    @Test
    void movesAnArrayElement() {
        assertThat(apply("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]"))
                .isEqualTo(json("{'foo':['all','cows','eat','grass']}"));
    }

    @Test
    void passingTestLeavesTheDocumentUnchanged() {
        assertThat(apply("{'baz':'qux','foo':['a',2,'c']}",
                "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]"))
                .isEqualTo(json("{'baz':'qux','foo':['a',2,'c']}"));
    }

    @Test
    void failingTestIsInvalidAndSaysWhatDiffered() {
        PatchException e = failure("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.INVALID);
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("test /baz").contains("\"qux\"").contains("\"bar\"");
    }

    @Test
    void addsANestedObject() {
        assertThat(apply("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]"))
                .isEqualTo(json("{'foo':'bar','child':{'grandchild':{}}}"));
    }

    @Test
    void ignoresUnknownMembersOfAnOperation() {
        assertThat(apply("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]"))
                .isEqualTo(json("{'foo':'bar','baz':'qux'}"));
    }

    @Test
    void addingUnderAMissingParentIsInvalid() {
        PatchException e = failure("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.INVALID);
        assertThat(e.getMessage()).contains("/baz/bat").contains("does not exist");
    }

    @Test
    void decodesTildeEscapesInPointers() {
        assertThat(apply("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10},{'op':'test','path':'/~1','value':9}]"))
                .isEqualTo(json("{'/':9,'~1':10}"));
    }

    @Test
    void stringDoesNotEqualNumberInTest() {
        assertThat(failure("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]").kind())
                .isEqualTo(PatchException.Kind.INVALID);
    }

    @Test
    void addingAnArrayAtTheEndAppendsItAsOneElement() {
        assertThat(apply("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]"))
                .isEqualTo(json("{'foo':['bar',['abc','def']]}"));
    }

    // Beyond the appendix.

    @Test
    void numbersEqualByValueInTest() {
        assertThat(apply("{'n':1}", "[{'op':'test','path':'/n','value':1.0}]")).isEqualTo(json("{'n':1}"));
    }

    @Test
    void objectsEqualRegardlessOfMemberOrderInTest() {
        assertThat(apply("{'o':{'a':1,'b':[1,2]}}", "[{'op':'test','path':'/o','value':{'b':[1,2],'a':1}}]"))
                .isEqualTo(json("{'o':{'a':1,'b':[1,2]}}"));
    }

    @Test
    void copyMakesAnIndependentValue() {
        assertThat(apply("{'a':{'x':1}}", "[{'op':'copy','from':'/a','path':'/b'},{'op':'add','path':'/b/y','value':2}]"))
                .isEqualTo(json("{'a':{'x':1},'b':{'x':1,'y':2}}"));
    }

    @Test
    void replacingTheRootReplacesTheDocument() {
        assertThat(apply("{'a':1}", "[{'op':'replace','path':'','value':[1,2]}]")).isEqualTo(json("[1,2]"));
    }

    @Test
    void replacingAMissingMemberIsInvalid() {
        assertThat(failure("{'a':1}", "[{'op':'replace','path':'/b','value':2}]").getMessage())
                .contains("path /b does not exist");
    }

    @Test
    void indexPastTheEndIsInvalid() {
        PatchException e = failure("{'a':[1,2]}", "[{'op':'add','path':'/a/3','value':0}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.INVALID);
        assertThat(e.getMessage()).contains("index 3 is out of bounds for an array of 2 elements");
    }

    @Test
    void dashOnlyWorksForAdd() {
        assertThat(failure("{'a':[1]}", "[{'op':'remove','path':'/a/-'}]").getMessage()).contains("only \"add\"");
    }

    @Test
    void leadingZeroIsNotAnArrayIndex() {
        assertThat(failure("{'a':[1,2]}", "[{'op':'remove','path':'/a/01'}]").getMessage())
                .contains("\"01\" is not an array index");
    }

    @Test
    void badTildeEscapeIsInvalid() {
        PatchException e = failure("{'a':1}", "[{'op':'remove','path':'/a~2'}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.INVALID);
        assertThat(e.getMessage()).contains("'~'");
    }

    @Test
    void pointerWithoutLeadingSlashIsInvalid() {
        assertThat(failure("{'a':1}", "[{'op':'remove','path':'a'}]").getMessage()).contains("start with '/'");
    }

    @Test
    void movingIntoItsOwnChildIsInvalid() {
        assertThat(failure("{'a':{'b':{}}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]").getMessage())
                .contains("into its own child");
    }

    @Test
    void removingTheRootIsInvalid() {
        assertThat(failure("{'a':1}", "[{'op':'remove','path':''}]").kind()).isEqualTo(PatchException.Kind.INVALID);
    }

    @Test
    void descendingIntoAPrimitiveIsInvalid() {
        assertThat(failure("{'a':1}", "[{'op':'add','path':'/a/b','value':1}]").getMessage())
                .contains("goes through a number");
    }

    @Test
    void patchThatIsNotAnArrayIsABadRequest() {
        PatchException e = failure("{}", "{'op':'add','path':'/a','value':1}");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).contains("must be an array of operations, got an object");
    }

    @Test
    void operationWithoutOpIsABadRequest() {
        PatchException e = failure("{}", "[{'path':'/a','value':1}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("operation 0").contains("no \"op\"");
    }

    @Test
    void unknownOpIsABadRequest() {
        assertThat(failure("{}", "[{'op':'merge','path':'/a'}]").getMessage()).contains("unknown op \"merge\"");
    }

    @Test
    void addWithoutValueIsABadRequestEvenIfValueWouldBeNull() {
        assertThat(failure("{}", "[{'op':'add','path':'/a'}]").getMessage()).contains("has no \"value\"");
        assertThat(apply("{}", "[{'op':'add','path':'/a','value':null}]")).isEqualTo(json("{'a':null}"));
    }

    @Test
    void moveWithoutFromIsABadRequest() {
        assertThat(failure("{'a':1}", "[{'op':'move','path':'/b'}]").kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
    }

    @Test
    void malformedLaterOperationStopsTheWholePatchBeforeAnythingApplies() {
        PatchException e = failure("{'a':1}", "[{'op':'remove','path':'/missing'},{'op':'bogus','path':'/a'}]");
        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("operation 1");
    }

    @Test
    void neverChangesItsInputs() {
        JsonNode target = json("{'a':{'b':[1,2]},'c':'d'}");
        JsonNode patch = json("[{'op':'add','path':'/a/b/-','value':{'x':1}},{'op':'remove','path':'/c'},"
                + "{'op':'move','from':'/a/b/0','path':'/z'},{'op':'add','path':'/a/b/1/y','value':2}]");
        JsonNode targetBefore = target.deepCopy();
        JsonNode patchBefore = patch.deepCopy();

        JsonNode result = JsonPatch.apply(target, patch);

        assertThat(result).isEqualTo(json("{'a':{'b':[2,{'x':1,'y':2}]},'z':1}"));
        assertThat(target).isEqualTo(targetBefore);
        assertThat(patch).isEqualTo(patchBefore);
    }

    @Test
    void failureHalfwayLeavesTheTargetUntouched() {
        JsonNode target = json("{'a':1}");
        assertThatThrownBy(() -> JsonPatch.apply(target, json("[{'op':'remove','path':'/a'},{'op':'test','path':'/a','value':1}]")))
                .isInstanceOf(PatchException.class);
        assertThat(target).isEqualTo(json("{'a':1}"));
    }

    @Test
    void convertsToAStatusErrorWithTheSameCodeAndReason() {
        var status = failure("{'a':1}", "[{'op':'test','path':'/a','value':2}]").toApiException();
        assertThat(status.code()).isEqualTo(422);
        assertThat(status.reason()).isEqualTo("Invalid");
    }
}
