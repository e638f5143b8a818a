package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiV3Test {
    private static final SchemaCatalog catalog = new SchemaCatalog();
    private static final List<ServedResource> served = ServedFixtures.servedByKedge();
    private static final OpenApiV3 v3 = new OpenApiV3(catalog, served, "v1.35.0");

    private static JsonNode doc(String path) {
        return v3.document(path).orElseThrow(() -> new AssertionError("no document " + path));
    }

    @Test
    void indexListsEveryServedGroupVersionWithItsHash() {
        Set<String> expected = new TreeSet<>();
        served.forEach(r -> expected.add(r.groupVersionPath()));
        JsonNode paths = v3.index().get("paths");

        Set<String> listed = new TreeSet<>();
        paths.fieldNames().forEachRemaining(listed::add);
        assertThat(listed).isEqualTo(expected).contains("api/v1", "apis/apps/v1", "apis/edge.kedge.io/v1alpha1");
        for (String path : listed) {
            OpenApiV3.Document document = v3.serialized(path).orElseThrow();
            assertThat(paths.get(path).get("serverRelativeURL").asText())
                    .isEqualTo("/openapi/v3/" + path + "?hash=" + document.hash());
            assertThat(document.hash()).matches("[0-9A-F]{128}").isEqualTo(OpenApiV3.sha512(document.bytes()));
            assertThat(document.etag()).isEqualTo("\"" + document.hash() + "\"");
        }
    }

    @Test
    void appsDocumentDescribesDeploymentStrategyWithRollingUpdate() {
        JsonNode apps = doc("apis/apps/v1");
        assertThat(apps.get("openapi").asText()).isEqualTo("3.0.0");
        assertThat(apps.at("/info/title").asText()).isEqualTo("Kubernetes");
        JsonNode schemas = apps.at("/components/schemas");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentStrategy/properties/rollingUpdate/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDeployment");
        assertThat(schemas.at("/io.k8s.api.apps.v1.RollingUpdateDeployment/properties/maxSurge/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(schemas.at("/io.k8s.api.apps.v1.Deployment/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("Deployment");
        assertThat(schemas.at("/io.k8s.api.apps.v1.Deployment/type").asText()).isEqualTo("object");
    }

    @Test
    void podSpecListsCarryTheirMergeKeys() {
        JsonNode podSpec = doc("apis/apps/v1").at("/components/schemas/io.k8s.api.core.v1.PodSpec/properties");
        assertThat(podSpec.at("/containers/x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(podSpec.at("/containers/x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        JsonNode container = doc("api/v1").at("/components/schemas/io.k8s.api.core.v1.Container/properties");
        assertThat(container.at("/ports/x-kubernetes-patch-merge-key").asText()).isEqualTo("containerPort");
        assertThat(container.at("/env/x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        JsonNode finalizers = doc("api/v1")
                .at("/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta/properties/finalizers");
        assertThat(finalizers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(finalizers.has("x-kubernetes-patch-merge-key")).isFalse();
    }

    @Test
    void patchOperationDeclaresFieldValidationAndStrategicMergePatch() {
        JsonNode patch = doc("apis/apps/v1").get("paths")
                .get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").get("patch");
        List<String> query = new ArrayList<>();
        patch.get("parameters").forEach(p -> {
            assertThat(p.get("in").asText()).isEqualTo("query");
            query.add(p.get("name").asText());
        });
        assertThat(query).contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isTrue();
        assertThat(patch.get("x-kubernetes-group-version-kind"))
                .isEqualTo(ServedFixtures.json("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}"));
        assertThat(patch.get("x-kubernetes-action").asText()).isEqualTo("patch");
    }

    @Test
    void scaleSubresourceUsesTheAutoscalingScaleKind() {
        JsonNode apps = doc("apis/apps/v1");
        JsonNode put = apps.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}~1scale/put");
        assertThat(put.at("/x-kubernetes-group-version-kind/group").asText()).isEqualTo("autoscaling");
        assertThat(put.at("/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Scale");
        assertThat(apps.at("/components/schemas/io.k8s.api.autoscaling.v1.Scale/properties").has("spec")).isTrue();
    }

    @Test
    void customSchemaShowsUpWithObjectMetaAndAList() {
        JsonNode edge = doc("apis/edge.kedge.io/v1alpha1");
        JsonNode schemas = edge.at("/components/schemas");
        JsonNode unit = schemas.get("io.kedge.edge.v1alpha1.EdgeUnit");
        assertThat(unit.at("/properties/spec/properties/autonomy/type").asText()).isEqualTo("string");
        assertThat(unit.at("/properties/spec/properties/type/enum/1").asText()).isEqualTo("Cloud");
        assertThat(unit.at("/properties/metadata/$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(unit.at("/x-kubernetes-group-version-kind/0/group").asText()).isEqualTo("edge.kedge.io");
        assertThat(schemas.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
        assertThat(schemas.at("/io.kedge.edge.v1alpha1.EdgeUnitList/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/io.kedge.edge.v1alpha1.EdgeUnit");
        JsonNode patch = edge.at("/paths/~1apis~1edge.kedge.io~1v1alpha1~1edgeunits~1{name}/patch");
        assertThat(patch.at("/requestBody/content").has("application/merge-patch+json")).isTrue();
        assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isFalse();
    }

    @Test
    void customSchemaIsNotAlteredByPublishing() {
        JsonNode input = ServedFixtures.json(ServedFixtures.EDGE_UNIT_SCHEMA);
        ServedResource unit = new ServedResource("edge.kedge.io", "v1alpha1", "EdgeUnit", "edgeunits", false,
                List.of("get"), List.of(), input);
        new OpenApiV3(catalog, List.of(unit), "v1");
        assertThat(input).isEqualTo(ServedFixtures.json(ServedFixtures.EDGE_UNIT_SCHEMA));
    }

    @Test
    void everyReferenceResolvesWithinItsOwnDocument() {
        for (String path : v3.groupVersionPaths()) {
            JsonNode document = doc(path);
            JsonNode schemas = document.at("/components/schemas");
            List<String> missing = new ArrayList<>();
            Schemas.forEachRef(document, ref -> {
                if (!schemas.has(ref.substring("#/components/schemas/".length()))) {
                    missing.add(ref);
                }
            });
            assertThat(missing).as(path).isEmpty();
        }
    }

    @Test
    void documentsAreFoundByPathWithOrWithoutPrefixOrQuery() {
        assertThat(v3.document("/openapi/v3/apis/apps/v1?hash=ABC")).isPresent();
        assertThat(v3.document("/apis/apps/v1")).isPresent();
        assertThat(v3.document("apis/apps/v2")).isEmpty();
        assertThatThrownBy(() -> v3.document(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be null");
    }

    @Test
    void sameInputGivesTheSameHash() {
        OpenApiV3 again = new OpenApiV3(new SchemaCatalog(), ServedFixtures.servedByKedge(), "v1.35.0");
        assertThat(again.serialized("api/v1").orElseThrow().hash())
                .isEqualTo(v3.serialized("api/v1").orElseThrow().hash());
    }

    @Test
    void aBuiltinKindTheCatalogLacksIsPublishedAsAnOpenObject() {
        ServedResource widget = ServedFixtures.builtin("example.io", "v1", "Widget", "widgets", true);
        JsonNode schemas = new OpenApiV3(catalog, List.of(widget), "v1").document("apis/example.io/v1")
                .orElseThrow().at("/components/schemas");
        assertThat(schemas.at("/io.example.v1.Widget/x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(schemas.at("/io.example.v1.Widget/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("Widget");
    }
}
