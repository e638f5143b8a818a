package io.kedge.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import io.kedge.kubelet.ContainerConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {
    private static final String NS = "vol-test";
    private static final Map<String, Quantity> ALLOCATABLE = Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"));

    private static TestServer server;
    private static KubernetesClient client;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    private VolumeManager volumes() {
        return new VolumeManager(client, dataDir, ALLOCATABLE, "192.0.2.10");
    }

    @Test
    void aConfigMapVolumeHoldsItsKeysAndFollowsAnUpdateInPlace() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("app-config").endMetadata()
                .addToData("app.conf", "v1").addToData("extra", "e").addToBinaryData("blob", b64("\u0001\u0002")).build()).create();
        Pod pod = pod("cm-uid", new VolumeBuilder().withName("config").withNewConfigMap().withName("app-config")
                .withDefaultMode(0640).endConfigMap().build());
        VolumeManager volumes = volumes();
        Path dir = volumes.setUp(pod).get("config");

        assertThat(dir).isEqualTo(dataDir.toAbsolutePath().resolve("pods/cm-uid/volumes/kubernetes.io~configmap/config"));
        assertThat(Files.readString(dir.resolve("app.conf"))).isEqualTo("v1");
        assertThat(Files.readAllBytes(dir.resolve("blob"))).containsExactly(1, 2);
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir.resolve("app.conf")))).isEqualTo(0640);
        Path firstVersion = Files.readSymbolicLink(dir.resolve("..data"));

        client.configMaps().inNamespace(NS).withName("app-config").edit(cm -> new ConfigMapBuilder(cm)
                .withData(Map.of("app.conf", "v2")).withBinaryData(null).build());
        volumes.setUp(pod);
        assertThat(Files.readString(dir.resolve("app.conf"))).isEqualTo("v2");
        assertThat(dir.resolve("extra")).doesNotExist();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isNotEqualTo(firstVersion);
    }

    @Test
    void itemsPickKeysToPathsWithTheirModes() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("items").endMetadata()
                .addToData("a", "A").addToData("b", "B").build()).create();
        Pod pod = pod("items-uid", new VolumeBuilder().withName("v").withNewConfigMap().withName("items")
                .addNewItem().withKey("a").withPath("dir/a.txt").withMode(0600).endItem().endConfigMap().build());
        Path dir = volumes().setUp(pod).get("v");
        assertThat(Files.readString(dir.resolve("dir/a.txt"))).isEqualTo("A");
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir.resolve("dir/a.txt")))).isEqualTo(0600);
        assertThat(dir.resolve("b")).doesNotExist();

        Pod missingKey = pod("items-uid2", new VolumeBuilder().withName("v").withNewConfigMap().withName("items")
                .addNewItem().withKey("zzz").withPath("z").endItem().endConfigMap().build());
        assertThatThrownBy(() -> volumes().setUp(missingKey)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("configmap references non-existent config key: zzz");
    }

    @Test
    void aMissingConfigMapIsAnErrorUnlessOptionalWhenTheVolumeIsEmpty() throws Exception {
        Pod pod = pod("missing-uid", new VolumeBuilder().withName("v").withNewConfigMap().withName("nowhere").endConfigMap().build());
        assertThatThrownBy(() -> volumes().setUp(pod)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("configmap \"nowhere\" not found");
        Pod optional = pod("missing-uid", new VolumeBuilder().withName("v").withNewConfigMap().withName("nowhere")
                .withOptional(true).endConfigMap().build());
        Path dir = volumes().setUp(optional).get("v");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith(".."));
        }
        Pod secret = pod("missing-uid", new VolumeBuilder().withName("s").withNewSecret().withSecretName("nowhere").endSecret().build());
        assertThatThrownBy(() -> volumes().setUp(secret)).hasMessage("secret \"nowhere\" not found");
    }

    @Test
    void aSecretVolumeHoldsTheDecodedValues() throws Exception {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("tls").endMetadata()
                .addToData("tls.key", b64("PRIVATE")).build()).create();
        Pod pod = pod("secret-uid", new VolumeBuilder().withName("certs").withNewSecret().withSecretName("tls")
                .withDefaultMode(0400).endSecret().build());
        Path dir = volumes().setUp(pod).get("certs");
        assertThat(dir.toString()).endsWith("volumes/kubernetes.io~secret/certs");
        assertThat(Files.readString(dir.resolve("tls.key"))).isEqualTo("PRIVATE");
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir.resolve("tls.key")))).isEqualTo(0400);
    }

    @Test
    void aDownwardApiVolumeHoldsPodFieldsAndResources() throws Exception {
        Volume v = new VolumeBuilder().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef("v1", "metadata.labels").endItem()
                .addNewItem().withPath("name").withNewFieldRef("v1", "metadata.name").endItem()
                .addNewItem().withPath("cpu_limit_millis").withResourceFieldRef(new ResourceFieldSelector("app", new Quantity("1m"), "limits.cpu")).endItem()
                .endDownwardAPI().build();
        Pod pod = new PodBuilder(pod("dapi-uid", v)).editMetadata().addToLabels("tier", "web").addToLabels("note", "say \"hi\"\n")
                .endMetadata().build();
        Path dir = volumes().setUp(pod).get("info");
        assertThat(dir.toString()).endsWith("volumes/kubernetes.io~downward-api/info");
        assertThat(Files.readString(dir.resolve("labels"))).isEqualTo("note=\"say \\\"hi\\\"\\n\"\ntier=\"web\"");
        assertThat(Files.readString(dir.resolve("name"))).isEqualTo("p-dapi-uid");
        assertThat(Files.readString(dir.resolve("cpu_limit_millis"))).isEqualTo("2000");
    }

    @Test
    void aProjectedVolumeMergesConfigMapSecretAndDownwardApiSources() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").endMetadata()
                .addToData("ca.crt", "CERT").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("proj").endMetadata()
                .addToData("token-ish", b64("S")).build()).create();
        Volume v = new VolumeBuilder().withName("kube-api-access").withNewProjected().withDefaultMode(0444)
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("proj").endSecret().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef("v1", "metadata.namespace").endItem()
                .endDownwardAPI().endSource()
                .endProjected().build();
        Path dir = volumes().setUp(pod("proj-uid", v)).get("kube-api-access");
        assertThat(dir.toString()).endsWith("volumes/kubernetes.io~projected/kube-api-access");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo("CERT");
        assertThat(Files.readString(dir.resolve("token-ish"))).isEqualTo("S");
        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo(NS);
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir.resolve("namespace")))).isEqualTo(0444);
    }

    @Test
    void aServiceAccountTokenSourceWritesATokenTheServerBindsToThePod() throws Exception {
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("robot").endMetadata()
                .build()).create();
        Volume v = new VolumeBuilder().withName("token").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3600L).endServiceAccountToken().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef("v1", "metadata.namespace").endItem()
                .endDownwardAPI().endSource()
                .endProjected().build();
        // the server's own token volume would need the kube-root-ca.crt that no controller publishes here
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder(pod("token-uid", v)).editSpec()
                .withServiceAccountName("robot").withAutomountServiceAccountToken(false).endSpec().build()).create();

        Path dir = volumes().setUp(pod).get("token");

        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo(NS);
        String payload = new String(Base64.getUrlDecoder().decode(Files.readString(dir.resolve("token")).split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(payload).contains("\"sub\":\"system:serviceaccount:" + NS + ":robot\"",
                "\"pod\":{\"name\":\"p-token-uid\",\"uid\":\"" + pod.getMetadata().getUid() + "\"}");

        Pod unknownAccount = new PodBuilder(pod("token-uid2", v)).editSpec().withServiceAccountName("nobody").endSpec().build();
        assertThatThrownBy(() -> volumes().setUp(unknownAccount)).isInstanceOf(ContainerConfigException.class)
                .hasMessageContaining("nobody");
        Pod notInTheServer = new PodBuilder(pod("token-uid3", v)).editSpec().withServiceAccountName("robot").endSpec().build();
        assertThatThrownBy(() -> volumes().setUp(notInTheServer)).isInstanceOf(ContainerConfigException.class)
                .hasMessageContaining("pods \"p-token-uid3\" not found");
    }

    @Test
    void aPodSetUpAgainAfterARestartWhileTheCloudIsUnreachableGetsTheTokenItHadBefore() throws Exception {
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("keeper").endMetadata()
                .build()).create();
        Volume v = new VolumeBuilder().withName("token").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3600L).endServiceAccountToken().endSource()
                .endProjected().build();
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder(pod("kept-uid", v)).editSpec()
                .withServiceAccountName("keeper").withAutomountServiceAccountToken(false).endSpec().build()).create();
        String issued = Files.readString(volumes().setUp(pod).get("token").resolve("token"));

        // a new agent (a restart) whose way to the cloud is gone
        try (io.fabric8.kubernetes.client.KubernetesClient offline = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0).build()).build()) {
            VolumeManager restarted = new VolumeManager(offline, dataDir, ALLOCATABLE, "192.0.2.10");
            assertThat(Files.readString(restarted.setUp(pod).get("token").resolve("token"))).isEqualTo(issued);
            restarted.tearDown(pod.getMetadata().getUid());
            Pod again = pod;
            assertThatThrownBy(() -> restarted.setUp(again)).as("a torn-down pod's token is not kept")
                    .isInstanceOf(ContainerConfigException.class);
        }
    }

    @Test
    void anEmptyDirIsAWorldWritableDirectoryAndTearDownRemovesThePodsVolumes() throws Exception {
        VolumeManager volumes = volumes();
        Path dir = volumes.setUp(pod("empty-uid", new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build()))
                .get("scratch");
        assertThat(dir).isDirectory();
        assertThat(dir.toString()).endsWith("pods/empty-uid/volumes/kubernetes.io~empty-dir/scratch");
        assertThat(Modes.mode(Files.getPosixFilePermissions(dir))).isEqualTo(0777);
        Files.writeString(dir.resolve("data"), "x");

        volumes.tearDown("empty-uid");
        assertThat(dataDir.resolve("pods/empty-uid")).doesNotExist();
    }

    @Test
    void aMemoryEmptyDirIsATmpfsOfItsSizeLimitWhenRootAndARefusalOtherwise() throws Exception {
        VolumeManager volumes = volumes();
        Pod pod = pod("mem-uid", new VolumeBuilder().withName("cache").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity("1Mi")).endEmptyDir().build());
        if (!Mounts.isRoot()) {
            assertThatThrownBy(() -> volumes.setUp(pod)).isInstanceOf(ContainerConfigException.class)
                    .hasMessageContaining("needs a tmpfs mount, and the agent is not running as root");
            return;
        }
        Path dir = volumes.setUp(pod).get("cache");
        assertThat(Mounts.isMountPoint(dir)).isTrue();
        String mountLine = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" " + dir + " ")).findFirst().orElseThrow();
        assertThat(mountLine).contains("tmpfs").contains("size=1024k");
        volumes.setUp(pod);
        assertThat(Mounts.mountPointsUnder(dir)).as("a second setUp mounts nothing more").hasSize(1);

        volumes.tearDown("mem-uid");
        assertThat(Mounts.mountPointsUnder(dataDir)).isEmpty();
        assertThat(dataDir.resolve("pods/mem-uid")).doesNotExist();
    }

    @Test
    void hostPathTypesAreCheckedAndTheCreateTypesCreate() throws Exception {
        Path created = dataDir.resolve("host/new-dir");
        Pod pod = pod("host-uid", new VolumeBuilder().withName("h").withNewHostPath().withPath(created.toString())
                .withType("DirectoryOrCreate").endHostPath().build());
        assertThat(volumes().setUp(pod).get("h")).isEqualTo(created);
        assertThat(created).isDirectory();

        Path file = dataDir.resolve("host/sub/file");
        Pod fileOrCreate = pod("host-uid", new VolumeBuilder().withName("f").withNewHostPath().withPath(file.toString())
                .withType("FileOrCreate").endHostPath().build());
        volumes().setUp(fileOrCreate);
        assertThat(file).isRegularFile();

        Pod wrong = pod("host-uid", new VolumeBuilder().withName("w").withNewHostPath().withPath(created.toString())
                .withType("File").endHostPath().build());
        assertThatThrownBy(() -> volumes().setUp(wrong)).hasMessage("hostPath type check failed: " + created + " is not a file");
        Pod socket = pod("host-uid", new VolumeBuilder().withName("s").withNewHostPath().withPath(file.toString())
                .withType("Socket").endHostPath().build());
        assertThatThrownBy(() -> volumes().setUp(socket)).hasMessage("hostPath type check failed: " + file + " is not a socket file");
    }

    @Test
    void anUnsupportedVolumeTypeOrAnUnsafeUidIsAClearError() {
        Pod pvc = pod("pvc-uid", new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("c")
                .endPersistentVolumeClaim().build());
        assertThatThrownBy(() -> volumes().setUp(pvc)).hasMessageContaining("volume \"data\" is of a type kedge's kubelet does not support");
        Pod badUid = pod("../etc", new VolumeBuilder().withName("x").withNewEmptyDir().endEmptyDir().build());
        assertThatThrownBy(() -> volumes().setUp(badUid)).hasMessage("pod uid \"../etc\" cannot name a directory");
    }

    private static Pod pod(String uid, Volume volume) {
        return new PodBuilder().withNewMetadata().withName("p-" + uid).withNamespace(NS).withUid(uid).endMetadata()
                .withNewSpec().withNodeName("edge-1").addNewContainer().withName("app").withImage("busybox").endContainer()
                .withVolumes(volume).endSpec().build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
