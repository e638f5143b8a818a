package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiV2Test {
    // field numbers of gnostic's openapi.v2 messages
    private static final int DOCUMENT_SWAGGER = 1, DOCUMENT_INFO = 2, DOCUMENT_PATHS = 8, DOCUMENT_DEFINITIONS = 9;
    private static final int INFO_TITLE = 1, INFO_VERSION = 2;
    private static final int PATHS_PATH = 2, PATH_ITEM_PATCH = 8, PATH_ITEM_PARAMETERS = 9;
    private static final int OPERATION_CONSUMES = 7, OPERATION_PARAMETERS = 8, OPERATION_EXTENSIONS = 13;
    private static final int PARAMETERS_ITEM_PARAMETER = 1, PARAMETER_BODY = 1, PARAMETER_NON_BODY = 2;
    private static final int NON_BODY_QUERY = 3, NON_BODY_PATH = 4;
    private static final int QUERY_NAME = 4, QUERY_TYPE = 6, PATH_REQUIRED = 1, PATH_NAME = 4;
    private static final int DEFINITIONS_ENTRY = 1;
    private static final int SCHEMA_REF = 1, SCHEMA_DESCRIPTION = 4, SCHEMA_ADDITIONAL_PROPERTIES = 21,
            SCHEMA_TYPE = 22, SCHEMA_ITEMS = 23, SCHEMA_PROPERTIES = 25, SCHEMA_EXTENSIONS = 31;
    private static final int PROPERTIES_ENTRY = 1, ITEMS_SCHEMA = 1, TYPE_VALUE = 1, ADDITIONAL_SCHEMA = 1;
    private static final int ANY_YAML = 2;

    private static final SchemaCatalog catalog = new SchemaCatalog();
    private static final OpenApiV2 v2 = new OpenApiV2(catalog, ServedFixtures.servedByKedge(), "v1.35.0");

    @Test
    void protobufDecodesToDefinitionsWithDeploymentSpecAndItsKind() throws Exception {
        ProtoFields document = ProtoFields.parse(v2.protobuf());

        assertThat(document.string(DOCUMENT_SWAGGER)).isEqualTo("2.0");
        assertThat(document.message(DOCUMENT_INFO).string(INFO_TITLE)).isEqualTo("Kubernetes");
        assertThat(document.message(DOCUMENT_INFO).string(INFO_VERSION)).isEqualTo("v1.35.0");
        ProtoFields deployment = document.message(DOCUMENT_DEFINITIONS)
                .named(DEFINITIONS_ENTRY, "io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.message(SCHEMA_PROPERTIES).names(PROPERTIES_ENTRY))
                .contains("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(deployment.message(SCHEMA_PROPERTIES).named(PROPERTIES_ENTRY, "spec").string(SCHEMA_REF))
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
        String gvkYaml = deployment.named(SCHEMA_EXTENSIONS, "x-kubernetes-group-version-kind").string(ANY_YAML);
        assertThat(Schemas.MAPPER.readTree(gvkYaml))
                .isEqualTo(Schemas.MAPPER.readTree("[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]"));
    }

    @Test
    void protobufCarriesMergeKeysArraysAndMaps() throws Exception {
        ProtoFields definitions = ProtoFields.parse(v2.protobuf()).message(DOCUMENT_DEFINITIONS);
        ProtoFields containers = definitions.named(DEFINITIONS_ENTRY, "io.k8s.api.core.v1.PodSpec")
                .message(SCHEMA_PROPERTIES).named(PROPERTIES_ENTRY, "containers");
        assertThat(containers.message(SCHEMA_TYPE).strings(TYPE_VALUE)).containsExactly("array");
        assertThat(containers.message(SCHEMA_ITEMS).message(ITEMS_SCHEMA).string(SCHEMA_REF))
                .isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
        assertThat(containers.named(SCHEMA_EXTENSIONS, "x-kubernetes-patch-merge-key").string(ANY_YAML))
                .isEqualTo("\"name\"");
        assertThat(containers.named(SCHEMA_EXTENSIONS, "x-kubernetes-patch-strategy").string(ANY_YAML))
                .isEqualTo("\"merge\"");

        ProtoFields labels = definitions.named(DEFINITIONS_ENTRY, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
                .message(SCHEMA_PROPERTIES).named(PROPERTIES_ENTRY, "labels");
        assertThat(labels.message(SCHEMA_TYPE).strings(TYPE_VALUE)).containsExactly("object");
        assertThat(labels.message(SCHEMA_ADDITIONAL_PROPERTIES).message(ADDITIONAL_SCHEMA).message(SCHEMA_TYPE)
                .strings(TYPE_VALUE)).containsExactly("string");
    }

    @Test
    void patchOperationOffersDryRunAndStrategicMergePatchForBuiltinKinds() {
        ProtoFields patch = ProtoFields.parse(v2.protobuf()).message(DOCUMENT_PATHS)
                .named(PATHS_PATH, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .message(PATH_ITEM_PATCH);

        assertThat(patch.strings(OPERATION_CONSUMES)).contains("application/strategic-merge-patch+json",
                "application/merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml");
        List<String> queryNames = new ArrayList<>();
        int bodies = 0;
        for (ProtoFields item : patch.messages(OPERATION_PARAMETERS)) {
            ProtoFields parameter = item.message(PARAMETERS_ITEM_PARAMETER);
            if (parameter.has(PARAMETER_BODY)) {
                bodies++;
            } else {
                ProtoFields query = parameter.message(PARAMETER_NON_BODY).message(NON_BODY_QUERY);
                queryNames.add(query.string(QUERY_NAME));
                assertThat(query.string(QUERY_TYPE)).isIn("string", "boolean");
            }
        }
        assertThat(bodies).isEqualTo(1);
        assertThat(queryNames).contains("dryRun", "fieldManager", "fieldValidation", "force");
        assertThat(patch.named(OPERATION_EXTENSIONS, "x-kubernetes-group-version-kind").string(ANY_YAML))
                .isEqualTo("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}");
        assertThat(patch.named(OPERATION_EXTENSIONS, "x-kubernetes-action").string(ANY_YAML))
                .isEqualTo("\"patch\"");
    }

    @Test
    void pathParametersAreRequiredPathSubSchemas() {
        ProtoFields item = ProtoFields.parse(v2.protobuf()).message(DOCUMENT_PATHS)
                .named(PATHS_PATH, "/api/v1/namespaces/{namespace}/pods/{name}");
        ProtoFields first = item.messages(PATH_ITEM_PARAMETERS).get(0).message(PARAMETERS_ITEM_PARAMETER)
                .message(PARAMETER_NON_BODY).message(NON_BODY_PATH);
        assertThat(first.string(PATH_NAME)).isEqualTo("name");
        assertThat(first.varint(PATH_REQUIRED)).isEqualTo(1);
    }

    @Test
    void customKindsOfferNoStrategicMergePatch() {
        JsonNode patch = v2.json().at("/paths/~1apis~1stable.example.com~1v1~1namespaces~1{namespace}~1crontabs~1{name}/patch");
        assertThat(patch.get("consumes")).extracting(JsonNode::asText)
                .contains("application/merge-patch+json").doesNotContain("application/strategic-merge-patch+json");
    }

    @Test
    void structsAreRecognisedByTheirPropertiesAndCarryNoObjectType() {
        JsonNode definitions = v2.json().get("definitions");
        assertThat(definitions.get("io.k8s.api.apps.v1.DeploymentSpec").has("type")).isFalse();
        assertThat(definitions.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/strategy/$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentStrategy");
        assertThat(definitions.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString").get("type").asText())
                .isEqualTo("string");
        assertThat(definitions.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("type").asText())
                .isEqualTo("string");
    }

    @Test
    void customSchemaIsPublishedWithWhatKubectl120CannotCheckLeftOpen() {
        JsonNode cronTab = v2.json().at("/definitions/com.example.stable.v1.CronTab");
        assertThat(cronTab.at("/x-kubernetes-group-version-kind/0/kind").asText()).isEqualTo("CronTab");
        assertThat(cronTab.at("/properties/metadata/$ref").asText())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        JsonNode spec = cronTab.at("/properties/spec/properties");
        assertThat(spec.at("/replicas/type").asText()).isEqualTo("integer");
        assertThat(spec.at("/replicas/maximum").asInt()).isEqualTo(10);
        assertThat(spec.at("/port/type").asText()).isEqualTo("string");
        assertThat(spec.get("extra").has("type")).isFalse();
        assertThat(spec.get("extra").has("properties")).isFalse();
        assertThat(spec.get("note").has("type")).isFalse();
    }

    @Test
    void everyReferenceResolvesToADefinition() {
        JsonNode doc = v2.json();
        List<String> missing = new ArrayList<>();
        Schemas.forEachRef(doc, ref -> {
            assertThat(ref).startsWith("#/definitions/");
            if (!doc.get("definitions").has(ref.substring("#/definitions/".length()))) {
                missing.add(ref);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void protobufBytesAreCachedAndStable() {
        assertThat(v2.protobuf()).isEqualTo(v2.protobuf());
        assertThat(v2.etag()).startsWith("\"").endsWith("\"").hasSize(128 + 2);
    }

    @Test
    void aResourceServedTwiceIsRejected() {
        ServedResource pods = ServedFixtures.builtin("", "v1", "Pod", "pods", true);
        assertThatThrownBy(() -> new OpenApiV2(catalog, List.of(pods, pods), "v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pods is served twice in v1");
    }
}
