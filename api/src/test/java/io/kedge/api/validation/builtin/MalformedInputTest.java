package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every node of a sample of each kind is replaced, in turn, by values of the wrong type; defaulting,
 * preparation and validation must report problems, never throw.
 */
class MalformedInputTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<JsonNode> WRONG = List.of(F.textNode("x"), F.textNode(""), F.numberNode(-5),
            F.numberNode(1.5), F.arrayNode(), F.objectNode(), F.nullNode(), F.booleanNode(true),
            F.arrayNode().add(F.textNode("x")).add(F.numberNode(1)));

    static Stream<Arguments> samples() {
        String template = """
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      hostNetwork: true
                      containers:
                      - name: app
                        image: web:1
                        ports: [{containerPort: 80, name: http, hostPort: 80}]
                        env: [{name: A, valueFrom: {fieldRef: {fieldPath: x}}}]
                        volumeMounts: [{name: v, mountPath: /v}]
                        livenessProbe: {httpGet: {port: 80}}
                        resources: {limits: {cpu: '1'}, requests: {memory: 1Gi}}
                      volumes: [{name: v, secret: {secretName: s, items: [{key: k, path: p}]}}]
                      tolerations: [{key: k, operator: Equal, value: v, effect: NoExecute, tolerationSeconds: 5}]
                """;
        String ns = "metadata: {name: x, namespace: d, uid: u, labels: {a: b}, ownerReferences: "
                + "[{apiVersion: v1, kind: K, name: n, uid: u, controller: true}]}\n";
        return Stream.of(
                Arguments.of("", "Pod", ns + "spec:\n" + template.substring(template.indexOf("    spec:") + 10)
                        .replaceAll("(?m)^      ", "  ")),
                Arguments.of("apps", "Deployment", ns + "spec:\n  selector: {matchLabels: {app: web}}\n"
                        + "  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}\n" + template),
                Arguments.of("apps", "StatefulSet", ns + "spec:\n  selector: {matchExpressions: [{key: app, "
                        + "operator: In, values: [web]}]}\n  volumeClaimTemplates: [{metadata: {name: d}}]\n" + template),
                Arguments.of("apps", "DaemonSet", ns + "spec:\n  selector: {matchLabels: {app: web}}\n" + template),
                Arguments.of("apps", "ReplicaSet", ns + "spec:\n  selector: {matchLabels: {app: web}}\n" + template),
                Arguments.of("batch", "Job", ns + "spec:\n  completionMode: Indexed\n  completions: 2\n" + template),
                Arguments.of("batch", "CronJob", ns + "spec:\n  schedule: '@every 1h'\n  timeZone: UTC\n"
                        + "  jobTemplate:\n    spec:\n" + template.indent(4)),
                Arguments.of("", "Service", ns + "spec: {type: NodePort, clusterIP: 10.0.0.1, selector: {a: b}, "
                        + "ports: [{port: 80, targetPort: http, nodePort: 30000}], sessionAffinity: ClientIP, "
                        + "externalIPs: [1.2.3.4], ipFamilies: [IPv4]}"),
                Arguments.of("", "ConfigMap", ns + "data: {a: b}\nbinaryData: {c: ZA==}\nimmutable: true"),
                Arguments.of("", "Secret", ns + "type: kubernetes.io/tls\ndata: {tls.crt: ZA==, tls.key: ZA==}\n"
                        + "stringData: {x: y}\nimmutable: true"),
                Arguments.of("", "Namespace", "metadata: {name: n}\nspec: {finalizers: [kubernetes]}"),
                Arguments.of("", "Node", "metadata: {name: n}\nspec: {taints: [{key: a, effect: NoSchedule}], "
                        + "podCIDRs: [10.0.0.0/24]}\nstatus: {capacity: {cpu: '1'}}"),
                Arguments.of("", "Endpoints", ns + "subsets: [{addresses: [{ip: 10.0.0.1, nodeName: n}], "
                        + "ports: [{port: 80, name: a}]}]"),
                Arguments.of("discovery.k8s.io", "EndpointSlice", ns + "addressType: IPv4\nendpoints: "
                        + "[{addresses: [10.0.0.1], conditions: {ready: true}}]\nports: [{port: 80, name: a}]"),
                Arguments.of("", "Event", ns + "involvedObject: {namespace: d}\neventTime: t\ntype: Normal"),
                Arguments.of("events.k8s.io", "Event", ns + "regarding: {namespace: d}\nnote: n\naction: a"),
                Arguments.of("coordination.k8s.io", "Lease", ns + "spec: {leaseDurationSeconds: 5, renewTime: t}"),
                Arguments.of("policy", "PodDisruptionBudget", ns + "spec: {minAvailable: 1, selector: "
                        + "{matchLabels: {a: b}}}"),
                Arguments.of("rbac.authorization.k8s.io", "ClusterRole", "metadata: {name: r}\nrules: [{verbs: [get], "
                        + "apiGroups: [''], resources: [pods]}]\naggregationRule: {clusterRoleSelectors: [{}]}"),
                Arguments.of("rbac.authorization.k8s.io", "RoleBinding", ns + "roleRef: {kind: Role, name: r}\n"
                        + "subjects: [{kind: ServiceAccount, name: s}]"),
                Arguments.of("certificates.k8s.io", "CertificateSigningRequest", "metadata: {name: c}\n"
                        + "spec: {request: ZA==, signerName: a.b/c, usages: [any], expirationSeconds: 700}"),
                Arguments.of("apiextensions.k8s.io", "CustomResourceDefinition", "metadata: {name: ws.a.b}\n"
                        + "spec: {group: a.b, scope: Cluster, names: {plural: ws, kind: W}, versions: [{name: v1, "
                        + "served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]}"),
                Arguments.of("edge.kedge.io", "EdgeUnit", "metadata: {name: u}\nspec: {type: Edge, autonomy: 1h, "
                        + "labels: {a: b}, taints: [{key: a, effect: NoSchedule}]}"),
                Arguments.of("edge.kedge.io", "UnitDeployment", ns + "spec:\n  units: [a]\n  overrides: [{unit: a, "
                        + "images: [{container: app, image: i}], patches: [{op: add, path: /a, value: 1}]}]\n"
                        + "  template:\n    spec:\n      selector: {matchLabels: {app: web}}\n" + template.indent(4)));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("samples")
    void wrongTypesAnywhereNeverThrow(String group, String kind, String text) {
        ObjectNode sample = yaml(text);
        List<Consumer<JsonNode>> setters = new ArrayList<>();
        collectSetters(sample, setters);
        assertThat(setters).as("the sample must have parsed into a real tree").hasSizeGreaterThan(3);
        for (int i = 0; i < setters.size(); i++) {
            for (JsonNode wrong : WRONG) {
                ObjectNode broken = sample.deepCopy();
                List<Consumer<JsonNode>> brokenSetters = new ArrayList<>();
                collectSetters(broken, brokenSetters);
                brokenSetters.get(i).accept(wrong.deepCopy());
                ObjectNode old = sample.deepCopy();
                assertThatCode(() -> exercise(group, kind, broken, old))
                        .as("%s/%s with node %d replaced by %s: %s", group, kind, i, wrong, broken)
                        .doesNotThrowAnyException();
            }
        }
    }

    private static void exercise(String group, String kind, ObjectNode object, ObjectNode old) {
        BuiltinStrategies.defaulter(group, kind).apply(object);
        ObjectNode created = object.deepCopy();
        BuiltinStrategies.createPreparer(group, kind).apply(created);
        BuiltinStrategies.validator(group, kind, true).validateCreate(created);
        BuiltinStrategies.validator(group, kind, false).validateCreate(created);
        BuiltinStrategies.updatePreparer(group, kind).apply(object, old);
        BuiltinStrategies.validator(group, kind, true).validateUpdate(object, old);
        BuiltinStrategies.validator(group, kind, true).validateUpdate(old.deepCopy(), object);
    }

    /** One setter per node below the root, in document order. */
    private static void collectSetters(JsonNode node, List<Consumer<JsonNode>> out) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                out.add(v -> obj.set(name, v));
                collectSetters(obj.get(name), out);
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                int index = i;
                out.add(v -> arr.set(index, v));
                collectSetters(arr.get(i), out);
            }
        }
    }
}
