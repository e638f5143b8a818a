package io.kedge.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kedge.api.patch.FieldStrategy;
import io.kedge.api.patch.PatchSchema;
import io.kedge.api.patch.PatchStrategy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListTypesTest {

    /** containers merge by name, finalizers merge as a set, tolerations are replaced. */
    private static final PatchSchema POD_SPEC = new PatchSchema() {
        @Override
        public FieldStrategy strategyOf(String field) {
            return switch (field) {
                case "containers" -> FieldStrategy.mergeByKey("name");
                case "finalizers" -> FieldStrategy.mergeAsSet();
                case "tolerations" -> new FieldStrategy(PatchStrategy.REPLACE, null);
                default -> FieldStrategy.DEFAULT;
            };
        }

        @Override
        public PatchSchema child(String field) {
            return field.equals("spec") ? this : PatchSchema.none();
        }
    };

    @Test
    void strategicMergeFactsBecomeListTypes() {
        ListTypes lists = ListTypes.fromPatchSchema(POD_SPEC);

        assertThat(lists.listTypeOf("containers")).isEqualTo(ListType.map("name"));
        assertThat(lists.listTypeOf("finalizers")).isEqualTo(ListType.SET);
        assertThat(lists.listTypeOf("tolerations")).isEqualTo(ListType.ATOMIC);
        assertThat(lists.listTypeOf("args")).isEqualTo(ListType.ATOMIC);
        assertThat(lists.child("spec").listTypeOf("containers")).isEqualTo(ListType.map("name"));
        assertThat(lists.child("metadata").listTypeOf("containers")).isEqualTo(ListType.ATOMIC);
    }

    @Test
    void pathTablesAnswerAtTheirDepthOnly() {
        ListTypes lists = ListTypes.byPath(Map.of("spec.containers", ListType.map("name")));

        assertThat(lists.child("spec").listTypeOf("containers")).isEqualTo(ListType.map("name"));
        assertThat(lists.listTypeOf("containers")).isEqualTo(ListType.ATOMIC);
        assertThat(lists.child("spec").child("containers").listTypeOf("containers")).isEqualTo(ListType.ATOMIC);
    }

    @Test
    void malformedDeclarationsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ListTypes.byPath(Map.of("spec..containers", ListType.SET)))
                .hasMessageContaining("\"spec..containers\"");
        assertThatThrownBy(() -> ListType.map())
                .hasMessage("a map list needs at least one key field");
        assertThatThrownBy(() -> ListType.map("port").withKeyDefault("protocol", TextNode.valueOf("TCP")))
                .hasMessageContaining("\"protocol\", which is not one of the key fields [port]");
    }
}
