package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.cronTab;
import static io.kedge.api.schema.SchemaFixtures.schema;
import static io.kedge.api.schema.SchemaFixtures.validCronTab;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The server caps JSON nesting near 1000, so a schema nests at most about 500 property levels and a
 * value about 1000; all of it must be processed on an ordinary thread stack.
 */
class DeepNestingTest {
    private static final int DEPTH = 990;
    private static final int SCHEMA_DEPTH = 495;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Runs on a thread with a 1 MiB stack, the JVM's usual default, so a stack overflow shows here. */
    private static void onOrdinaryStack(Runnable work) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "deep-nesting", 1 << 20);
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
    }

    private static JsonNode nestedSchema(int depth) {
        JsonNode schemaJson = JSON.objectNode().put("type", "integer").put("minimum", 1).put("default", 5);
        for (int i = 0; i < depth; i++) {
            ObjectNode level = JSON.objectNode().put("type", "object");
            level.putObject("properties").set("a", schemaJson);
            schemaJson = level;
        }
        return schemaJson;
    }

    @Test
    void schemaAndObjectNestedToTheLimitAreProcessed() throws InterruptedException {
        JsonNode finalSchema = nestedSchema(SCHEMA_DEPTH);
        ObjectNode deepest = JSON.objectNode().put("junk", true);
        ObjectNode root = deepest;
        for (int i = 1; i < SCHEMA_DEPTH; i++) {
            ObjectNode parent = JSON.objectNode();
            parent.set("a", root);
            root = parent;
        }
        ObjectNode object = root;

        onOrdinaryStack(() -> {
            assertThat(StructuralSchema.validateSchema(finalSchema)).isEmpty();
            StructuralSchema schema = StructuralSchema.parse(finalSchema);
            String deepPath = String.join(".", Collections.nCopies(SCHEMA_DEPTH - 1, "a"));

            assertThat(schema.prune(object).prunedPaths()).containsExactly(deepPath + ".junk");
            schema.applyDefaults(object);
            assertThat(deepest.path("a").intValue()).isEqualTo(5);
            deepest.put("a", 0);
            assertThat(schema.validate(object)).extracting(SchemaError::field).containsExactly(deepPath + ".a");
        });
    }

    @Test
    void schemaDeeperThanAnyRequestCouldCarryIsRefusedWithAClearError() {
        JsonNode tooDeep = nestedSchema(SchemaNode.MAX_DEPTH + 1);

        assertThatThrownBy(() -> StructuralSchema.parse(tooDeep))
                .isInstanceOf(SchemaException.class)
                .hasMessageEndingWith("must not nest schemas more than 600 levels deep");
        assertThat(StructuralSchema.validateSchema(tooDeep)).extracting(SchemaError::message)
                .containsExactly("Forbidden: must not nest schemas more than 600 levels deep");
    }

    @Test
    void deepDataUnderPreservedOrUndeclaredFieldsIsProcessed() throws InterruptedException {
        ObjectNode cron = validCronTab();
        ObjectNode spec = (ObjectNode) cron.get("spec");
        spec.set("config", nestedObjects(DEPTH));
        spec.set("extra", nestedObjects(DEPTH));
        StructuralSchema arrays = schema("type: object\nproperties: {list: {type: array, items: {type: array}}}");
        ObjectNode withArrays = JSON.objectNode();
        withArrays.putArray("list").add(nestedArrays(DEPTH));

        onOrdinaryStack(() -> {
            StructuralSchema schema = cronTab();
            assertThat(schema.prune(cron).prunedPaths()).containsExactly("spec.extra");
            schema.applyDefaults(cron);
            assertThat(schema.validate(cron)).isEmpty();
            assertThat(arrays.prune(withArrays).prunedPaths()).hasSize(1);
            assertThat(arrays.validate(withArrays)).isEmpty();
        });
    }

    private static ObjectNode nestedObjects(int depth) {
        ObjectNode root = JSON.objectNode().put("leaf", 1);
        for (int i = 1; i < depth; i++) {
            ObjectNode parent = JSON.objectNode();
            parent.set("n", root);
            root = parent;
        }
        return root;
    }

    private static ArrayNode nestedArrays(int depth) {
        ArrayNode root = JSON.arrayNode();
        root.addObject().put("x", 1);
        for (int i = 1; i < depth; i++) {
            ArrayNode parent = JSON.arrayNode();
            parent.add(root);
            root = parent;
        }
        return root;
    }
}
