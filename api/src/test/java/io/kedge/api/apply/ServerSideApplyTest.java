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
import io.kedge.api.ApiException;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {

    private static final String WEB = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labels: {app: web}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - name: a
                    image: nginx:1
            """;

    private static ObjectNode applied(ObjectNode live, String yaml, String manager, boolean force, java.time.Instant at) {
        ApplyResult r = ServerSideApply.apply(live, yaml(yaml), manager, force, DEPLOYMENT, at);
        assertThat(r.conflicts()).as("conflicts").isEmpty();
        return r.merged();
    }

    private static ObjectNode created() {
        return applied(null, WEB, "alice", false, T1);
    }

    @Test
    void firstApplyCreatesTheObjectWithAnApplyEntryOwningExactlyTheAppliedFields() {
        ObjectNode obj = created();

        JsonNode entry = entryOf(obj, "alice");
        assertThat(entryCount(obj)).isEqualTo(1);
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(entry.has("subresource")).isFalse();
        assertThat(entry.path("fieldsV1")).isEqualTo(json("""
                {"f:metadata":{"f:labels":{"f:app":{}}},
                 "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{
                   "k:{\\"name\\":\\"a\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}"""));
        ObjectNode withoutTracking = ManagedFields.withoutManagedFields(obj);
        assertThat(withoutTracking).isEqualTo(yaml(WEB));
    }

    @Test
    void applyingAgainWithoutAFieldRemovesItAndItsEmptiedParents() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default}
                spec:
                  template:
                    spec:
                      containers:
                      - name: a
                        image: nginx:1
                """, "alice", false, T2);

        assertThat(obj.path("spec").has("replicas")).isFalse();
        assertThat(obj.path("metadata").has("labels")).isFalse();
        assertThat(fieldsOf(obj, "alice")).doesNotContain("f:replicas").doesNotContain("f:labels");
        assertThat(entryOf(obj, "alice").path("time").asText()).isEqualTo("2026-01-01T11:00:00Z");
    }

    @Test
    void aDroppedFieldStaysWhenAnotherManagerAlsoOwnsIt() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 2}
                """, "bob", false, T2);
        obj = applied(obj, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: a, image: "nginx:1"}]}}}
                """, "alice", false, T3);

        assertThat(obj.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(fieldsOf(obj, "bob")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fieldsOf(obj, "alice")).doesNotContain("f:replicas");
    }

    @Test
    void twoAppliersSettingTheSameValueDoNotConflictAndBothOwnTheField() {
        ApplyResult r = ServerSideApply.apply(created(), yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 2}
                """), "bob", false, DEPLOYMENT, T2);

        assertThat(r.hasConflicts()).isFalse();
        assertThat(fieldsOf(r.merged(), "bob")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fieldsOf(r.merged(), "alice")).contains("f:replicas");
    }

    @Test
    void aDifferentValueForAFieldAnotherApplierOwnsIsAConflictNamingThatManager() {
        ObjectNode live = created();
        ApplyResult r = ServerSideApply.apply(live, yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 5}
                """), "bob", false, DEPLOYMENT, T2);

        assertThat(r.merged()).isNull();
        assertThat(r.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.manager()).isEqualTo("alice");
            assertThat(c.field()).isEqualTo(".spec.replicas");
            assertThat(c.message()).isEqualTo("conflict with \"alice\"");
        });
        assertThat(r.conflictMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
        ApiException e = r.toApiException();
        assertThat(e.code()).isEqualTo(409);
        assertThat(e.reason()).isEqualTo("Conflict");
        assertThat(e.causes()).containsExactly(
                new ApiException.Cause("FieldManagerConflict", "conflict with \"alice\"", ".spec.replicas"));
        assertThat(live.path("spec").path("replicas").asInt()).as("live untouched").isEqualTo(2);
    }

    @Test
    void forceMovesOwnershipOfTheConflictingFieldsToTheApplier() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 5}
                """, "bob", true, T2);

        assertThat(obj.path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(fieldsOf(obj, "bob")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fieldsOf(obj, "alice")).doesNotContain("f:replicas").contains("f:containers");
    }

    @Test
    void anEntryLeftWithNoFieldsIsDropped() {
        ObjectNode obj = applied(null, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {k: v}
                """, "alice", false, T1);
        obj = applied(obj, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {k: w}
                """, "bob", true, T2);

        assertThat(entryCount(obj)).isEqualTo(1);
        assertThat(entryOf(obj, "bob").path("operation").asText()).isEqualTo("Apply");
    }

    @Test
    void anApplyConflictsWithAnUpdateThatChangedTheFieldSinceAndNamesItsApiVersion() {
        ObjectNode live = created();
        ObjectNode scaled = live.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 4);
        ManagedFieldsTracker.update(live, scaled, "kubectl-scale", "Update", "apps/v1", "scale", DEPLOYMENT, T2);

        assertThat(fieldsOf(scaled, "kubectl-scale")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fieldsOf(scaled, "alice")).doesNotContain("f:replicas");

        ApplyResult r = ServerSideApply.apply(scaled, yaml(WEB.replace("replicas: 2", "replicas: 3")), "alice",
                false, DEPLOYMENT, T3);

        assertThat(r.conflictMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-scale\""
                + " with subresource \"scale\" using apps/v1: .spec.replicas");
        assertThat(r.conflicts()).singleElement()
                .satisfies(c -> assertThat(c.field()).isEqualTo(".spec.replicas"));
    }

    @Test
    void clientSideApplyConflictMessageMatchesUpstream() {
        ObjectNode live = yaml(WEB);
        ObjectNode after = live.deepCopy();
        ManagedFieldsTracker.update(null, after, "kubectl-client-side-apply", "Update", "apps/v1", DEPLOYMENT, T1);

        ApplyResult r = ServerSideApply.apply(after, yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 7}
                """), "helm", false, DEPLOYMENT, T2);

        assertThat(r.conflicts()).singleElement().satisfies(c ->
                assertThat(c.message() + ": " + c.field())
                        .isEqualTo("conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"));
    }

    @Test
    void listMapElementsMergeByKeyAndEachApplierOwnsItsOwnElements() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers:
                      - name: sidecar
                        image: envoy:1
                """, "bob", false, T2);

        assertThat(obj.at("/spec/template/spec/containers")).isEqualTo(json("""
                [{"name":"a","image":"nginx:1"},{"name":"sidecar","image":"envoy:1"}]"""));
        assertThat(fieldsOf(obj, "bob")).isEqualTo("""
                {"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"sidecar\\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""");
        assertThat(fieldsOf(obj, "alice")).contains("k:{\\\"name\\\":\\\"a\\\"}").doesNotContain("sidecar");

        obj = applied(obj, WEB.replace("nginx:1", "nginx:2"), "alice", false, T3);
        assertThat(obj.at("/spec/template/spec/containers")).isEqualTo(json("""
                [{"name":"a","image":"nginx:2"},{"name":"sidecar","image":"envoy:1"}]"""));

        obj = applied(obj, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: []}}}
                """, "bob", false, T3);
        assertThat(obj.at("/spec/template/spec/containers")).isEqualTo(json("""
                [{"name":"a","image":"nginx:2"}]"""));
    }

    @Test
    void aFieldInsideAnotherAppliersElementConflicts() {
        ApplyResult r = ServerSideApply.apply(created(), yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: a, image: "nginx:9"}]}}}
                """), "bob", false, DEPLOYMENT, T2);

        assertThat(r.conflicts()).extracting(Conflict::field)
                .containsExactly(".spec.template.spec.containers[name=\"a\"].image");
    }

    @Test
    void atomicListsAreReplacedWholeAndOwnedAsOneField() {
        ObjectNode obj = applied(null, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {tolerations: [{key: a}, {key: b}]}
                """, "alice", false, T1);
        ApplyResult r = ServerSideApply.apply(obj, yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {tolerations: [{key: c}]}
                """), "bob", true, ListTypes.none(), T2);

        assertThat(r.merged().at("/spec/tolerations")).isEqualTo(json("[{\"key\":\"c\"}]"));
        assertThat(fieldsOf(r.merged(), "bob")).isEqualTo("{\"f:spec\":{\"f:tolerations\":{}}}");
    }

    @Test
    void setsMergeByValue() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, finalizers: [x/one]}
                """, "bob", false, T2);
        obj = applied(obj, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, finalizers: [x/two]}
                """, "carol", false, T2);

        assertThat(obj.at("/metadata/finalizers")).isEqualTo(json("[\"x/one\",\"x/two\"]"));
        assertThat(fieldsOf(obj, "carol")).isEqualTo("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"x/two\\\"\":{}}}}");
    }

    @Test
    void aNullInTheConfigurationUnsetsTheFieldAndConflictsWhenAnotherManagerOwnsIt() {
        String unset = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: null}
                """;
        ApplyResult refused = ServerSideApply.apply(created(), yaml(unset), "bob", false, DEPLOYMENT, T2);
        assertThat(refused.conflicts()).extracting(Conflict::field).containsExactly(".spec.replicas");

        ObjectNode obj = applied(created(), unset, "bob", true, T2);
        assertThat(obj.path("spec").has("replicas")).isFalse();
        assertThat(fieldsOf(obj, "alice")).doesNotContain("f:replicas");
    }

    @Test
    void reapplyingTheSameConfigurationChangesNothingNotEvenTheTime() {
        ObjectNode first = created();
        ObjectNode again = applied(first, WEB, "alice", false, T3);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void statusInAConfigurationForTheMainResourceIsIgnored() {
        ObjectNode obj = applied(null, WEB + "status: {replicas: 9}\n", "alice", false, T1);

        assertThat(obj.has("status")).isFalse();
        assertThat(fieldsOf(obj, "alice")).doesNotContain("status");
    }

    @Test
    void anApplyToTheStatusSubresourceOwnsOnlyStatus() {
        ObjectNode live = created();
        ApplyResult r = ServerSideApply.apply(live, yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {sneaky: "1"}}
                spec: {replicas: 9}
                status: {readyReplicas: 2}
                """), "controller", false, DEPLOYMENT, T2, "status");

        ObjectNode obj = r.merged();
        assertThat(obj.at("/status/readyReplicas").asInt()).isEqualTo(2);
        assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(obj.at("/metadata/labels").has("sneaky")).isFalse();
        JsonNode entry = entryOf(obj, "controller");
        assertThat(entry.path("subresource").asText()).isEqualTo("status");
        assertThat(entry.path("fieldsV1").toString()).isEqualTo("{\"f:status\":{\"f:readyReplicas\":{}}}");
    }

    @Test
    void fieldsThatExistedBeforeTheFirstApplyAreCreditedToBeforeFirstApply() {
        ObjectNode untracked = yaml(WEB);

        ApplyResult r = ServerSideApply.apply(untracked, yaml(WEB.replace("replicas: 2", "replicas: 3")), "alice",
                false, DEPLOYMENT, T2);

        assertThat(r.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.manager()).isEqualTo("before-first-apply");
            assertThat(c.message()).isEqualTo("conflict with \"before-first-apply\" using apps/v1");
        });
        ObjectNode same = applied(untracked, WEB, "alice", false, T2);
        assertThat(fieldsOf(same, "before-first-apply")).contains("f:replicas");
        assertThat(entryOf(same, "before-first-apply").path("operation").asText()).isEqualTo("Update");
    }

    @Test
    void kubectlTakesOverFieldsStillMatchingItsClientSideLastAppliedAnnotation() {
        ObjectNode csa = yaml(WEB);
        ((ObjectNode) csa.get("metadata")).putObject("annotations")
                .put(ServerSideApply.LAST_APPLIED, yaml(WEB).toString());
        ManagedFieldsTracker.update(null, csa, FieldManagers.KUBECTL_CLIENT_SIDE_APPLY, "Update", "apps/v1",
                DEPLOYMENT, T1);
        String newConfig = WEB.replace("nginx:1", "nginx:2");

        ApplyResult other = ServerSideApply.apply(csa, yaml(newConfig), "helm", false, DEPLOYMENT, T2);
        assertThat(other.conflicts()).extracting(Conflict::field)
                .containsExactly(".spec.template.spec.containers[name=\"a\"].image");

        ApplyResult kubectl = ServerSideApply.apply(csa, yaml(newConfig), "kubectl", false, DEPLOYMENT, T2);
        assertThat(kubectl.hasConflicts()).isFalse();
        ObjectNode obj = kubectl.merged();
        assertThat(obj.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");
        assertThat(json(obj.at("/metadata/annotations").path(ServerSideApply.LAST_APPLIED).asText()))
                .isEqualTo(yaml(newConfig));
    }

    @Test
    void anApplyMustNameAFieldManager() {
        assertThatThrownBy(() -> ServerSideApply.apply(null, yaml(WEB), "", false, DEPLOYMENT, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
                            + "fieldManager: Required value: is required for apply patch");
                });
    }

    @Test
    void aConfigurationCarryingManagedFieldsIsRejected() {
        ObjectNode config = yaml(WEB);
        ((ObjectNode) config.get("metadata")).putArray("managedFields").addObject().put("manager", "x");

        assertThatThrownBy(() -> ServerSideApply.apply(null, config, "alice", false, DEPLOYMENT, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("metadata.managedFields must be nil");
                });
    }

    @Test
    void aConfigurationWithoutApiVersionOrKindIsRejected() {
        assertThatThrownBy(() -> ServerSideApply.apply(null, yaml("metadata: {name: x}"), "alice", false,
                DEPLOYMENT, T1))
                .isInstanceOf(ApiException.class)
                .hasMessage("an apply configuration must set apiVersion and kind as strings");
    }

    @Test
    void severalConflictsAreGroupedByManagerInTheMessage() {
        ObjectNode obj = applied(created(), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {tier: front}}
                """, "bob", false, T2);

        ApplyResult r = ServerSideApply.apply(obj, yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: other, tier: back}}
                spec: {replicas: 1}
                """), "carol", false, DEPLOYMENT, T3);

        assertThat(r.conflictMessage()).isEqualTo("""
                Apply failed with 3 conflicts: conflicts with "alice":
                - .metadata.labels.app
                - .spec.replicas
                conflicts with "bob":
                - .metadata.labels.tier""");
    }

    @Test
    void anElementLeavingOutADefaultedKeyFieldIsTheSameElementAsItsDefaultedLiveCopy() {
        String withPort = WEB.replace("image: nginx:1", "image: nginx:1\n        ports: [{containerPort: 80}]");
        ObjectNode obj = applied(null, withPort, "alice", false, T1);
        ((ObjectNode) obj.at("/spec/template/spec/containers/0/ports/0")).put("protocol", "TCP");

        obj = applied(obj, withPort.replace("containerPort: 80}", "containerPort: 80, name: http}"), "alice", false, T2);

        assertThat(obj.at("/spec/template/spec/containers/0/ports")).isEqualTo(json("""
                [{"containerPort":80,"protocol":"TCP","name":"http"}]"""));
        assertThat(fieldsOf(obj, "alice")).contains("k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}");
    }
}
