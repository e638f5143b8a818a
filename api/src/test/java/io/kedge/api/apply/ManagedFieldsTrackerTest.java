package io.kedge.api.apply;

import static io.kedge.api.apply.ApplyFixtures.DEPLOYMENT;
import static io.kedge.api.apply.ApplyFixtures.T1;
import static io.kedge.api.apply.ApplyFixtures.T2;
import static io.kedge.api.apply.ApplyFixtures.T3;
import static io.kedge.api.apply.ApplyFixtures.entryCount;
import static io.kedge.api.apply.ApplyFixtures.entryOf;
import static io.kedge.api.apply.ApplyFixtures.fieldsOf;
import static io.kedge.api.apply.ApplyFixtures.json;
import static io.kedge.api.apply.ApplyFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManagedFieldsTrackerTest {

    private static final String STORED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              uid: 7a1c
              resourceVersion: "12"
              generation: 1
              creationTimestamp: "2026-01-01T09:00:00Z"
              labels: {app: web}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - {name: a, image: "nginx:1"}
            status: {replicas: 2}
            """;

    private static ObjectNode create(String manager) {
        return ManagedFieldsTracker.update(null, yaml(STORED), manager, "Update", "apps/v1", DEPLOYMENT, T1);
    }

    private static ObjectNode write(ObjectNode old, ObjectNode updated, String manager, Instant at) {
        return ManagedFieldsTracker.update(old, updated, manager, "Update", "apps/v1", DEPLOYMENT, at);
    }

    @Test
    void aCreateOwnsEveryFieldButIdentityBookkeepingAndStatus() {
        ObjectNode obj = create("kubectl-create");

        JsonNode entry = entryOf(obj, "kubectl-create");
        assertThat(entry.path("operation").asText()).isEqualTo("Update");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(entry.path("fieldsV1")).isEqualTo(json("""
                {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                 "f:spec":{".":{},"f:replicas":{},"f:template":{".":{},"f:spec":{".":{},
                   "f:containers":{".":{},"k:{\\"name\\":\\"a\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"""));
    }

    @Test
    void anUpdateMovesTheFieldsItChangesToItsManagerAndLeavesTheRestWithTheirOwners() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode updated = stored.deepCopy();
        ((ObjectNode) updated.get("spec")).put("replicas", 5);

        write(stored, updated, "hpa", T2);

        assertThat(fieldsOf(updated, "hpa")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(entryOf(updated, "hpa").path("time").asText()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(fieldsOf(updated, "kubectl-create")).doesNotContain("f:replicas").contains("f:containers");
        assertThat(entryOf(updated, "kubectl-create").path("time").asText()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void consecutiveUpdatesBySameManagerMergeIntoOneEntryWithTheNewestTime() {
        ObjectNode v1 = create("kubectl-create");
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("spec")).put("replicas", 3);
        write(v1, v2, "hpa", T2);
        ObjectNode v3 = v2.deepCopy();
        ((ObjectNode) v3.get("spec")).put("paused", true);
        write(v2, v3, "hpa", T3);

        assertThat(entryCount(v3)).isEqualTo(2);
        assertThat(fieldsOf(v3, "hpa")).isEqualTo("{\"f:spec\":{\"f:paused\":{},\"f:replicas\":{}}}");
        assertThat(entryOf(v3, "hpa").path("time").asText()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    void aWriteThatChangesNothingLeavesTheEntriesAlone() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode same = stored.deepCopy();

        write(stored, same, "hpa", T2);

        assertThat(same).isEqualTo(stored);
    }

    @Test
    void removedFieldsLoseAllTheirOwners() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode updated = stored.deepCopy();
        ((ObjectNode) updated.get("metadata")).remove("labels");

        write(stored, updated, "kubectl-edit", T2);

        assertThat(fieldsOf(updated, "kubectl-create")).doesNotContain("f:labels");
        assertThat(updated.at("/metadata/managedFields").toString()).doesNotContain("kubectl-edit");
    }

    @Test
    void aStatusWriteIsRecordedUnderTheStatusSubresourceAndOwnsOnlyStatus() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode updated = stored.deepCopy();
        ((ObjectNode) updated.get("status")).put("readyReplicas", 2);
        ((ObjectNode) updated.get("metadata")).put("resourceVersion", "13");

        ManagedFieldsTracker.update(stored, updated, "kube-controller-manager", "Update", "apps/v1", "status",
                DEPLOYMENT, T2);

        JsonNode entry = entryOf(updated, "kube-controller-manager");
        assertThat(entry.path("subresource").asText()).isEqualTo("status");
        assertThat(entry.path("fieldsV1").toString()).isEqualTo("{\"f:status\":{\"f:readyReplicas\":{}}}");
    }

    @Test
    void managedFieldsSentWithAnUpdateReplaceTheStoredOnesUnlessUnreadable() {
        ObjectNode stored = create("kubectl-create");

        ObjectNode withoutTracking = ManagedFields.withoutManagedFields(stored);
        write(stored, withoutTracking, "kubectl-replace", T2);
        assertThat(entryOf(withoutTracking, "kubectl-create")).isNotNull();

        ObjectNode mangled = stored.deepCopy();
        ((ObjectNode) mangled.get("metadata")).putArray("managedFields").add("junk");
        write(stored, mangled, "kubectl-replace", T2);
        assertThat(entryOf(mangled, "kubectl-create")).isNotNull();

        ObjectNode edited = stored.deepCopy();
        ((ObjectNode) edited.at("/metadata/managedFields/0")).put("manager", "renamed");
        write(stored, edited, "kubectl-edit", T2);
        assertThat(entryOf(edited, "renamed")).isNotNull();
        assertThat(edited.at("/metadata/managedFields").toString()).doesNotContain("kubectl-create");
    }

    @Test
    void anEmptyListOrOneEmptyEntryResetsTheTracking() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode reset = stored.deepCopy();
        ((ObjectNode) reset.get("metadata")).putArray("managedFields").addObject();

        write(stored, reset, "kubectl-patch", T2);

        assertThat(reset.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void aStatusWriteIgnoresManagedFieldsInTheRequest() {
        ObjectNode stored = create("kubectl-create");
        ObjectNode updated = stored.deepCopy();
        ((ObjectNode) updated.get("metadata")).putArray("managedFields");
        ((ObjectNode) updated.get("status")).put("replicas", 3);

        ManagedFieldsTracker.update(stored, updated, "kcm", "Update", "apps/v1", "status", DEPLOYMENT, T2);

        assertThat(entryCount(updated)).isEqualTo(2);
        assertThat(fieldsOf(updated, "kubectl-create")).contains("f:spec");
    }

    @Test
    void moreThanTenUpdateManagersAreFoldedIntoAncientChanges() {
        ObjectNode obj = create("creator");
        for (int i = 0; i < 12; i++) {
            ObjectNode next = obj.deepCopy();
            ((ObjectNode) next.get("metadata").get("labels")).put("l" + i, "v");
            write(obj, next, "writer-" + i, T1.plusSeconds(60L * (i + 1)));
            obj = next;
        }

        assertThat(entryCount(obj)).isEqualTo(10);
        JsonNode bucket = entryOf(obj, "ancient-changes");
        assertThat(bucket.path("operation").asText()).isEqualTo("Update");
        assertThat(bucket.path("fieldsV1").toString()).contains("f:l0").contains("f:l1").contains("f:spec");
        assertThat(obj.at("/metadata/managedFields").toString()).doesNotContain("\"creator\"")
                .doesNotContain("\"writer-0\"").doesNotContain("\"writer-1\"").contains("\"writer-11\"");
    }

    @Test
    void onlyUpdateIsAnOrdinaryWriteOperation() {
        assertThatThrownBy(() -> ManagedFieldsTracker.update(null, yaml(STORED), "x", "Apply", "apps/v1",
                DEPLOYMENT, T1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ordinary writes record operation \"Update\", got \"Apply\"");
    }
}
