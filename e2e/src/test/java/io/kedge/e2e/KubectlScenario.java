package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The everyday kubectl scenario against a real kedge server process, run by each kubectl version
 * the project supports. The steps build on each other, as a user's session would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KubectlScenario {
    static final ObjectMapper JSON = new ObjectMapper();
    Path tmp;
    ServerProcess server;
    Cli kubectl;

    abstract String kubectlBinary();

    @BeforeAll
    void startServer() throws Exception {
        tmp = Files.createTempDirectory("kedge-e2e-" + kubectlBinary());
        server = new ServerProcess(tmp.resolve("server"), List.of()).start();
        kubectl = new Cli(kubectlBinary(), server.kubeconfig());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) server.close();
    }

    Path resource(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (var in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    JsonNode json(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "-o";
        full[args.length + 1] = "json";
        return JSON.readTree(kubectl.run(full).ok().out());
    }

    @Test
    @Order(1)
    void applyOfAMultiDocumentFileCreatesEveryObject() throws Exception {
        kubectl.run("create", "namespace", "shop").ok();
        var r = kubectl.run("apply", "-f", resource("shop.yaml").toString());
        if (r.exit() != 0 && r.err().contains("no matches for kind \"Widget\"")) {
            // kubectl maps every document before the CRD exists, as against any Kubernetes API: apply again
            r = kubectl.run("apply", "-f", resource("shop.yaml").toString());
        }
        r.ok();
        assertThat(r.out()).contains("deployment.apps/web", "service/web", "configmap/web-config", "secret/web-secret",
                "customresourcedefinition.apiextensions.k8s.io/widgets.example.com", "widget.example.com/gizmo",
                "edgeunit.edge.kedge.io/store-12");
        assertThat(json("get", "widget", "gizmo", "-n", "shop").path("spec").path("size").asInt())
                .as("schema default applied").isEqualTo(3);
        assertThat(json("get", "svc", "web", "-n", "shop").path("spec").path("clusterIP").asText()).startsWith("10.43.");
        assertThat(json("get", "secret", "web-secret", "-n", "shop").path("data").path("password").asText())
                .isEqualTo("czNjcmV0");
    }

    @Test
    @Order(2)
    void getPrintsTablesInEveryOutputFormat() throws Exception {
        String table = kubectl.run("get", "deploy", "-n", "shop").ok().out();
        assertThat(table.lines().findFirst().orElse("")).contains("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(table).contains("web");
        String wide = kubectl.run("get", "deploy", "-n", "shop", "-o", "wide").ok().out();
        assertThat(wide).contains("CONTAINERS", "IMAGES", "SELECTOR", "app,sidecar", "app=web");
        assertThat(kubectl.run("get", "deploy", "web", "-n", "shop", "-o", "yaml").ok().out())
                .contains("kind: Deployment", "name: web", "image: localhost:5000/shop/app:1.0");
        assertThat(json("get", "cm", "-n", "shop").path("items").findValuesAsText("name")).contains("web-config");
        assertThat(kubectl.run("get", "svc", "-n", "shop", "-o", "jsonpath={.items[*].metadata.name}").ok().out())
                .isEqualTo("web");
        assertThat(kubectl.run("get", "deploy", "-n", "shop", "-o",
                "custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image").ok().out())
                .contains("NAME", "IMAGE", "localhost:5000/shop/app:1.0");
        String all = kubectl.run("get", "cm", "-A").ok().out();
        assertThat(all).contains("NAMESPACE", "shop", "web-config");
        assertThat(kubectl.run("get", "deploy", "-n", "shop", "--show-labels").ok().out()).contains("LABELS", "app=web,tier=front");
        assertThat(kubectl.run("get", "deploy", "-n", "shop", "-l", "tier=front").ok().out()).contains("web");
        assertThat(kubectl.run("get", "deploy", "-n", "shop", "-l", "tier=back").ok().err()).contains("No resources found");
        assertThat(kubectl.run("get", "widgets", "-n", "shop").ok().out()).contains("SIZE", "gizmo");
        assertThat(kubectl.run("get", "edgeunits").ok().out()).contains("store-12");
    }

    @Test
    @Order(3)
    void getWatchSeesAddedModifiedAndDeleted() throws Exception {
        Path out = tmp.resolve("watch.out");
        Process watch = kubectl.start(out, "get", "configmaps", "-n", "shop", "-w", "--output-watch-events");
        try {
            waitFor(out, "web-config");
            kubectl.run("create", "configmap", "watched", "-n", "shop", "--from-literal=a=1").ok();
            waitFor(out, "ADDED     watched");
            kubectl.run("patch", "configmap", "watched", "-n", "shop", "-p", "{\"data\":{\"a\":\"2\"}}").ok();
            waitFor(out, "MODIFIED  watched");
            kubectl.run("delete", "configmap", "watched", "-n", "shop").ok();
            waitFor(out, "DELETED   watched");
        } finally {
            watch.destroy();
            watch.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void waitFor(Path out, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out).replaceAll(" +", " ").contains(text.replaceAll(" +", " "))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never saw \"" + text + "\" in:\n" + (Files.exists(out) ? Files.readString(out) : ""));
    }

    @Test
    @Order(4)
    void labelAnnotateAndThreeKindsOfPatchChangeTheObject() throws Exception {
        kubectl.run("label", "cm", "web-config", "-n", "shop", "team=payments").ok();
        kubectl.run("annotate", "cm", "web-config", "-n", "shop", "owner=alice").ok();
        kubectl.run("patch", "cm", "web-config", "-n", "shop", "--type=merge", "-p", "{\"data\":{\"merge\":\"yes\"}}").ok();
        kubectl.run("patch", "cm", "web-config", "-n", "shop", "--type=json",
                "-p", "[{\"op\":\"add\",\"path\":\"/data/json\",\"value\":\"yes\"}]").ok();
        kubectl.run("patch", "deploy", "web", "-n", "shop", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"localhost:5000/shop/sidecar:2.0\"}]}}}}").ok();
        JsonNode cm = json("get", "cm", "web-config", "-n", "shop");
        assertThat(cm.path("metadata").path("labels").path("team").asText()).isEqualTo("payments");
        assertThat(cm.path("metadata").path("annotations").path("owner").asText()).isEqualTo("alice");
        assertThat(cm.path("data").path("merge").asText()).isEqualTo("yes");
        assertThat(cm.path("data").path("json").asText()).isEqualTo("yes");
        assertThat(cm.path("data").path("greeting").asText()).isEqualTo("hello");
        JsonNode containers = json("get", "deploy", "web", "-n", "shop").path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(1).path("image").asText()).isEqualTo("localhost:5000/shop/sidecar:2.0");
        assertThat(containers.get(0).path("image").asText()).isEqualTo("localhost:5000/shop/app:1.0");
    }

    @Test
    @Order(5)
    void applyAgainWithOneContainerChangedKeepsTheOther() throws Exception {
        Path changed = tmp.resolve("shop-changed.yaml");
        Files.writeString(changed, Files.readString(resource("shop.yaml")).replace("shop/app:1.0", "shop/app:1.1"));
        kubectl.run("apply", "-f", changed.toString()).ok();
        JsonNode deploy = json("get", "deploy", "web", "-n", "shop");
        JsonNode containers = deploy.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).extracting(c -> c.path("name").asText()).containsExactly("app", "sidecar");
        assertThat(containers.get(0).path("image").asText()).isEqualTo("localhost:5000/shop/app:1.1");
        assertThat(containers.get(0).path("env").get(0).path("value").asText()).isEqualTo("shop");
        assertThat(deploy.path("metadata").path("generation").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(6)
    void replaceScaleEditAndDeleteWork() throws Exception {
        JsonNode cm = json("get", "cm", "web-config", "-n", "shop");
        ((com.fasterxml.jackson.databind.node.ObjectNode) cm.path("data")).put("greeting", "replaced");
        Path file = tmp.resolve("cm.json");
        Files.writeString(file, cm.toString());
        kubectl.run("replace", "-f", file.toString()).ok();
        assertThat(json("get", "cm", "web-config", "-n", "shop").path("data").path("greeting").asText()).isEqualTo("replaced");

        kubectl.run("scale", "deploy", "web", "-n", "shop", "--replicas=5").ok();
        assertThat(json("get", "deploy", "web", "-n", "shop").path("spec").path("replicas").asInt()).isEqualTo(5);

        Path editor = tmp.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/greeting: replaced/greeting: edited/' \"$1\"\n");
        editor.toFile().setExecutable(true);
        new Cli(kubectlBinary(), server.kubeconfig(), Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()))
                .run("edit", "cm", "web-config", "-n", "shop").ok();
        assertThat(json("get", "cm", "web-config", "-n", "shop").path("data").path("greeting").asText()).isEqualTo("edited");

        kubectl.run("delete", "cm", "web-config", "-n", "shop").ok();
        assertThat(kubectl.run("get", "cm", "web-config", "-n", "shop").exit()).isNotZero();
        kubectl.run("delete", "widget", "gizmo", "-n", "shop").ok();
        assertThat(kubectl.run("get", "widget", "gizmo", "-n", "shop").err()).contains("NotFound");
    }

    @Test
    @Order(7)
    void describeApiResourcesExplainAuthAndServerDryRunWork() throws Exception {
        assertThat(kubectl.run("describe", "deploy", "web", "-n", "shop").ok().out())
                .contains("Name:", "web", "Replicas:", "localhost:5000/shop/app:1.1");
        String resources = kubectl.run("api-resources").ok().out();
        assertThat(resources).contains("deployments", "deploy", "edgeunits", "widgets", "customresourcedefinitions");
        assertThat(kubectl.run("explain", "deployment.spec.strategy").ok().out()).contains("rollingUpdate");
        assertThat(kubectl.run("explain", "edgeunit.spec").ok().out()).contains("autonomy");
        assertThat(kubectl.run("auth", "can-i", "create", "deployments", "-n", "shop").ok().out().trim()).isEqualTo("yes");
        kubectl.run("create", "configmap", "dry", "-n", "shop", "--from-literal=a=1", "--dry-run=server").ok();
        assertThat(kubectl.run("get", "cm", "dry", "-n", "shop").exit()).as("server dry run stores nothing").isNotZero();
    }
}
