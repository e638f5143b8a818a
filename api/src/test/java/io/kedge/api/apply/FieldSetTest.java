package io.kedge.api.apply;

import static io.kedge.api.apply.ApplyFixtures.DEPLOYMENT;
import static io.kedge.api.apply.ApplyFixtures.json;
import static io.kedge.api.apply.ApplyFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private static final String UPSTREAM_STYLE = """
            {"f:finalizers":{"v:\\"a/b\\"":{},"i:3":{}},
             "f:metadata":{"f:labels":{".":{},"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{
               "k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},
                 "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}""";

    @Test
    void fieldsV1RoundTripsByteForByteInUpstreamOrder() {
        FieldSet set = FieldSet.fromFieldsV1(json(UPSTREAM_STYLE));

        assertThat(set.toFieldsV1()).isEqualTo(json(UPSTREAM_STYLE));
        assertThat(set.toFieldsV1().toString()).isEqualTo(json(UPSTREAM_STYLE).toString());
        assertThat(FieldSet.fromFieldsV1(set.toFieldsV1())).isEqualTo(set);
    }

    @Test
    void fieldsV1MembersAreLeavesAndDotMarkedContainers() {
        FieldSet set = FieldSet.fromFieldsV1(json(UPSTREAM_STYLE));

        assertThat(set.contains(FieldPath.fields("metadata", "labels"))).isTrue();
        assertThat(set.contains(FieldPath.fields("metadata", "labels", "app"))).isTrue();
        assertThat(set.contains(FieldPath.fields("spec"))).isFalse();
        assertThat(set.contains(FieldPath.fields("spec", "replicas"))).isTrue();
        assertThat(set.paths()).extracting(FieldPath::toString).contains(
                ".spec.template.spec.containers[name=\"nginx\"]",
                ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]",
                ".finalizers[=\"a/b\"]",
                ".finalizers[3]");
        assertThat(set.size()).isEqualTo(10);
    }

    @Test
    void keyFieldOrderDoesNotMatterInAKeyElement() {
        FieldSet a = FieldSet.fromFieldsV1(json("{\"f:p\":{\"k:{\\\"protocol\\\":\\\"TCP\\\",\\\"port\\\":80}\":{}}}"));
        FieldSet b = FieldSet.fromFieldsV1(json("{\"f:p\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{}}}"));

        assertThat(a).isEqualTo(b);
        assertThat(a.toFieldsV1().toString()).isEqualTo("{\"f:p\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{}}}");
    }

    @Test
    void unknownElementPrefixesAreSkippedForForwardCompatibility() {
        FieldSet set = FieldSet.fromFieldsV1(json("{\"f:a\":{},\"x:future\":{},\"f:b\":{\"z:q\":{}}}"));

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactly(".a", ".b");
    }

    @Test
    void malformedFieldsV1IsRejectedWithTheOffendingMember() {
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{\"f:spec\":{\"f:replicas\":1}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fieldsV1 member \"f:replicas\" must be a JSON object, got number");
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{\"k:{name}\":{}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid fieldsV1 member \"k:{name}\": not valid JSON");
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{\"spec\":{}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid fieldsV1 member \"spec\"");
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("[]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fieldsV1 must be a JSON object, got array");
    }

    @Test
    void setOperationsWorkPathByPathNotBySubtree() {
        FieldPath spec = FieldPath.fields("spec");
        FieldPath replicas = FieldPath.fields("spec", "replicas");
        FieldPath paused = FieldPath.fields("spec", "paused");
        FieldSet a = FieldSet.of(spec, replicas);
        FieldSet b = FieldSet.of(replicas, paused);

        assertThat(a.union(b).paths()).containsExactly(spec, paused, replicas);
        assertThat(a.intersection(b).paths()).containsExactly(replicas);
        assertThat(a.difference(b).paths()).containsExactly(spec);
        assertThat(a.difference(FieldSet.of(spec)).paths()).containsExactly(replicas);
        assertThat(a.union(b).withoutSubtree(spec)).isEqualTo(FieldSet.empty());
        assertThat(a.union(b).onlySubtree(paused).paths()).containsExactly(paused);
        assertThat(b.hasPathsAtOrUnder(spec)).isTrue();
        assertThat(b.contains(spec)).isFalse();
    }

    @Test
    void objectFieldsFollowListTypesAndTreatUndeclaredListsAsAtomic() {
        FieldSet set = FieldSet.fromObject(yaml("""
                metadata:
                  labels: {app: web}
                  annotations: {}
                  finalizers: [a, b]
                spec:
                  replicas: 1
                  paused: null
                  template:
                    spec:
                      tolerations: [{key: k}]
                      containers:
                      - name: c
                        image: i
                        ports: [{containerPort: 80, protocol: TCP}]
                """), DEPLOYMENT);

        assertThat(set.toFieldsV1()).isEqualTo(json("""
                {"f:metadata":{"f:annotations":{},"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:labels":{"f:app":{}}},
                 "f:spec":{"f:paused":{},"f:replicas":{},"f:template":{"f:spec":{
                   "f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{},"f:name":{},
                     "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}},
                   "f:tolerations":{}}}}}"""));
    }

    @Test
    void aListThatDoesNotFitItsDeclaredShapeIsHandledAsAtomic() {
        FieldSet set = FieldSet.fromObject(yaml("""
                spec: {template: {spec: {containers: [{name: a}, {name: a}], initContainers: [{image: x}]}}}
                """), ListTypes.byPath(Map.of(
                "spec.template.spec.containers", ListType.map("name"),
                "spec.template.spec.initContainers", ListType.map("name"))));

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactly(
                ".spec.template.spec.containers", ".spec.template.spec.initContainers");
    }

    @Test
    void pathsPrintAsUpstreamConflictMessagesDo() {
        FieldPath p = FieldPath.fields("spec", "containers")
                .append(PathElement.key(JsonNodeFactory.instance.objectNode().put("name", "a\"b")))
                .append(PathElement.field("args"))
                .append(PathElement.value(JsonNodeFactory.instance.numberNode(2.0)))
                .append(PathElement.index(1));

        assertThat(p).hasToString(".spec.containers[name=\"a\\\"b\"].args[=2][1]");
    }
}
