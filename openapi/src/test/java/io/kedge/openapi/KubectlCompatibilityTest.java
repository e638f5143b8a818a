package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real kubectl 1.20 and 1.35 against the documents, when the binaries are on this machine
 * (skipped otherwise). The fake server answers discovery, OpenAPI, and GET/PATCH of a few stored objects.
 */
class KubectlCompatibilityTest {
    private static final Path TOOLS = Path.of(System.getProperty("kedge.tools",
            System.getProperty("user.dir") + "/../.tools/bin"));
    private static final String SPEC_WITH_ONLY_CHANGED_CONTAINER =
            "\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
                    + "\"containers\":[{\"image\":\"nginx:2\",\"name\":\"a\"}]}}}";
    private static final String SPEC_WITH_WHOLE_CONTAINER_LIST =
            "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"nginx:2\",\"name\":\"a\"},"
                    + "{\"image\":\"busybox\",\"name\":\"b\"}]}}}";

    /** Schemas with the default merge keys. */
    private static FakeApiServer server;
    /** The same schemas without any patch metadata. */
    private static FakeApiServer withoutMergeKeys;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws IOException {
        server = serve(new SchemaCatalog(PatchStrategies.defaults()));
        withoutMergeKeys = serve(new SchemaCatalog(PatchStrategies.none()));
    }

    private static FakeApiServer serve(SchemaCatalog catalog) throws IOException {
        List<ServedResource> served = ServedFixtures.servedByKedge();
        return new FakeApiServer(served, new OpenApiV2(catalog, served, "v1.35.0"),
                new OpenApiV3(catalog, served, "v1.35.0"));
    }

    @AfterAll
    static void stop() {
        for (FakeApiServer s : new FakeApiServer[]{server, withoutMergeKeys}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void kubectl120ExplainsDeploymentStrategyFromTheProtobufDocument() throws Exception {
        Result result = kubectl("kubectl-1.20", server, "explain", "deployment.spec.strategy");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("KIND:     Deployment").contains("VERSION:  apps/v1")
                .contains("rollingUpdate").contains("<Object>");
        assertThat(server.requests).anyMatch(r -> r.startsWith("GET /openapi/v2") && r.contains("protobuf"));
    }

    @Test
    void kubectl120ValidationRejectsAnUnknownDeploymentField() throws Exception {
        Path manifest = write("bad.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicaz: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
                """);
        Result result = kubectl("kubectl-1.20", server, "create", "--dry-run=client", "-o", "name", "-f",
                manifest.toString());
        assertThat(result.exit).isNotZero();
        assertThat(result.output).contains("unknown field \"replicaz\" in io.k8s.api.apps.v1.DeploymentSpec");
    }

    @Test
    void kubectl120ValidationAcceptsAFullDeploymentAndACustomResource() throws Exception {
        Path manifest = write("good.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: web}}
                spec:
                  replicas: 2
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}}
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        ports: [{containerPort: 80}]
                        env: [{name: A, value: "1"}]
                        resources: {limits: {cpu: 1, memory: 64Mi}}
                ---
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata: {name: tab}
                spec: {cronSpec: "* * * * */5", port: 8080, extra: {anything: [1, 2]}, note: null}
                """);
        Result result = kubectl("kubectl-1.20", server, "create", "--dry-run=client", "-o", "name", "-f",
                manifest.toString());
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("deployment.apps/web").contains("crontab.stable.example.com/tab");
    }

    @Test
    void kubectl135ExplainsDeploymentStrategyFromTheV3Document() throws Exception {
        Result result = kubectl("kubectl-1.35", server, "explain", "deployments.spec.strategy");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("GROUP:      apps").contains("KIND:       Deployment")
                .contains("rollingUpdate\t<RollingUpdateDeployment>");
        assertThat(server.requests).anyMatch(r -> r.startsWith("GET /openapi/v3/apis/apps/v1?hash="));
    }

    @Test
    void kubectl135ExplainsKedgeOwnKindFromItsCustomSchema() throws Exception {
        Result result = kubectl("kubectl-1.35", server, "explain", "edgeunits.spec");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).contains("KIND:       EdgeUnit").contains("autonomy").contains("taints");
    }

    @Test
    void kubectl135ApplyMergesContainersByNameWithStrictFieldValidation() throws Exception {
        Result result = applyChangedDeployment("kubectl-1.35", server, "web135");
        assertThat(result.exit).as(result.output).isZero();
        FakeApiServer.Patch patch = patchTo(server, "web135");
        assertThat(patch.contentType()).isEqualTo("application/strategic-merge-patch+json");
        assertThat(patch.uri()).contains("fieldValidation=Strict");
        assertThat(patch.body()).contains(SPEC_WITH_ONLY_CHANGED_CONTAINER);
    }

    @Test
    void kubectl135ApplyBuildsItsPatchFromTheV3SchemaItIsServed() throws Exception {
        // without merge keys in the served schema the container list is replaced whole: proof the schema is used
        Result result = applyChangedDeployment("kubectl-1.35", withoutMergeKeys, "web135bare");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(patchTo(withoutMergeKeys, "web135bare").body()).contains(SPEC_WITH_WHOLE_CONTAINER_LIST);
        assertThat(withoutMergeKeys.requests).noneMatch(r -> r.startsWith("GET /openapi/v2"));
    }

    @Test
    void kubectl120ApplyMergesContainersByNameUsingTheV2Schema() throws Exception {
        Result result = applyChangedDeployment("kubectl-1.20", server, "web120");
        assertThat(result.exit).as(result.output).isZero();
        FakeApiServer.Patch patch = patchTo(server, "web120");
        assertThat(patch.contentType()).isEqualTo("application/strategic-merge-patch+json");
        assertThat(patch.body()).contains(SPEC_WITH_ONLY_CHANGED_CONTAINER);
    }

    @Test
    void kubectl120ApplyBuildsItsPatchFromTheV2SchemaItIsServed() throws Exception {
        Result result = applyChangedDeployment("kubectl-1.20", withoutMergeKeys, "web120bare");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(patchTo(withoutMergeKeys, "web120bare").body()).contains(SPEC_WITH_WHOLE_CONTAINER_LIST);
    }

    @Test
    void kubectl135ApplyOfACustomResourceSendsAMergePatch() throws Exception {
        String original = "{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"CronTab\","
                + "\"metadata\":{\"name\":\"tab\",\"namespace\":\"default\"},\"spec\":{\"image\":\"a\"}}";
        server.putObject("/apis/stable.example.com/v1/namespaces/default/crontabs/tab", withLastApplied(original));
        Path manifest = write("tab.yaml", """
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata: {name: tab, namespace: default}
                spec: {image: b}
                """);
        Result result = kubectl("kubectl-1.35", server, "apply", "-f", manifest.toString());
        assertThat(result.exit).as(result.output).isZero();
        assertThat(server.patches).anySatisfy(p -> {
            assertThat(p.uri()).contains("/crontabs/tab");
            assertThat(p.contentType()).isEqualTo("application/merge-patch+json");
        });
    }

    private Result applyChangedDeployment(String binary, FakeApiServer target, String name) throws Exception {
        String original = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"default"},
                 "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"a","image":"nginx:1"},{"name":"b","image":"busybox"}]}}}}"""
                .replace("NAME", name).replace("\n", "");
        target.putObject("/apis/apps/v1/namespaces/default/deployments/" + name, withLastApplied(original));
        Path manifest = write(name + ".yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: NAME, namespace: default}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: a, image: "nginx:2"}, {name: b, image: busybox}]
                """.replace("NAME", name));
        return kubectl(binary, target, "apply", "-f", manifest.toString());
    }

    private static String withLastApplied(String original) throws IOException {
        ObjectNode object = (ObjectNode) Schemas.MAPPER.readTree(original);
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("resourceVersion", "7").putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", original);
        return Schemas.MAPPER.writeValueAsString(object);
    }

    private static FakeApiServer.Patch patchTo(FakeApiServer target, String name) {
        return target.patches.stream().filter(p -> p.uri().contains("/deployments/" + name + "?")).findFirst()
                .orElseThrow(() -> new AssertionError("no PATCH to " + name + "; requests: " + target.requests));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text);
    }

    private record Result(int exit, String output) {}

    private Result kubectl(String binary, FakeApiServer target, String... args) throws Exception {
        Path kubectl = TOOLS.resolve(binary);
        assumeTrue(Files.isExecutable(kubectl), binary + " is not installed in " + TOOLS);
        target.requests.clear();
        List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--server=" + target.url(),
                "--cache-dir=" + work.resolve("cache")));
        command.addAll(List.of(args));
        Path output = work.resolve("kubectl.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(work.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(binary + " did not finish: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
