package io.kedge.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import io.kedge.kubelet.ContainerConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
    private static final String NS = "env-test";
    private static final Map<String, Quantity> ALLOCATABLE = Map.of(
            "cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "ephemeral-storage", new Quantity("10Gi"));

    private static TestServer server;
    private static KubernetesClient client;
    private static EnvResolver resolver;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("mode", "fast").addToData("LEVEL", "3").addToData("1st.key", "x").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToData("password", b64("hunter2")).addToData("USER", b64("admin")).build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web-api").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort().endSpec().build()).create();
        resolver = new EnvResolver(client, ALLOCATABLE, "192.0.2.10");
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    @Test
    void literalValuesExpandReferencesToEarlierVariablesAndKeepEscapes() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("HOST").withValue("db").endEnv()
                .addNewEnv().withName("URL").withValue("postgres://$(HOST):5432/$(LATER)").endEnv()
                .addNewEnv().withName("LATER").withValue("x").endEnv()
                .addNewEnv().withName("LITERAL").withValue("$$(HOST)").endEnv()
                .build();
        Map<String, String> env = resolver.resolve(pod(c), c);
        assertThat(env).containsEntry("URL", "postgres://db:5432/$(LATER)").containsEntry("LITERAL", "$(HOST)");
    }

    @Test
    void keyRefsReadConfigMapsAndSecrets() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef("mode", "settings", null).endValueFrom().endEnv()
                .addNewEnv().withName("PASS").withNewValueFrom().withNewSecretKeyRef("password", "creds", null).endValueFrom().endEnv()
                .build();
        assertThat(resolver.resolve(pod(c), c)).containsEntry("MODE", "fast").containsEntry("PASS", "hunter2");
    }

    @Test
    void aMissingKeyIsAnErrorNamingKeyAndObjectUnlessOptional() throws Exception {
        Container cm = new ContainerBuilder().withName("app")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("nope", "settings", null).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(cm), cm)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("couldn't find key nope in ConfigMap env-test/settings");
        Container secret = new ContainerBuilder().withName("app")
                .addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef("nope", "creds", null).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(secret), secret)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("couldn't find key nope in Secret env-test/creds");
        Container optional = new ContainerBuilder().withName("app")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("nope", "settings", true).endValueFrom().endEnv()
                .addNewEnv().withName("Y").withNewValueFrom().withNewSecretKeyRef("k", "absent", true).endValueFrom().endEnv().build();
        assertThat(resolver.resolve(pod(optional), optional)).doesNotContainKeys("X", "Y");
    }

    @Test
    void aMissingObjectIsAnErrorInUpstreamWords() {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", null).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(c), c)).hasMessage("configmap \"absent\" not found");
        Container s = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withNewSecretRef("absent", false).endEnvFrom().build();
        assertThatThrownBy(() -> resolver.resolve(pod(s), s)).hasMessage("secret \"absent\" not found");
    }

    @Test
    void envFromAddsEveryKeyWithItsPrefixAndEnvOverridesIt() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("settings", null).endEnvFrom()
                .addNewEnvFrom().withNewSecretRef("creds", null).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("absent", true).endEnvFrom()
                .addNewEnv().withName("USER").withValue("override").endEnv()
                .build();
        Map<String, String> env = resolver.resolve(pod(c), c);
        assertThat(env).containsEntry("CFG_mode", "fast").containsEntry("CFG_LEVEL", "3").containsEntry("password", "hunter2")
                .containsEntry("USER", "override").containsEntry("CFG_1st.key", "x");
    }

    @Test
    void envFromKeysThatAreNotPrintableAsciiWithoutEqualsSignAreNotVariableNames() {
        assertThat(EnvResolver.isValidName("1st.key-x_Y")).isTrue();
        assertThat(EnvResolver.isValidName("a=b")).isFalse();
        assertThat(EnvResolver.isValidName("tab\there")).isFalse();
        assertThat(EnvResolver.isValidName("")).isFalse();
    }

    @Test
    void fieldRefsReadThePodAndFallBackToTheNodeIpForTheHost() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("NAME").withNewValueFrom().withNewFieldRef("v1", "metadata.name").endValueFrom().endEnv()
                .addNewEnv().withName("NS").withNewValueFrom().withNewFieldRef("v1", "metadata.namespace").endValueFrom().endEnv()
                .addNewEnv().withName("UID").withNewValueFrom().withNewFieldRef("v1", "metadata.uid").endValueFrom().endEnv()
                .addNewEnv().withName("TIER").withNewValueFrom().withNewFieldRef("v1", "metadata.labels['tier']").endValueFrom().endEnv()
                .addNewEnv().withName("OWNER").withNewValueFrom().withNewFieldRef("v1", "metadata.annotations['owner']").endValueFrom().endEnv()
                .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef("v1", "spec.nodeName").endValueFrom().endEnv()
                .addNewEnv().withName("SA").withNewValueFrom().withNewFieldRef("v1", "spec.serviceAccountName").endValueFrom().endEnv()
                .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef("v1", "status.podIP").endValueFrom().endEnv()
                .addNewEnv().withName("IPS").withNewValueFrom().withNewFieldRef("v1", "status.podIPs").endValueFrom().endEnv()
                .addNewEnv().withName("HOST").withNewValueFrom().withNewFieldRef("v1", "status.hostIP").endValueFrom().endEnv()
                .addNewEnv().withName("HOSTS").withNewValueFrom().withNewFieldRef("v1", "status.hostIPs").endValueFrom().endEnv()
                .build();
        Pod pod = new PodBuilder(pod(c)).editMetadata().addToLabels("tier", "web").addToAnnotations("owner", "ops").endMetadata()
                .editSpec().withServiceAccountName("robot").endSpec()
                .withNewStatus().withPodIP("10.42.0.7").addNewPodIP("10.42.0.7").addNewPodIP("fd00::7").endStatus().build();
        assertThat(resolver.resolve(pod, c)).containsEntry("NAME", "web-1").containsEntry("NS", NS).containsEntry("UID", "uid-1")
                .containsEntry("TIER", "web").containsEntry("OWNER", "ops").containsEntry("NODE", "edge-1")
                .containsEntry("SA", "robot").containsEntry("IP", "10.42.0.7").containsEntry("IPS", "10.42.0.7,fd00::7")
                .containsEntry("HOST", "192.0.2.10").containsEntry("HOSTS", "192.0.2.10");
    }

    @Test
    void anUnsupportedFieldPathIsAnError() {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("X").withNewValueFrom().withNewFieldRef("v1", "spec.nope").endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolver.resolve(pod(c), c)).hasMessage("unsupported fieldPath: spec.nope");
    }

    @Test
    void resourceFieldRefsRoundUpByTheDivisorAndDefaultLimitsToTheNode() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .withNewResources().addToLimits("cpu", new Quantity("1500m")).addToLimits("memory", new Quantity("64Mi"))
                .addToRequests("cpu", new Quantity("250m")).endResources()
                .addNewEnv().withName("CPU_LIMIT").withNewValueFrom().withResourceFieldRef(field("limits.cpu", null)).endValueFrom().endEnv()
                .addNewEnv().withName("CPU_REQ_M").withNewValueFrom().withResourceFieldRef(field("requests.cpu", "1m")).endValueFrom().endEnv()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withResourceFieldRef(field("limits.memory", "1Mi")).endValueFrom().endEnv()
                .addNewEnv().withName("MEM_REQ").withNewValueFrom().withResourceFieldRef(field("requests.memory", null)).endValueFrom().endEnv()
                .addNewEnv().withName("DISK").withNewValueFrom().withResourceFieldRef(field("limits.ephemeral-storage", "1Gi")).endValueFrom().endEnv()
                .build();
        assertThat(resolver.resolve(pod(c), c)).containsEntry("CPU_LIMIT", "2").containsEntry("CPU_REQ_M", "250")
                .containsEntry("MEM_MI", "64").containsEntry("MEM_REQ", String.valueOf(64 * 1024 * 1024)).containsEntry("DISK", "10");
    }

    @Test
    void serviceVariablesCoverTheNamespaceAndTheKubernetesServiceAndYieldToExplicitEnv() throws Exception {
        Container c = new ContainerBuilder().withName("app")
                .addNewEnv().withName("WEB_API_SERVICE_PORT").withValue("mine").endEnv()
                .addNewEnv().withName("API").withValue("$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)").endEnv()
                .build();
        String ip = client.services().inNamespace(NS).withName("web-api").get().getSpec().getClusterIP();
        String apiIp = client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
        Map<String, String> env = resolver.resolve(pod(c), c);
        assertThat(env).containsEntry("WEB_API_SERVICE_HOST", ip).containsEntry("WEB_API_SERVICE_PORT", "mine")
                .containsEntry("WEB_API_SERVICE_PORT_HTTP", "8080").containsEntry("WEB_API_PORT", "tcp://" + ip + ":8080")
                .containsEntry("WEB_API_PORT_8080_TCP_ADDR", ip).containsEntry("WEB_API_PORT_8080_TCP_PROTO", "tcp")
                .containsEntry("KUBERNETES_SERVICE_HOST", apiIp).containsEntry("API", apiIp + ":443");

        Pod noLinks = new PodBuilder(pod(c)).editSpec().withEnableServiceLinks(false).endSpec().build();
        assertThat(resolver.resolve(noLinks, c)).doesNotContainKey("WEB_API_SERVICE_HOST").containsKey("KUBERNETES_SERVICE_HOST");
    }

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace(NS).withUid("uid-1").endMetadata()
                .withNewSpec().withNodeName("edge-1").withContainers(c).endSpec().build();
    }

    private static ResourceFieldSelector field(String resource, String divisor) {
        return new ResourceFieldSelector(null, divisor == null ? null : new Quantity(divisor), resource);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
