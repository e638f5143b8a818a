package io.kedge.apiserver.protobuf;

import static io.kedge.apiserver.protobuf.ProtobufBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kedge.api.ApiException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real client: kubectl 1.35 posts its typed writes as protobuf to a loopback server, and
 * each captured body must decode to the JSON that kubectl prints for the same command with
 * {@code --dry-run=client -o json}. Skipped where the repository's kubectl is not installed.
 */
class KubectlProtobufBodiesTest {
    private static final Path KUBECTL = Path.of("..", ".tools", "bin", "kubectl-1.35").toAbsolutePath().normalize();

    private static HttpServer server;
    private static final List<Captured> captured = new ArrayList<>();

    @TempDir
    static Path home;

    record Captured(String path, String contentType, byte[] body) {}

    @BeforeAll
    static void startServer() throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.35 is not installed at " + KUBECTL);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", KubectlProtobufBodiesTest::answer);
        server.start();
        Files.write(home.resolve("blob.bin"), new byte[] {'b', 'i', 'n', 0, 1, (byte) 0xff});
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void forgetEarlierRequests() {
        synchronized (captured) {
            captured.clear();
        }
    }

    static Stream<String> createCommands() {
        return Stream.of(
                "create namespace team-a",
                "create configmap cfg --from-literal=a=1 --from-file=blob=blob.bin",
                "create secret generic s --from-literal=password=hunter2 --type=Opaque",
                "create secret docker-registry reg --docker-server=r.example.com --docker-username=u --docker-password=p",
                "create deployment web --image=nginx:1.27 --replicas=3 --port=80",
                "create service clusterip web --tcp=80:8080 --tcp=9090:metrics",
                "create service nodeport np --tcp=80:8080 --node-port=30080",
                "create job j --image=busybox -- echo hi",
                "create cronjob c --image=busybox --schedule=*/5_*_*_*_* -- date",
                "create serviceaccount sa",
                "create role r --verb=get,list --resource=pods --resource-name=web",
                "create rolebinding rb --role=r --serviceaccount=default:sa",
                "create clusterrole cr --verb=get --non-resource-url=/healthz",
                "create clusterrolebinding crb --clusterrole=view --user=alice --group=dev",
                "create quota q --hard=pods=10,requests.cpu=2",
                "create priorityclass high --value=1000 --description=important",
                "create poddisruptionbudget pdb --selector=app=web --min-available=50%",
                "create ingress ing --rule=example.com/*=web:80");
    }

    @ParameterizedTest
    @MethodSource("createCommands")
    void kubectlsProtobufBodyDecodesToTheJsonItPrints(String command) throws Exception {
        List<String> args = arguments(command);

        run(withServer(args, "--validate=false"));
        Captured post = onlyPost();
        JsonNode printed = json(run(withServer(args, "--dry-run=client", "--output=json")));

        assertThat(post.contentType()).startsWith(ProtobufObjects.CONTENT_TYPE);
        assertThat(ProtobufObjects.decode(post.body())).isEqualTo(printed);
    }

    @Test
    void authCanIPostsASelfSubjectAccessReview() throws Exception {
        run(withServer(arguments("auth can-i delete pods --namespace=shop")));
        Captured post = onlyPost();

        assertThat(post.path()).startsWith("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
        assertThat(ProtobufObjects.decode(post.body())).isEqualTo(json("""
                {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},
                 "spec":{"resourceAttributes":{"namespace":"shop","verb":"delete","resource":"pods"}},
                 "status":{"allowed":false}}"""));
    }

    /** Arguments split on spaces; an underscore stands for a space inside one argument. */
    private static List<String> arguments(String command) {
        List<String> args = new ArrayList<>();
        for (String word : command.split(" ")) {
            args.add(word.replace('_', ' '));
        }
        return args;
    }

    /** The server flag goes first, create's own flags right after "create KIND", all ahead of a "--". */
    private static List<String> withServer(List<String> args, String... createFlags) {
        List<String> all = new ArrayList<>(List.of("--server=http://127.0.0.1:" + server.getAddress().getPort()));
        all.addAll(args);
        all.addAll(3, List.of(createFlags));
        return all;
    }

    private static Captured onlyPost() {
        synchronized (captured) {
            assertThat(captured).as("requests kubectl posted").hasSize(1);
            return captured.get(0);
        }
    }

    private static String run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(KUBECTL.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy"));
        env.put("HOME", home.toString());
        env.put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        Path stderr = Files.createTempFile(home, "kubectl", ".err");
        Process process = builder.redirectError(stderr.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        String errors = Files.readString(stderr);
        // can-i answers "no" with exit code 1; everything else must succeed
        assertThat(process.exitValue() == 0 || stdout.strip().equals("no"))
                .as("kubectl %s failed: %s", args, errors).isTrue();
        return stdout;
    }

    /** Records each POST and answers with the object it decodes to, as a server would. */
    private static void answer(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        byte[] response;
        int status;
        if (exchange.getRequestMethod().equals("POST")) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            synchronized (captured) {
                captured.add(new Captured(exchange.getRequestURI().getPath(), contentType, request));
            }
            try {
                response = ProtobufObjects.isProtobuf(contentType)
                        ? ProtobufObjects.decode(request).toString().getBytes(StandardCharsets.UTF_8) : request;
                status = 201;
            } catch (ApiException e) {
                response = e.toStatus().toString().getBytes(StandardCharsets.UTF_8);
                status = e.code();
            }
        } else if (exchange.getRequestURI().getPath().equals("/api")) {
            status = 200;
            response = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}".getBytes(StandardCharsets.UTF_8);
        } else if (exchange.getRequestURI().getPath().equals("/apis")) {
            status = 200;
            response = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}".getBytes(StandardCharsets.UTF_8);
        } else if (exchange.getRequestURI().getPath().equals("/api/v1")) {
            status = 200;
            response = ("{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[{\"name\":\"pods\","
                    + "\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"]}]}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            status = 404;
            response = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }
}
