package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.apiserver.auth.ServiceAccountKey;
import io.kedge.apiserver.auth.ServiceAccountTokenIssuer;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.TlsMaterial;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods reach the hub as {@code kubernetes.default} over HTTPS with their service-account tokens:
 * online the real cloud decides with the pod's own identity, offline the hub answers only what the
 * cloud allowed that service account before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodEndpointTest {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private TestCloud cloud;
    private Path serverDir;
    private IssuedCertificate serving;
    private HttpClient tls;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    void startCloud() throws Exception {
        serverDir = Files.createTempDirectory("kedge-podapi-test");
        cloud = TestCloud.start(serverDir);
        serving = cloud.ca.issueServing("kubernetes", List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local"), List.of("127.0.0.1"), Duration.ofDays(1));
        tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TlsMaterial.context(null, cloud.ca.certificate()))
                .build();
        cloud.create("/api/v1/namespaces/default/serviceaccounts", sa("reader"));
        cloud.create("/api/v1/namespaces/default/serviceaccounts", sa("nobody"));
        cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                + "\"kind\":\"Role\",\"metadata\":{\"name\":\"cm-reader\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":"
                + "[\"configmaps\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]}");
        cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "{\"apiVersion\":"
                + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"cm-reader\"},\"roleRef\":"
                + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"cm-reader\"},\"subjects\":[{\"kind\":"
                + "\"ServiceAccount\",\"name\":\"reader\",\"namespace\":\"default\"}]}");
        cloud.create(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"labels\":"
                + "{\"app\":\"web\"}},\"data\":{\"mode\":\"edge\"}}");
        // the API server's own Service, as the endpoint reconciler publishes it for a routable address
        cloud.create("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "{\"apiVersion\":\"discovery.k8s.io/v1\","
                + "\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"kubernetes\",\"labels\":{\"kubernetes.io/service-name\":"
                + "\"kubernetes\"}},\"addressType\":\"IPv4\",\"endpoints\":[{\"addresses\":[\"192.0.2.10\"],\"conditions\":"
                + "{\"ready\":true}}],\"ports\":[{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}]}");
    }

    @AfterAll
    void stopCloud() throws Exception {
        cloud.close();
    }

    @AfterEach
    void closeHubs() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    private static String sa(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}";
    }

    /** A hub for {@code node} serving pods on loopback, once it holds the cloud's key and knows the node's pods. */
    private EdgeHub hub(String node, Link link) throws Exception {
        return hub(node, List.of(link));
    }

    private EdgeHub hub(String node, List<Link> links) throws Exception {
        HubConfig config = cloud.hubConfig(dir.resolve(node), node, links)
                .withPods(new PodEndpoint(new InetSocketAddress("127.0.0.1", 0), () -> serving));
        EdgeHub hub = new EdgeHub(config).start();
        opened.add(hub);
        Await.until("the hub read the cloud's service-account key", () -> Files.exists(dir.resolve(node).resolve(IssuerKeys.FILE)));
        return hub;
    }

    private Link link() throws Exception {
        Link link = cloud.link();
        opened.add(link);
        return link;
    }

    /** A pod on {@code node} running as {@code account}, and a token bound to it as the kubelet would get one. */
    private String podToken(String pod, String node, String account) throws Exception {
        JsonNode created = cloud.create("/api/v1/namespaces/default/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                + "{\"name\":\"" + pod + "\"},\"spec\":{\"nodeName\":\"" + node + "\",\"serviceAccountName\":\"" + account
                + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        HttpResponse<String> r = cloud.send("POST", "/api/v1/namespaces/default/serviceaccounts/" + account + "/token",
                "application/json", "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
                        + "{\"expirationSeconds\":3600,\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"" + pod
                        + "\",\"uid\":\"" + created.path("metadata").path("uid").asText() + "\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return HubClient.json(r.body()).path("status").path("token").asText();
    }

    /** The kubelet's view of its pods, which the hub caches and checks offline tokens against. */
    private static void kubeletLists(EdgeHub hub, String node) throws Exception {
        new HubClient(hub.url(), "kubelet").get("/api/v1/pods?fieldSelector=spec.nodeName%3D" + node);
    }

    private HttpResponse<String> send(EdgeHub hub, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.podAddress().getPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return tls.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        HubClient.json(list).path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    private static void awaitOffline(EdgeHub hub) throws Exception {
        Await.until("the hub sees the cloud unhealthy", () -> !hub.cloudHealthy());
    }

    @Test
    void aPodReadsThroughTheEndpointAndTheCloudSeesItsServiceAccount() throws Exception {
        EdgeHub hub = hub("pa-1", link());
        String reader = podToken("pa-reader", "pa-1", "reader");
        String nobody = podToken("pa-nobody", "pa-1", "nobody");

        HttpResponse<String> list = send(hub, reader, "GET", CM, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(names(list.body())).contains("settings");
        HttpResponse<String> whoami = send(hub, reader, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
        assertThat(whoami.statusCode()).as(whoami.body()).isEqualTo(201);
        JsonNode user = HubClient.json(whoami.body()).path("status").path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("system:serviceaccount:default:reader");
        assertThat(user.path("groups").toString()).doesNotContain("system:nodes");

        HttpResponse<String> refused = send(hub, nobody, "GET", CM, null);
        assertThat(refused.statusCode()).as("the cloud's RBAC decides, not the node's").isEqualTo(403);
        assertThat(refused.body()).contains("system:serviceaccount:default:nobody");
    }

    @Test
    void aRequestWithoutATokenIsUnauthorizedOnlineAndOffline() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-2", link);
        assertThat(send(hub, null, "GET", CM, null).statusCode()).isEqualTo(401);

        link.cut();
        awaitOffline(hub);
        HttpResponse<String> offline = send(hub, null, "GET", CM, null);
        assertThat(offline.statusCode()).isEqualTo(401);
        assertThat(HubClient.json(offline.body()).path("message").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void offlineWhatTheAccountReadBeforeIsServedANewShapeIsForbiddenAndAWriteUnavailable() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-3", link);
        String reader = podToken("pa3-reader", "pa-3", "reader");
        kubeletLists(hub, "pa-3");
        assertThat(send(hub, reader, "GET", CM, null).statusCode()).isEqualTo(200);
        assertThat(send(hub, reader, "GET", CM + "/settings", null).statusCode()).isEqualTo(200);
        assertThat(send(hub, reader, "GET", "/api/v1/namespaces/kube-system/configmaps", null).statusCode())
                .as("the cloud refuses what the role does not grant").isEqualTo(403);

        link.cut();
        awaitOffline(hub);
        HttpResponse<String> list = send(hub, reader, "GET", CM, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(names(list.body())).contains("settings");
        assertThat(HubClient.json(list.body()).path("kind").asText()).isEqualTo("ConfigMapList");
        HttpResponse<String> one = send(hub, reader, "GET", CM + "/settings", null);
        assertThat(HubClient.json(one.body()).path("data").path("mode").asText()).isEqualTo("edge");

        HttpResponse<String> newShape = send(hub, reader, "GET", CM + "?labelSelector=app%3Dweb", null);
        assertThat(newShape.statusCode()).isEqualTo(403);
        assertThat(HubClient.json(newShape.body()).path("message").asText())
                .contains("cloud is unreachable since").contains("system:serviceaccount:default:reader")
                .contains("list configmaps in namespace default (labelSelector app=web");
        assertThat(send(hub, reader, "GET", "/api/v1/namespaces/kube-system/configmaps", null).statusCode())
                .as("what the cloud refused online stays refused").isEqualTo(403);
        assertThat(send(hub, reader, "GET", "/api/v1/namespaces/default/secrets", null).statusCode()).isEqualTo(403);

        HttpResponse<String> write = send(hub, reader, "POST", CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"offline\"}}");
        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(HubClient.json(write.body()).path("message").asText()).contains("cloud is unreachable since");
    }

    @Test
    void offlineAWatchOfAShapeReadBeforeStaysOpenWithTheCachedItems() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-4", link);
        String reader = podToken("pa4-reader", "pa-4", "reader");
        kubeletLists(hub, "pa-4");
        assertThat(send(hub, reader, "GET", CM, null).statusCode()).isEqualTo(200);

        link.cut();
        awaitOffline(hub);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.podAddress().getPort() + CM
                + "?watch=true")).header("Authorization", "Bearer " + reader).build();
        HttpResponse<Stream<String>> watch = tls.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(watch.statusCode()).isEqualTo(200);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader1 = new Thread(() -> {
            Iterator<String> it = watch.body().iterator();
            while (it.hasNext()) {
                lines.add(it.next());
            }
        });
        reader1.setDaemon(true);
        reader1.start();
        String first = lines.poll(30, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        JsonNode event = HubClient.json(first);
        assertThat(event.path("type").asText()).isEqualTo("ADDED");
        assertThat(event.path("object").path("kind").asText()).isEqualTo("ConfigMap");
    }

    @Test
    void offlineATokenOfAPodElsewhereExpiredForgedOrForAnotherAudienceIsUnauthorized() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-5", link);
        String here = podToken("pa5-here", "pa-5", "reader");
        String elsewhere = podToken("pa5-elsewhere", "pa-other", "reader");
        kubeletLists(hub, "pa-5");
        assertThat(send(hub, here, "GET", CM, null).statusCode()).isEqualTo(200);
        assertThat(send(hub, elsewhere, "GET", CM, null).statusCode()).as("the cloud accepts it online").isEqualTo(200);
        JsonNode claims = claims(here);
        ServiceAccountKey serverKey = ServiceAccountKey.loadOrCreate(serverDir.resolve("server/pki"));
        List<ServiceAccountTokenIssuer.Binding> pod = List.of(new ServiceAccountTokenIssuer.Binding("pod",
                claims.path("kubernetes.io").path("pod").path("name").asText(), claims.path("kubernetes.io").path("pod").path("uid").asText()));
        String saUid = claims.path("kubernetes.io").path("serviceaccount").path("uid").asText();
        String expired = new ServiceAccountTokenIssuer(serverKey, Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC))
                .issue("default", "reader", saUid, pod, List.of(ServiceAccountTokenIssuer.ISSUER), 3600).token();
        String forged = new ServiceAccountTokenIssuer(ServiceAccountKey.generate(), Clock.systemUTC())
                .issue("default", "reader", saUid, pod, List.of(ServiceAccountTokenIssuer.ISSUER), 3600).token();
        String otherAudience = new ServiceAccountTokenIssuer(serverKey, Clock.systemUTC())
                .issue("default", "reader", saUid, pod, List.of("vault"), 3600).token();
        String unbound = new ServiceAccountTokenIssuer(serverKey, Clock.systemUTC())
                .issue("default", "reader", saUid, List.of(), List.of(ServiceAccountTokenIssuer.ISSUER), 3600).token();

        link.cut();
        awaitOffline(hub);
        assertThat(send(hub, here, "GET", CM, null).statusCode()).isEqualTo(200);
        for (String bad : List.of(elsewhere, expired, forged, otherAudience, unbound, "not-a-jwt")) {
            HttpResponse<String> r = send(hub, bad, "GET", CM, null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(HubClient.json(r.body()).path("message").asText()).as("no detail leaks").isEqualTo("Unauthorized");
        }
    }

    @Test
    void theKeyReadOnlineSurvivesARestartOffline() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-6", link);
        String reader = podToken("pa6-reader", "pa-6", "reader");
        kubeletLists(hub, "pa-6");
        assertThat(send(hub, reader, "GET", CM + "/settings", null).statusCode()).isEqualTo(200);
        hub.close();
        opened.remove(hub);

        link.cut();
        EdgeHub again = hub("pa-6", link);
        awaitOffline(again);
        HttpResponse<String> one = send(again, reader, "GET", CM + "/settings", null);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    }

    @Test
    void theKubernetesServiceIsServedToTheNodeWithThePodEndpointOnceItOpens() throws Exception {
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve("pa-7"), "pa-7", link())).start();
        opened.add(hub);
        HubClient proxy = new HubClient(hub.url(), "kube-proxy");
        String slices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
        JsonNode before = kubernetesSlice(proxy.get(slices));
        assertThat(before.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("192.0.2.10");
        HubClient.Events watch = proxy.watch(slices + "?watch=true&resourceVersion="
                + proxy.get(slices).path("metadata").path("resourceVersion").asText());

        InetSocketAddress endpoint = hub.servePods(new PodEndpoint(new InetSocketAddress("127.0.0.1", 0), () -> serving));

        // the watch may first be sent the slices again as they were (a catch-up after the hub learnt the units)
        JsonNode event;
        do {
            event = HubClient.json(watch.next());
        } while (!event.path("object").path("endpoints").path(0).path("addresses").path(0).asText().equals("127.0.0.1"));
        assertThat(event.path("type").asText()).as("the node's open watch is told").isEqualTo("MODIFIED");
        for (JsonNode served : List.of(event.path("object"), kubernetesSlice(proxy.get(slices)))) {
            assertThat(served.path("endpoints").size()).isEqualTo(1);
            assertThat(served.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("127.0.0.1");
            assertThat(served.path("ports").get(0).path("port").asInt()).isEqualTo(endpoint.getPort());
            assertThat(served.path("ports").get(0).path("name").asText()).isEqualTo("https");
        }
    }

    @Test
    void aRotatedServingCertificateServesTheConnectionsOpenedAfterIt() throws Exception {
        java.util.concurrent.atomic.AtomicReference<IssuedCertificate> current = new java.util.concurrent.atomic.AtomicReference<>(serving);
        EdgeHub hub = new EdgeHub(cloud.hubConfig(dir.resolve("pa-8"), "pa-8", link())
                .withPods(new PodEndpoint(new InetSocketAddress("127.0.0.1", 0), current::get))).start();
        opened.add(hub);
        assertThat(servedCertificate(hub)).isEqualTo(serving.certificate());

        IssuedCertificate rotated = cloud.ca.issueServing("kubernetes", List.of("kubernetes.default.svc"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        current.set(rotated);

        assertThat(servedCertificate(hub)).isEqualTo(rotated.certificate());
    }

    @Test
    void aPodsExecIsRelayedToTheCloudWhoseRbacForTheAccountDecidesAndBytesFlowBothWaysAfterTheSwitch() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-9", link);
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"pa-9\"}}");
        try (EchoKubelet kubelet = new EchoKubelet(cloud.ca); TunnelClient agent = tunnel("pa-9", kubelet)) {
            cloud.create("/api/v1/namespaces/default/serviceaccounts", sa("execer"));
            cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "{\"apiVersion\":"
                    + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"execer\"},\"rules\":[{\"apiGroups\":"
                    + "[\"\"],\"resources\":[\"pods/exec\"],\"verbs\":[\"get\",\"create\"]}]}");
            cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "{\"apiVersion\":"
                    + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"execer\"},\"roleRef\":"
                    + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"execer\"},\"subjects\":[{\"kind\":"
                    + "\"ServiceAccount\",\"name\":\"execer\",\"namespace\":\"default\"}]}");
            String execer = podToken("pa9-execer", "pa-9", "execer");
            String nobody = podToken("pa9-nobody", "pa-9", "nobody");
            String exec = "/api/v1/namespaces/default/pods/pa9-execer/exec?command=sh&stdin=true&stdout=true";

            String spdy = rawExchange(hub, "POST " + exec + " HTTP/1.1\r\nHost: kubernetes.default.svc\r\nAuthorization: Bearer "
                    + execer + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "Content-Length: 0\r\n\r\n", "typed into the pod\n");
            assertThat(spdy).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: SPDY/3.1")
                    .containsIgnoringCase("x-stream-protocol-version: v4.channel.k8s.io")
                    .contains("ready /exec/default/pa9-execer/c?command=sh&input=1&output=1\n")
                    .endsWith("typed into the pod\n");

            String websocket = rawExchange(hub, "GET " + exec + " HTTP/1.1\r\nHost: kubernetes.default.svc\r\nAuthorization: Bearer "
                    + execer + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n", "frames\n");
            assertThat(websocket).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket").endsWith("frames\n");

            String refused = rawExchange(hub, "POST " + exec + " HTTP/1.1\r\nHost: kubernetes.default.svc\r\nAuthorization: Bearer "
                    + nobody + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "Content-Length: 0\r\n\r\n", null);
            assertThat(refused).as("the cloud's RBAC decides, for the pod's own account").startsWith("HTTP/1.1 403")
                    .contains("system:serviceaccount:default:nobody").contains("pods/exec");

            kubeletLists(hub, "pa-9");
            link.cut();
            awaitOffline(hub);
            String offline = rawExchange(hub, "POST " + exec + " HTTP/1.1\r\nHost: kubernetes.default.svc\r\nAuthorization: Bearer "
                    + execer + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                    + "Content-Length: 0\r\n\r\n", null);
            assertThat(offline).startsWith("HTTP/1.1 503").contains("the cloud is unreachable since")
                    .contains("exec, attach and port-forward are relayed to it");
        }
    }

    @Test
    void aPodsExecGoesThroughTheNextServerWhenTheOneTheHubUsedIsCut() throws Exception {
        Link first = link();
        Link second = link();
        EdgeHub hub = hub("pa-10", List.of(first, second));
        cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"pa-10\"}}");
        try (EchoKubelet kubelet = new EchoKubelet(cloud.ca); TunnelClient agent = tunnel("pa-10", kubelet)) {
            cloud.create("/api/v1/namespaces/default/serviceaccounts", sa("execer10"));
            cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "{\"apiVersion\":"
                    + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"execer10\"},\"rules\":[{"
                    + "\"apiGroups\":[\"\"],\"resources\":[\"pods/exec\"],\"verbs\":[\"get\",\"create\"]}]}");
            cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "{\"apiVersion\":"
                    + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"execer10\"},"
                    + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"execer10\"},"
                    + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"execer10\",\"namespace\":\"default\"}]}");
            String token = podToken("pa10-execer", "pa-10", "execer10");
            String exec = "POST /api/v1/namespaces/default/pods/pa10-execer/exec?command=sh&stdin=true&stdout=true HTTP/1.1\r\n"
                    + "Host: kubernetes.default.svc\r\nAuthorization: Bearer " + token + "\r\nConnection: Upgrade\r\n"
                    + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n";
            assertThat(rawExchange(hub, exec, "before\n")).startsWith("HTTP/1.1 101").endsWith("before\n");
            long throughFirst = first.connections();

            first.cut();
            String after = rawExchange(hub, exec, "after the cut\n");

            assertThat(throughFirst).as("the hub used the first server").isPositive();
            assertThat(after).as("the exec is relayed by the second server").startsWith("HTTP/1.1 101")
                    .contains("ready /exec/default/pa10-execer/c?command=sh&input=1&output=1\n").endsWith("after the cut\n");
        }
    }

    @Test
    void offlineAPodReadsItsOwnWritesInTheShapesItReadBeforeButTheyGrantItNoNewRead() throws Exception {
        Link link = link();
        EdgeHub hub = hub("pa-10", link);
        cloud.create("/api/v1/namespaces/default/serviceaccounts", sa("writer"));
        cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
                + "\"kind\":\"Role\",\"metadata\":{\"name\":\"cm-writer\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":"
                + "[\"configmaps\"],\"verbs\":[\"get\",\"list\",\"watch\",\"create\",\"patch\",\"delete\"]}]}");
        cloud.create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", "{\"apiVersion\":"
                + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"cm-writer\"},\"roleRef\":"
                + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"cm-writer\"},\"subjects\":[{\"kind\":"
                + "\"ServiceAccount\",\"name\":\"writer\",\"namespace\":\"default\"}]}");
        for (String name : List.of("pa10-notes", "pa10-doomed")) {
            cloud.create(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                    + "\"data\":{\"mode\":\"before\"}}");
        }
        String writer = podToken("pa10-writer", "pa-10", "writer");
        kubeletLists(hub, "pa-10");
        assertThat(send(hub, writer, "GET", CM, null).statusCode()).isEqualTo(200);
        assertThat(send(hub, writer, "GET", CM + "/pa10-notes", null).statusCode()).isEqualTo(200);
        assertThat(send(hub, writer, "GET", CM + "/pa10-doomed", null).statusCode()).isEqualTo(200);

        HttpRequest patch = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.podAddress().getPort() + CM + "/pa10-notes"))
                .header("Authorization", "Bearer " + writer).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"mode\":\"written\"}}")).build();
        assertThat(tls.send(patch, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(send(hub, writer, "POST", CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":"
                + "{\"name\":\"pa10-fresh\"}}").statusCode()).isEqualTo(201);
        assertThat(send(hub, writer, "DELETE", CM + "/pa10-doomed", null).statusCode()).isEqualTo(200);

        link.cut();
        awaitOffline(hub);
        HttpResponse<String> notes = send(hub, writer, "GET", CM + "/pa10-notes", null);
        assertThat(HubClient.json(notes.body()).path("data").path("mode").asText()).isEqualTo("written");
        assertThat(names(send(hub, writer, "GET", CM, null).body())).contains("pa10-fresh", "pa10-notes").doesNotContain("pa10-doomed");
        assertThat(send(hub, writer, "GET", CM + "/pa10-doomed", null).statusCode()).isEqualTo(404);
        assertThat(send(hub, writer, "GET", CM + "/pa10-fresh", null).statusCode())
                .as("creating an object is no proof the account may read it").isEqualTo(403);
    }

    /** The node's tunnel to the cloud, its kubelet port leading to {@code kubelet}, once the cloud has registered it. */
    private TunnelClient tunnel(String node, EchoKubelet kubelet) throws Exception {
        Path certs = Files.createDirectories(dir.resolve(node + "-tunnel"));
        cloud.ca.issueClient("system:node:" + node, List.of("system:nodes"), Duration.ofDays(1))
                .writeTo(certs.resolve("node.crt"), certs.resolve("node.key"));
        TunnelClient agent = new TunnelClient(TunnelClientConfig.of(URI.create("https://127.0.0.1:" + cloud.server.port()), node,
                        certs.resolve("node.crt"), certs.resolve("node.key"), serverDir.resolve("server/pki/ca.crt"))
                .withTargets(java.util.Map.of(TunnelProtocol.KUBELET, kubelet.address()))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))).start();
        Await.until("the cloud has the tunnel of " + node, () -> cloud.server.tunnels().session(node).isPresent());
        return agent;
    }

    /**
     * One HTTP/1.1 request on a raw TLS connection to the pods' endpoint. After a 101, reads the first
     * line, writes {@code then} and reads the line it comes back as; otherwise reads the whole answer.
     */
    private String rawExchange(EdgeHub hub, String request, String then) throws Exception {
        try (SSLSocket socket = (SSLSocket) TlsMaterial.context(null, cloud.ca.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", hub.podAddress().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            String head = readUntil(in, got, "\r\n\r\n");
            if (!head.startsWith("HTTP/1.1 101")) {
                String lower = head.toLowerCase(java.util.Locale.ROOT);
                int length = Integer.parseInt(lower.split("content-length:")[1].split("\r\n")[0].trim());
                got.write(in.readNBytes(length));
                return got.toString(StandardCharsets.UTF_8);
            }
            readUntil(in, got, "\n");
            socket.getOutputStream().write(then.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readUntil(in, got, "\n");
        }
    }

    private static String readUntil(InputStream in, ByteArrayOutputStream got, String marker) throws java.io.IOException {
        int start = got.size();
        int b;
        while ((b = in.read()) >= 0) {
            got.write(b);
            if (got.toString(StandardCharsets.UTF_8).substring(start).endsWith(marker)) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** The certificate a new connection to the pods' endpoint is served. */
    private java.security.cert.Certificate servedCertificate(EdgeHub hub) throws Exception {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(null, cloud.ca.certificate())).build();
        HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.podAddress().getPort()
                + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        return r.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static JsonNode kubernetesSlice(JsonNode list) {
        for (JsonNode s : list.path("items")) {
            if (s.path("metadata").path("name").asText().equals("kubernetes")) {
                return s;
            }
        }
        throw new AssertionError("no kubernetes EndpointSlice in " + list);
    }

    private static JsonNode claims(String token) {
        String payload = token.split("\\.")[1];
        return HubClient.json(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8));
    }
}
