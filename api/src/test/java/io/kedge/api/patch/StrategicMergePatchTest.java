package io.kedge.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final PatchSchema DEPLOYMENT = BuiltinPatchSchemas.forKind("apps/v1", "Deployment");
    private static final PatchSchema POD = BuiltinPatchSchemas.forKind("v1", "Pod");

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static JsonNode podSpec(JsonNode deployment) {
        return deployment.at("/spec/template/spec");
    }

    private static final String TWO_CONTAINER_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.24
                    ports: [{containerPort: 80, protocol: TCP}]
                    env: [{name: A, value: "1"}, {name: B, value: "2"}]
                  - name: sidecar
                    image: busybox
                  tolerations:
                  - {key: a, operator: Exists}
                  - {key: b, operator: Exists}
            """;

    @Test
    void patchingOneContainersImageKeepsTheOtherContainer() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec:
                  template:
                    spec:
                      containers:
                      - {name: sidecar, image: busybox:1.36}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("containers")).isEqualTo(yaml("""
                - name: web
                  image: nginx:1.24
                  ports: [{containerPort: 80, protocol: TCP}]
                  env: [{name: A, value: "1"}, {name: B, value: "2"}]
                - {name: sidecar, image: busybox:1.36}
                """));
        assertThat(result.at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void newContainerIsAppended() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {containers: [{name: log, image: tail}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("containers")).extracting(c -> c.get("name").asText())
                .containsExactly("web", "sidecar", "log");
    }

    @Test
    void deleteDirectiveRemovesTheContainerWithThatName() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {containers: [{name: web, $patch: delete}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("containers")).isEqualTo(yaml("[{name: sidecar, image: busybox}]"));
    }

    @Test
    void setElementOrderReordersWithoutOtherChanges() {
        JsonNode original = yaml("""
                spec: {containers: [{name: a, image: x}, {name: b, image: y}, {name: c, image: z}]}
                """);
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec:
                  $setElementOrder/containers: [{name: c}, {name: a}, {name: b}]
                """), POD);

        assertThat(result.at("/spec/containers")).isEqualTo(yaml("""
                [{name: c, image: z}, {name: a, image: x}, {name: b, image: y}]
                """));
    }

    @Test
    void setElementOrderPlacesANewElementWhereItSays() {
        JsonNode original = yaml("spec: {containers: [{name: a}, {name: b}]}");
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec:
                  $setElementOrder/containers: [{name: a}, {name: new}, {name: b}]
                  containers: [{name: new, image: n}]
                """), POD);

        assertThat(result.at("/spec/containers")).isEqualTo(yaml("[{name: a}, {name: new, image: n}, {name: b}]"));
    }

    @Test
    void setElementOrderKeepsElementsItDoesNotNameNextToTheirOriginalNeighbours() {
        JsonNode original = yaml("spec: {containers: [{name: a}, {name: injected}, {name: b}]}");
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec:
                  $setElementOrder/containers: [{name: a}, {name: b}]
                  containers: [{name: b, image: y}]
                """), POD);

        assertThat(result.at("/spec/containers")).isEqualTo(yaml("[{name: a}, {name: injected}, {name: b, image: y}]"));
    }

    @Test
    void setElementOrderMustNameEveryElementThePatchSets() {
        PatchException e = catchThrowableOfType(PatchException.class, () -> StrategicMergePatch.apply(
                yaml("spec: {containers: [{name: a}]}"),
                yaml("spec: {$setElementOrder/containers: [{name: a}], containers: [{name: b}]}"), POD));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("spec.containers").contains("\"b\"");
    }

    @Test
    void finalizersMergeAsASet() {
        JsonNode result = StrategicMergePatch.apply(yaml("metadata: {finalizers: [a, b]}"),
                yaml("metadata: {finalizers: [b, c]}"), DEPLOYMENT);

        assertThat(result.at("/metadata/finalizers")).isEqualTo(yaml("[a, b, c]"));
    }

    @Test
    void deleteFromPrimitiveListRemovesFinalizers() {
        JsonNode result = StrategicMergePatch.apply(yaml("metadata: {finalizers: [a, b, c]}"),
                yaml("metadata: {$deleteFromPrimitiveList/finalizers: [b, c]}"), POD);

        assertThat(result.at("/metadata/finalizers")).isEqualTo(yaml("[a]"));
    }

    @Test
    void setElementOrderOrdersAPrimitiveSet() {
        JsonNode result = StrategicMergePatch.apply(yaml("metadata: {finalizers: [a, b, c]}"),
                yaml("metadata: {$setElementOrder/finalizers: [b, c, a]}"), POD);

        assertThat(result.at("/metadata/finalizers")).isEqualTo(yaml("[b, c, a]"));
    }

    @Test
    void retainKeysDropsRollingUpdateWhenSwitchingToRecreate() {
        JsonNode original = yaml("""
                spec:
                  replicas: 1
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}
                """);
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec:
                  strategy:
                    $retainKeys: [type]
                    type: Recreate
                """), DEPLOYMENT);

        assertThat(result.at("/spec/strategy")).isEqualTo(yaml("{type: Recreate}"));
        assertThat(result.at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void retainKeysMustNameEveryFieldThePatchSets() {
        PatchException e = catchThrowableOfType(PatchException.class, () -> StrategicMergePatch.apply(
                yaml("spec: {strategy: {type: RollingUpdate}}"),
                yaml("spec: {strategy: {$retainKeys: [type], type: Recreate, rollingUpdate: {maxSurge: 1}}}"),
                DEPLOYMENT));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.INVALID);
        assertThat(e.getMessage()).contains("spec.strategy").contains("rollingUpdate");
    }

    @Test
    void retainKeysInAVolumeDropsTheVolumeSourceItReplaces() {
        JsonNode original = yaml("""
                spec:
                  volumes:
                  - {name: config, configMap: {name: app}}
                  - {name: scratch, emptyDir: {}}
                """);
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec:
                  volumes:
                  - {name: config, $retainKeys: [name, secret], secret: {secretName: app}}
                """), POD);

        assertThat(result.at("/spec/volumes")).isEqualTo(yaml("""
                - {name: config, secret: {secretName: app}}
                - {name: scratch, emptyDir: {}}
                """));
    }

    @Test
    void envMergesByName() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {containers: [{name: web, env: [{name: B, value: "3"}, {name: C, value: "4"}]}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).at("/containers/0/env")).isEqualTo(yaml("""
                [{name: A, value: "1"}, {name: B, value: "3"}, {name: C, value: "4"}]
                """));
    }

    @Test
    void containerPortsMergeByNumericContainerPort() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {containers: [{name: web, ports: [{containerPort: 80, name: http}, {containerPort: 443}]}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).at("/containers/0/ports")).isEqualTo(yaml("""
                [{containerPort: 80, protocol: TCP, name: http}, {containerPort: 443}]
                """));
    }

    @Test
    void tolerationsAreReplacedWhole() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {tolerations: [{key: c, operator: Exists}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("tolerations")).isEqualTo(yaml("[{key: c, operator: Exists}]"));
    }

    @Test
    void elementOrderForAListThatIsReplacedLeavesItAlone() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {$setElementOrder/tolerations: [{key: b}, {key: a}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("tolerations")).isEqualTo(podSpec(yaml(TWO_CONTAINER_DEPLOYMENT)).get("tolerations"));
    }

    @Test
    void threeWayPatchFromKubectlApplyChangingOneOfTwoContainersKeepsTheOther() {
        JsonNode live = yaml(TWO_CONTAINER_DEPLOYMENT);
        JsonNode applyPatch = yaml("""
                metadata:
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment"}'
                spec:
                  template:
                    spec:
                      $setElementOrder/containers:
                      - name: web
                      - name: sidecar
                      containers:
                      - image: nginx:1.25
                        name: web
                """);

        JsonNode result = StrategicMergePatch.apply(live, applyPatch, DEPLOYMENT);

        assertThat(podSpec(result).get("containers")).extracting(c -> c.get("name").asText() + "=" + c.get("image").asText())
                .containsExactly("web=nginx:1.25", "sidecar=busybox");
        assertThat(podSpec(result).at("/containers/0/env").size()).isEqualTo(2);
        assertThat(result.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText())
                .isEqualTo("{\"kind\":\"Deployment\"}");
    }

    @Test
    void threeWayPatchRemovingAFieldSendsNull() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec:
                  template:
                    spec:
                      $setElementOrder/containers: [{name: web}, {name: sidecar}]
                      containers: [{name: web, ports: null}]
                """), DEPLOYMENT);

        assertThat(podSpec(result).at("/containers/0").has("ports")).isFalse();
        assertThat(podSpec(result).at("/containers/0/image").asText()).isEqualTo("nginx:1.24");
    }

    @Test
    void replaceDirectiveInAListReplacesTheList() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                spec: {template: {spec: {containers: [{name: only, image: x}, {$patch: replace}]}}}
                """), DEPLOYMENT);

        assertThat(podSpec(result).get("containers")).isEqualTo(yaml("[{name: only, image: x}]"));
    }

    @Test
    void replaceDirectiveOnAMapReplacesTheMap() {
        JsonNode result = StrategicMergePatch.apply(yaml("metadata: {labels: {a: '1', b: '2'}}"),
                yaml("metadata: {labels: {$patch: replace, c: '3'}}"), POD);

        assertThat(result.at("/metadata/labels")).isEqualTo(yaml("{c: '3'}"));
    }

    @Test
    void deleteDirectiveOnAMapRemovesIt() {
        JsonNode result = StrategicMergePatch.apply(
                yaml("spec: {strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}}"),
                yaml("spec: {strategy: {rollingUpdate: {$patch: delete}}}"), DEPLOYMENT);

        assertThat(result.at("/spec/strategy")).isEqualTo(yaml("{type: RollingUpdate}"));
    }

    @Test
    void nullDeletesAField() {
        JsonNode result = StrategicMergePatch.apply(yaml("metadata: {labels: {a: '1', b: '2'}}"),
                yaml("metadata: {labels: {a: null}}"), POD);

        assertThat(result.at("/metadata/labels")).isEqualTo(yaml("{b: '2'}"));
    }

    @Test
    void serviceAndStatusListsMergeByTheirKeys() {
        JsonNode service = StrategicMergePatch.apply(
                yaml("spec: {ports: [{port: 80, targetPort: 8080}, {port: 443}]}"),
                yaml("spec: {ports: [{port: 80, targetPort: 9090}]}"),
                BuiltinPatchSchemas.forKind("v1", "Service"));
        JsonNode pod = StrategicMergePatch.apply(
                yaml("status: {conditions: [{type: Ready, status: 'False'}, {type: PodScheduled, status: 'True'}]}"),
                yaml("status: {conditions: [{type: Ready, status: 'True'}]}"), POD);

        assertThat(service.at("/spec/ports")).isEqualTo(yaml("[{port: 80, targetPort: 9090}, {port: 443}]"));
        assertThat(pod.at("/status/conditions")).isEqualTo(
                yaml("[{type: Ready, status: 'True'}, {type: PodScheduled, status: 'True'}]"));
    }

    @Test
    void cronJobPodTemplateContainersMergeByName() {
        JsonNode original = yaml("""
                spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: x}, {name: b, image: y}]}}}}}
                """);
        JsonNode result = StrategicMergePatch.apply(original, yaml("""
                spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: b, image: z}]}}}}}
                """), BuiltinPatchSchemas.forKind("batch/v1", "CronJob"));

        assertThat(result.at("/spec/jobTemplate/spec/template/spec/containers")).isEqualTo(
                yaml("[{name: a, image: x}, {name: b, image: z}]"));
    }

    @Test
    void ownerReferencesMergeByUid() {
        JsonNode result = StrategicMergePatch.apply(
                yaml("metadata: {ownerReferences: [{uid: u1, name: a}]}"),
                yaml("metadata: {ownerReferences: [{uid: u2, name: b}, {uid: u1, controller: true}]}"), POD);

        assertThat(result.at("/metadata/ownerReferences")).isEqualTo(
                yaml("[{uid: u1, name: a, controller: true}, {uid: u2, name: b}]"));
    }

    @Test
    void mapDeclaredReplaceIsReplacedWhole() {
        JsonNode result = StrategicMergePatch.apply(
                yaml("spec: {selector: {matchLabels: {app: a}}}"),
                yaml("spec: {selector: {matchExpressions: [{key: app, operator: Exists}]}}"),
                BuiltinPatchSchemas.forKind("policy/v1", "PodDisruptionBudget"));

        assertThat(result.at("/spec/selector")).isEqualTo(yaml("{matchExpressions: [{key: app, operator: Exists}]}"));
    }

    @Test
    void withoutASchemaListsAreReplacedLikeAMergePatch() {
        JsonNode original = yaml("spec: {items: [{name: a}, {name: b}], keep: 1}");
        JsonNode patch = yaml("spec: {items: [{name: b, v: 2}]}");

        JsonNode result = StrategicMergePatch.apply(original, patch, PatchSchema.none());

        assertThat(result).isEqualTo(MergePatch.apply(original, patch));
    }

    @Test
    void directivesInAListTheOriginalLacksAreResolvedNotCopied() {
        JsonNode result = StrategicMergePatch.apply(yaml("spec: {containers: [{name: web}]}"), yaml("""
                spec:
                  containers:
                  - name: web
                    env: [{name: A, value: "1"}, {name: B, $patch: delete}]
                    resources: {$patch: replace, limits: {cpu: "1"}}
                """), POD);

        assertThat(result.at("/spec/containers")).isEqualTo(
                yaml("[{name: web, env: [{name: A, value: '1'}], resources: {limits: {cpu: '1'}}}]"));
    }

    @Test
    void resultNeverCarriesDirectives() {
        JsonNode result = StrategicMergePatch.apply(yaml(TWO_CONTAINER_DEPLOYMENT), yaml("""
                metadata:
                  $deleteFromPrimitiveList/finalizers: [x]
                  finalizers: [y]
                  $setElementOrder/finalizers: [y]
                spec:
                  strategy: {$retainKeys: [type], type: Recreate}
                  template:
                    metadata: {labels: {$patch: replace, app: web}}
                    spec:
                      $setElementOrder/containers: [{name: new}, {name: web}, {name: sidecar}]
                      containers:
                      - {name: new, $patch: merge, env: [{name: X, $patch: delete}], volumeMounts: [{mountPath: /a, $patch: merge}]}
                      - {name: web, env: [{name: A, $patch: delete}]}
                      volumes: [{name: v, $retainKeys: [name, emptyDir], emptyDir: {}}]
                """), DEPLOYMENT);

        assertThat(keysStartingWithDollar(result)).isEmpty();
        assertThat(podSpec(result).get("containers")).extracting(c -> c.get("name").asText())
                .containsExactly("new", "web", "sidecar");
    }

    private static List<String> keysStartingWithDollar(JsonNode node) {
        List<String> found = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().startsWith("$")) {
                    found.add(field.getKey());
                }
                found.addAll(keysStartingWithDollar(field.getValue()));
            }
        } else if (node.isArray()) {
            node.forEach(element -> found.addAll(keysStartingWithDollar(element)));
        }
        return found;
    }

    @Test
    void neverChangesItsInputs() {
        JsonNode original = yaml(TWO_CONTAINER_DEPLOYMENT);
        JsonNode patch = yaml("""
                spec:
                  template:
                    spec:
                      containers: [{name: web, image: v2, env: [{name: A, value: changed}]}, {name: added, image: n}]
                      tolerations: [{key: z}]
                """);
        JsonNode originalBefore = original.deepCopy();
        JsonNode patchBefore = patch.deepCopy();

        ObjectNode result = StrategicMergePatch.apply(original, patch, DEPLOYMENT);
        ((ObjectNode) result.at("/spec/template/spec/containers/1")).put("image", "mutated");
        ((ObjectNode) result.at("/spec/template/spec/tolerations/0")).put("key", "mutated");

        assertThat(original).isEqualTo(originalBefore);
        assertThat(patch).isEqualTo(patchBefore);
    }

    @Test
    void patchThatIsNotAnObjectIsABadRequest() {
        PatchException e = catchThrowableOfType(PatchException.class,
                () -> StrategicMergePatch.apply(yaml("{a: 1}"), yaml("[1]"), POD));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("must be a JSON object, got an array");
    }

    @Test
    void unknownPatchDirectiveIsABadRequest() {
        PatchException e = catchThrowableOfType(PatchException.class, () -> StrategicMergePatch.apply(
                yaml("metadata: {labels: {a: b}}"), yaml("metadata: {labels: {$patch: remove}}"), POD));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("metadata.labels").contains("\"remove\"");
    }

    @Test
    void listElementWithoutItsMergeKeyIsABadRequest() {
        PatchException e = catchThrowableOfType(PatchException.class, () -> StrategicMergePatch.apply(
                yaml(TWO_CONTAINER_DEPLOYMENT), yaml("spec: {template: {spec: {containers: [{image: x}]}}}"),
                DEPLOYMENT));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("spec.template.spec.containers").contains("merge key \"name\"");
    }

    @Test
    void objectsInAPrimitiveSetAreABadRequest() {
        PatchException e = catchThrowableOfType(PatchException.class, () -> StrategicMergePatch.apply(
                yaml("metadata: {finalizers: [a]}"), yaml("metadata: {finalizers: [{a: 1}]}"), POD));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("metadata.finalizers").contains("set of primitive values");
    }

    @Test
    void deletingTheWholeObjectIsABadRequest() {
        PatchException e = catchThrowableOfType(PatchException.class,
                () -> StrategicMergePatch.apply(yaml("{a: 1}"), yaml("{$patch: delete}"), POD));

        assertThat(e.kind()).isEqualTo(PatchException.Kind.BAD_REQUEST);
    }

    @Test
    void dollarKeysThatAreNotDirectivesAreData() {
        PatchSchema crd = BuiltinPatchSchemas.forKind("apiextensions.k8s.io/v1", "CustomResourceDefinition");
        JsonNode result = StrategicMergePatch.apply(yaml("spec: {schema: {type: object}}"),
                yaml("spec: {schema: {$ref: '#/definitions/x'}}"), crd);

        assertThat(result.at("/spec/schema")).isEqualTo(yaml("{type: object, $ref: '#/definitions/x'}"));
    }
}
