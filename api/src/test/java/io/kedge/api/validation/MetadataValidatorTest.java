package io.kedge.api.validation;

import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.FieldError.Reason.TooLong;
import static io.kedge.api.validation.FieldError.Reason.TypeInvalid;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata rules, through a kind with no rules of its own. */
class MetadataValidatorTest {
    private static List<FieldError> create(boolean namespaced, String text) {
        return BuiltinStrategies.validator("example.com", "Widget", namespaced).validateCreate(yaml(text));
    }

    private static List<FieldError> update(String now, String before) {
        return BuiltinStrategies.validator("example.com", "Widget", true).validateUpdate(yaml(now), yaml(before));
    }

    @Test
    void aWellFormedObjectHasNoErrors() {
        assertThat(create(true, """
                metadata:
                  name: a.b-c
                  namespace: default
                  labels: {app: web, kedge.io/unit: site-1}
                  annotations: {Example.com/Note: anything at all}
                  finalizers: [example.com/cleanup]
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: u1, controller: true}
                """)).isEmpty();
    }

    @Test
    void nameIsRequiredAndTellsAboutGenerateName() {
        FieldError e = assertOnly(create(true, "metadata: {namespace: default}"), "metadata.name", Required);
        assertThat(e.message()).isEqualTo("Required value: name or generateName is required");
    }

    @Test
    void nameMustMatchTheKindsRule() {
        assertOnly(create(true, "metadata: {name: Web_1, namespace: default}"), "metadata.name", Invalid);
        assertThat(BuiltinStrategies.validator("", "Namespace", false)
                .validateCreate(yaml("metadata: {name: a.b}"))).extracting(FieldError::field)
                .containsExactly("metadata.name");
    }

    @Test
    void generateNameIsCheckedAsAPrefix() {
        assertThat(create(true, "metadata: {generateName: web-, name: web-x7k2p, namespace: default}")).isEmpty();
        assertHas(create(true, "metadata: {generateName: Web-, name: web-x7k2p, namespace: default}"),
                "metadata.generateName", Invalid);
    }

    @Test
    void namespacedKindsNeedAValidNamespaceAndClusterKindsNone() {
        assertOnly(create(true, "metadata: {name: a}"), "metadata.namespace", Required);
        assertOnly(create(true, "metadata: {name: a, namespace: Bad.NS}"), "metadata.namespace", Invalid);
        FieldError e = assertOnly(create(false, "metadata: {name: a, namespace: default}"),
                "metadata.namespace", Forbidden);
        assertThat(e.message()).isEqualTo("Forbidden: not allowed on this type");
        assertThat(create(false, "metadata: {name: a}")).isEmpty();
    }

    @Test
    void labelKeysAndValuesAreChecked() {
        assertOnly(create(false, "metadata: {name: a, labels: {'bad key!': x}}"), "metadata.labels", Invalid);
        assertOnly(create(false, "metadata: {name: a, labels: {app: 'has space'}}"), "metadata.labels", Invalid);
        assertOnly(create(false, "metadata: {name: a, labels: {app: " + "v".repeat(64) + "}}"),
                "metadata.labels", Invalid);
        assertOnly(create(false, "metadata: {name: a, labels: {app: 5}}"), "metadata.labels[app]", TypeInvalid);
    }

    @Test
    void annotationKeysAreQualifiedAndTheirTotalIsCapped() {
        assertOnly(create(false, "metadata: {name: a, annotations: {'a/b/c': x}}"), "metadata.annotations", Invalid);
        ObjectNode o = yaml("metadata: {name: a, annotations: {}}");
        ((ObjectNode) o.get("metadata").get("annotations")).put("big", "x".repeat(256 * 1024));
        assertOnly(BuiltinStrategies.validator("example.com", "Widget", false).validateCreate(o),
                "metadata.annotations", TooLong);
    }

    @Test
    void ownerReferencesNeedTheirIdentityAndOneControllerAtMost() {
        assertHas(create(false, "metadata: {name: a, ownerReferences: [{kind: X, name: n, uid: u}]}"),
                "metadata.ownerReferences[0].apiVersion", Required);
        assertHas(create(false, "metadata: {name: a, ownerReferences: [{apiVersion: v1, kind: X, name: n}]}"),
                "metadata.ownerReferences[0].uid", Required);
        assertOnly(create(false, """
                metadata:
                  name: a
                  ownerReferences:
                  - {apiVersion: v1, kind: X, name: n, uid: u, controller: true}
                  - {apiVersion: v1, kind: Y, name: m, uid: v, controller: true}
                """), "metadata.ownerReferences", Invalid);
    }

    @Test
    void finalizersMustBeQualifiedNames() {
        assertOnly(create(false, "metadata: {name: a, finalizers: ['no good']}"), "metadata.finalizers", Invalid);
    }

    @Test
    void wrongJsonTypesAreReportedNotThrown() {
        assertOnly(create(false, "metadata: {name: 5}"), "metadata.name", TypeInvalid);
        assertOnly(create(false, "metadata: [1]"), "metadata", TypeInvalid).message();
        assertOnly(create(false, "metadata: {name: a, labels: [x]}"), "metadata.labels", TypeInvalid);
    }

    @Test
    void updatesMayNotChangeIdentity() {
        String before = "metadata: {name: a, namespace: ns, uid: u1, creationTimestamp: '2026-01-01T00:00:00Z'}";
        assertThat(update(before, before)).isEmpty();
        FieldError e = assertOnly(update("metadata: {name: b, namespace: ns, uid: u1}", before),
                "metadata.name", Invalid);
        assertThat(e.message()).endsWith("field is immutable");
        assertOnly(update("metadata: {name: a, namespace: other, uid: u1}", before), "metadata.namespace", Invalid);
        assertOnly(update("metadata: {name: a, namespace: ns, uid: u2}", before), "metadata.uid", Invalid);
        assertOnly(update("metadata: {name: a, namespace: ns, creationTimestamp: '2027-01-01T00:00:00Z'}", before),
                "metadata.creationTimestamp", Invalid);
    }

    @Test
    void updatesMayOmitUidAndCreationTimestamp() {
        assertThat(update("metadata: {name: a, namespace: ns}",
                "metadata: {name: a, namespace: ns, uid: u1, creationTimestamp: '2026-01-01T00:00:00Z'}")).isEmpty();
    }

    @Test
    void updatesStillCheckLabels() {
        assertOnly(update("metadata: {name: a, namespace: ns, labels: {'x y': z}}", "metadata: {name: a, namespace: ns}"),
                "metadata.labels", Invalid);
    }
}
