package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
    private static final SchemaCatalog catalog = new SchemaCatalog();

    static {
        // definition(name) hands out what the catalog has built; these build the kinds the tests read
        catalog.definitionName("", "v1", "Pod");
        catalog.definitionName("apps", "v1", "Deployment");
        catalog.definitionName("coordination.k8s.io", "v1", "Lease");
    }

    private static JsonNode definition(String name) {
        return catalog.definition(name).orElseThrow(() -> new AssertionError("no definition " + name));
    }

    @Test
    void builtinKindsAreNamedLikeUpstream() {
        assertThat(catalog.definitionName("apps", "v1", "Deployment")).contains("io.k8s.api.apps.v1.Deployment");
        assertThat(catalog.definitionName("", "v1", "Pod")).contains("io.k8s.api.core.v1.Pod");
        assertThat(catalog.definitionName("batch", "v1", "CronJob")).contains("io.k8s.api.batch.v1.CronJob");
        assertThat(catalog.definitionName("coordination.k8s.io", "v1", "Lease"))
                .contains("io.k8s.api.coordination.v1.Lease");
        assertThat(catalog.definitionName("rbac.authorization.k8s.io", "v1", "ClusterRole"))
                .contains("io.k8s.api.rbac.v1.ClusterRole");
        assertThat(catalog.definitionName("apiextensions.k8s.io", "v1", "CustomResourceDefinition"))
                .contains("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
        assertThat(catalog.definitionName("authorization.k8s.io", "v1", "SelfSubjectAccessReview"))
                .contains("io.k8s.api.authorization.v1.SelfSubjectAccessReview");
        assertThat(catalog.definitionName("apps", "v1", "DeploymentList")).contains("io.k8s.api.apps.v1.DeploymentList");
    }

    @Test
    void unknownKindsAndWrongVersionsHaveNoDefinition() {
        assertThat(catalog.definitionName("apps", "v1", "Gadget")).isEmpty();
        assertThat(catalog.definitionName("apps", "v9", "Deployment")).isEmpty();
        assertThat(catalog.definitionName("batch", "v1", "Deployment")).isEmpty();
    }

    @Test
    void metaTypesLiveUnderApimachineryNames() {
        JsonNode deployment = definition("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.at("/properties/metadata/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(definition("io.k8s.api.apps.v1.DeploymentSpec").at("/properties/selector/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector");
        assertThat(definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").at("/properties/ownerReferences/items/$ref")
                .asText()).isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference");
    }

    @Test
    void topLevelKindsCarryTheirGroupVersionKindAndADescription() {
        JsonNode pod = definition("io.k8s.api.core.v1.Pod");
        assertThat(pod.get("x-kubernetes-group-version-kind"))
                .isEqualTo(ServedFixtures.json("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]"));
        assertThat(pod.get("description").asText()).contains("Pod");
        assertThat(definition("io.k8s.api.core.v1.PodSpec").has("x-kubernetes-group-version-kind")).isFalse();
    }

    @Test
    void fieldTypesFollowTheJavaModel() {
        JsonNode meta = definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties");
        assertThat(meta.get("creationTimestamp")).isEqualTo(Schemas.typed("string", "date-time"));
        assertThat(meta.get("generation")).isEqualTo(Schemas.typed("integer", "int64"));
        assertThat(meta.get("labels")).isEqualTo(Schemas.mapOf(Schemas.typed("string")));
        assertThat(meta.has("additionalProperties")).isFalse();
        JsonNode container = definition("io.k8s.api.core.v1.Container").get("properties");
        assertThat(container.at("/ports/items/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.ContainerPort");
        assertThat(container.at("/stdin/type").asText()).isEqualTo("boolean");
        JsonNode requirements = definition("io.k8s.api.core.v1.ResourceRequirements").get("properties");
        assertThat(requirements.at("/limits/additionalProperties/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity");
        JsonNode lease = definition("io.k8s.api.coordination.v1.LeaseSpec").get("properties");
        assertThat(lease.get("renewTime")).isEqualTo(Schemas.typed("string", "date-time"));
    }

    @Test
    void intOrStringAndQuantityAreScalarsOfEitherType() {
        JsonNode intOrString = definition("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.get("format").asText()).isEqualTo("int-or-string");
        assertThat(intOrString.get("oneOf")).hasSize(2);
        assertThat(definition("io.k8s.apimachinery.pkg.api.resource.Quantity").get("oneOf")).hasSize(2);
    }

    @Test
    void typesWithTheirOwnSerializerArePublishedFreeForm() {
        catalog.definitionName("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
        JsonNode orArray = definition("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray");
        assertThat(orArray.has("properties")).isFalse();
        assertThat(orArray.has("type")).isFalse();
        JsonNode props = definition("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps");
        assertThat(props.at("/properties/properties/additionalProperties/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps");
        assertThat(props.at("/properties/x-kubernetes-preserve-unknown-fields/type").asText()).isEqualTo("boolean");
    }

    @Test
    void patchStrategiesComeFromTheInjectedLookup() {
        PatchStrategies onlyVolumes = (definition, field) ->
                definition.equals("io.k8s.api.core.v1.PodSpec") && field.equals("volumes")
                        ? Optional.of(new PatchStrategies.Strategy("name", "merge,retainKeys")) : Optional.empty();
        SchemaCatalog custom = new SchemaCatalog(onlyVolumes);
        custom.definitionName("", "v1", "Pod");
        JsonNode podSpec = custom.definition("io.k8s.api.core.v1.PodSpec").orElseThrow().get("properties");
        assertThat(podSpec.at("/volumes/x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(podSpec.at("/volumes/x-kubernetes-patch-strategy").asText()).isEqualTo("merge,retainKeys");
        assertThat(podSpec.get("containers").has("x-kubernetes-patch-merge-key")).isFalse();
    }

    @Test
    void definitionsNotYetBuiltAreNotFound() {
        assertThat(new SchemaCatalog().definition("io.k8s.api.apps.v1.Deployment")).isEmpty();
        assertThat(new SchemaCatalog().definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isPresent();
    }

    @Test
    void definitionsAreHandedOutAsCopies() {
        ObjectNode copy = catalog.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").orElseThrow();
        copy.removeAll();
        assertThat(definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").has("properties")).isTrue();
    }

    @Test
    void closureFollowsReferencesAndRejectsUnknownOnes() {
        Map<String, ObjectNode> closure = catalog.closure(Map.of(), List.of("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        assertThat(closure).containsKeys("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry",
                "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference");
        assertThatThrownBy(() -> catalog.closure(Map.of("x", Schemas.ref("does.not.Exist")), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown definition does.not.Exist");
    }

    @Test
    void nullCoordinatesAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> catalog.definitionName(null, "v1", "Pod"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null, v1, Pod");
        assertThatThrownBy(() -> new SchemaCatalog(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("patchStrategies");
    }
}
