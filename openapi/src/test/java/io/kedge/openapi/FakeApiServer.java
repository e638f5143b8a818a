package io.kedge.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Plain-HTTP discovery and OpenAPI endpoints, just enough for kubectl's explain and client-side validation to run
 * against the documents under test.
 */
final class FakeApiServer implements AutoCloseable {
    private final HttpServer server;
    private final OpenApiV2 v2;
    private final OpenApiV3 v3;
    private final Map<String, byte[]> discovery = new LinkedHashMap<>();
    private final Map<String, byte[]> objects = new java.util.concurrent.ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Patch> patches = new ConcurrentLinkedQueue<>();

    /** A PATCH the server received. */
    record Patch(String uri, String contentType, String body) {}

    /** Serves GET on an object path; PATCH on it is recorded and answered with the object unchanged. */
    void putObject(String path, String json) {
        objects.put(path, json.getBytes(StandardCharsets.UTF_8));
    }

    FakeApiServer(List<ServedResource> resources, OpenApiV2 v2, OpenApiV3 v3) throws IOException {
        this.v2 = v2;
        this.v3 = v3;
        buildDiscovery(resources);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void buildDiscovery(List<ServedResource> resources) {
        Map<String, ArrayNode> lists = new LinkedHashMap<>();
        ObjectNode groups = Schemas.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groupList = groups.putArray("groups");
        for (ServedResource r : resources) {
            ArrayNode list = lists.computeIfAbsent(r.groupVersionPath(), k -> {
                if (!r.group().isEmpty()) {
                    ObjectNode version = Schemas.object().put("groupVersion", r.groupVersion())
                            .put("version", r.version());
                    ObjectNode group = groupList.addObject().put("name", r.group());
                    group.putArray("versions").add(version);
                    group.set("preferredVersion", version.deepCopy());
                }
                return Schemas.NODES.arrayNode();
            });
            ObjectNode resource = list.addObject().put("name", r.plural())
                    .put("singularName", r.kind().toLowerCase(Locale.ROOT)).put("namespaced", r.namespaced())
                    .put("kind", r.kind());
            resource.set("verbs", Schemas.strings(r.verbs()));
        }
        lists.forEach((path, list) -> {
            String gv = path.startsWith("api/") ? path.substring(4) : path.substring(5);
            ObjectNode body = Schemas.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                    .put("groupVersion", gv);
            body.set("resources", list);
            discovery.put("/" + path, OpenApiV3.serialize(body));
        });
        ObjectNode api = Schemas.object().put("kind", "APIVersions");
        api.putArray("versions").add("v1");
        api.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", "127.0.0.1:443");
        discovery.put("/api", OpenApiV3.serialize(api));
        discovery.put("/apis", OpenApiV3.serialize(groups));
        discovery.put("/version", OpenApiV3.serialize(Schemas.object().put("major", "1").put("minor", "35")
                .put("gitVersion", "v1.35.0").put("platform", "linux/amd64")));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " [" + accept + "]");
        if (path.equals("/openapi/v2")) {
            if (accept.contains("protobuf")) {
                reply(exchange, 200, OpenApiV2.PROTOBUF_CONTENT_TYPE, v2.protobuf());
            } else {
                reply(exchange, 200, "application/json", v2.jsonBytes());
            }
        } else if (path.equals("/openapi/v3")) {
            reply(exchange, 200, "application/json", v3.indexBytes());
        } else if (path.startsWith("/openapi/v3/") && v3.serialized(path).isPresent()) {
            reply(exchange, 200, "application/json", v3.serialized(path).orElseThrow().bytes());
        } else if (objects.containsKey(path) && exchange.getRequestMethod().equals("PATCH")) {
            patches.add(new Patch(exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            reply(exchange, 200, "application/json", objects.get(path));
        } else if (objects.containsKey(path) && exchange.getRequestMethod().equals("GET")) {
            reply(exchange, 200, "application/json", objects.get(path));
        } else if (discovery.containsKey(path)) {
            reply(exchange, 200, "application/json", discovery.get(path));
        } else {
            reply(exchange, 404, "application/json", ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"reason\":\"NotFound\",\"code\":404,\"message\":\"not found\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
