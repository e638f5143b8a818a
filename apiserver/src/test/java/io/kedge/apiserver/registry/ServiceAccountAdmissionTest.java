package io.kedge.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceAccountAdmissionTest {
    private static final String PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    private final ResourceType pods = BuiltinTypes.all(new ServiceIpAllocator("10.43.0.0/16")).stream()
            .filter(t -> t.plural().equals("pods")).findFirst().orElseThrow();
    private final Map<String, JsonNode> accounts = new HashMap<>();
    private final ServiceAccountAdmission admission = new ServiceAccountAdmission(
            (resource, namespace, name) -> Optional.ofNullable(accounts.get(resource + ":" + namespace + "/" + name)));

    private static ObjectNode pod(String spec) {
        return (ObjectNode) Json.parse(("{\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\"},\"spec\":" + spec + "}").getBytes(), false);
    }

    private void account(String name, String json) {
        accounts.put("serviceaccounts:shop/" + name, Json.parse(json.getBytes(), false));
    }

    @Test
    void aPodRunsAsDefaultAndGetsTheProjectedTokenVolumeInEveryContainer() {
        account("default", "{}");
        ObjectNode pod = pod("{\"initContainers\":[{\"name\":\"init\",\"image\":\"i\"}],\"containers\":[{\"name\":\"a\",\"image\":\"b\"},"
                + "{\"name\":\"c\",\"image\":\"d\",\"volumeMounts\":[{\"name\":\"data\",\"mountPath\":\"/data\"}]}]}");

        admission.admitCreate(pods, pod, null);

        JsonNode spec = pod.path("spec");
        assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
        assertThat(spec.path("volumes")).hasSize(1);
        JsonNode volume = spec.path("volumes").get(0);
        String name = volume.path("name").asText();
        assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        JsonNode sources = volume.path("projected").path("sources");
        assertThat(sources.get(0).path("serviceAccountToken").path("expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(sources.get(0).path("serviceAccountToken").path("path").asText()).isEqualTo("token");
        assertThat(sources.get(1).path("configMap").path("name").asText()).isEqualTo("kube-root-ca.crt");
        assertThat(sources.get(1).path("configMap").path("items").get(0).path("key").asText()).isEqualTo("ca.crt");
        assertThat(sources.get(2).path("downwardAPI").path("items").get(0).path("fieldRef").path("fieldPath").asText())
                .isEqualTo("metadata.namespace");
        for (JsonNode c : new JsonNode[]{spec.path("initContainers").get(0), spec.path("containers").get(0), spec.path("containers").get(1)}) {
            JsonNode mount = c.path("volumeMounts").get(c.path("volumeMounts").size() - 1);
            assertThat(mount.path("name").asText()).isEqualTo(name);
            assertThat(mount.path("mountPath").asText()).isEqualTo(PATH);
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
        }
    }

    @Test
    void aPodNamingAMissingServiceAccountIsForbidden() {
        assertThatThrownBy(() -> admission.admitCreate(pods, pod("{\"serviceAccountName\":\"builder\",\"containers\":[]}"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
                .hasMessage("pods \"p\" is forbidden: error looking up service account shop/builder: serviceaccount \"builder\" not found");
    }

    @Test
    void aMissingDefaultAccountDoesNotStopAPodInANewNamespace() {
        ObjectNode pod = pod("{\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}");

        admission.admitCreate(pods, pod, null);

        assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("default");
        assertThat(pod.path("spec").path("volumes")).hasSize(1);
    }

    @Test
    void automountFalseOnThePodOrItsAccountLeavesThePodAlone() {
        account("default", "{}");
        account("quiet", "{\"automountServiceAccountToken\":false}");
        ObjectNode optedOut = pod("{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}");
        ObjectNode quiet = pod("{\"serviceAccountName\":\"quiet\",\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}");
        ObjectNode podWins = pod("{\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]}");

        admission.admitCreate(pods, optedOut, null);
        admission.admitCreate(pods, quiet, null);
        admission.admitCreate(pods, podWins, null);

        assertThat(optedOut.path("spec").has("volumes")).isFalse();
        assertThat(quiet.path("spec").has("volumes")).isFalse();
        assertThat(podWins.path("spec").path("volumes")).hasSize(1);
    }

    @Test
    void aContainerWithItsOwnMountAtThePathKeepsIt() {
        account("default", "{}");
        ObjectNode pod = pod("{\"volumes\":[{\"name\":\"mine\",\"secret\":{\"secretName\":\"s\"}}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"b\",\"volumeMounts\":[{\"name\":\"mine\",\"mountPath\":\"" + PATH + "\"}]}]}");

        admission.admitCreate(pods, pod, null);

        assertThat(pod.path("spec").path("volumes")).hasSize(1);
        assertThat(pod.path("spec").path("containers").get(0).path("volumeMounts")).hasSize(1);
    }

    @Test
    void theDeprecatedServiceAccountFieldStillNamesTheAccount() {
        account("builder", "{}");
        ObjectNode pod = pod("{\"serviceAccount\":\"builder\",\"containers\":[]}");

        admission.admitCreate(pods, pod, null);

        assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("builder");
    }
}
