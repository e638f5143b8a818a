package io.kedge.apiserver.handlers;

import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.selector.FieldSelector;
import io.kedge.api.selector.SelectorException;
import io.kedge.apiserver.authz.AccessReviews;
import io.kedge.apiserver.authz.Attributes;
import io.kedge.apiserver.authz.Impersonation;
import io.kedge.apiserver.authz.Authorizer;
import io.kedge.apiserver.authz.Decision;
import io.kedge.apiserver.authz.Forbidden;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.tunnel.Tunnels;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Sends each request to the handler of its path and verb. */
public final class Router implements Consumer<HttpExchange> {
    private static final String GIT_VERSION = "v1.35.0-kedge.0";
    private final ApiContext ctx;
    private final DiscoveryHandler discovery;
    private final ReadHandler reads;
    private final WatchHandler watches;
    private final WriteHandler writes;
    private final SubresourceHandler subresources;
    /** Pod subresources that open a stream; the tunnel's ConnectAuthorizer decides on them. */
    private static final Set<String> POD_STREAMS = Set.of("log", "exec", "attach", "portforward");
    private final ReviewHandler reviews;
    private final OpenApiEndpoints openapi;
    private final Tunnels tunnels;
    private TokenHandler tokens;
    private io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery issuerDiscovery;
    private final Authorizer authorizer;

    public Router(ApiContext ctx, String serverAddress, OpenApiEndpoints openapi, ServerSideApply apply, Tunnels tunnels,
                  Authorizer authorizer, AccessReviews accessReviews) {
        this.ctx = ctx;
        this.discovery = new DiscoveryHandler(ctx.types(), serverAddress);
        this.reads = new ReadHandler(ctx);
        this.watches = new WatchHandler(ctx);
        this.writes = new WriteHandler(ctx, reads, apply);
        this.subresources = new SubresourceHandler(ctx);
        this.openapi = openapi;
        this.tunnels = tunnels;
        this.authorizer = authorizer;
        this.reviews = new ReviewHandler(accessReviews);
    }

    /** Serves serviceaccounts/token and TokenReview with these; without them both answer 404. */
    public Router tokens(io.kedge.apiserver.auth.TokenRequests requests, io.kedge.apiserver.auth.TokenReviews reviews) {
        this.tokens = new TokenHandler(requests, reviews);
        return this;
    }

    /** Serves the service-account issuer's OIDC discovery documents; without it both paths answer 404. */
    public Router issuerDiscovery(io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery discovery) {
        this.issuerDiscovery = discovery;
        return this;
    }

    private TokenHandler tokens() {
        if (tokens == null) {
            throw ApiException.notFound("the server could not find the requested resource (this server issues no tokens)");
        }
        return tokens;
    }

    @Override
    public void accept(HttpExchange ex) {
        String path = ex.path();
        switch (path) {
            case "/version", "/version/" -> {
                version(ex);
                return;
            }
            case "/healthz", "/livez", "/readyz" -> {
                ex.sample().describe("get", path.substring(1));
                ex.respondText(200, "text/plain; charset=utf-8", "ok");
                return;
            }
            default -> { }
        }
        if (ex.user() == null) {
            throw ApiException.unauthorized("Unauthorized");
        }
        if (Impersonation.requested(ex.headers())) {
            ex.actAs(Impersonation.actingUser(ex.user(), ex.headers(), authorizer));
        }
        String method = ex.method().name();
        if (path.equals("/metrics")) {
            requirePath(ex, path);
            ex.sample().describe("get", "metrics");
            ex.respond(200, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics().scrape(), Map.of());
            return;
        }
        if (path.startsWith("/openapi/")) {
            requirePath(ex, path);
            ex.sample().describe("get", "openapi");
            openapi.serve(ex);
            return;
        }
        if (issuerDiscovery != null && io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery.serves(path)) {
            requirePath(ex, path);
            ex.sample().describe("get", "openid");
            boolean keys = io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery.isKeySet(path);
            ex.respond(200, keys ? io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery.KEYS_CONTENT_TYPE : "application/json",
                    keys ? issuerDiscovery.keySet() : issuerDiscovery.configuration(),
                    Map.of("Cache-Control", io.kedge.apiserver.auth.ServiceAccountIssuerDiscovery.CACHE_CONTROL));
            return;
        }
        if (Tunnels.isConnectPath(path)) {
            tunnels.connect(ex);
            return;
        }
        var nodeProxy = Tunnels.nodeProxyPath(path);
        if (nodeProxy.isPresent()) {
            tunnels.nodeProxy(ex, nodeProxy.get()[0], nodeProxy.get()[1]);
            return;
        }
        String trimmed = trimmed(path);
        String[] parts = trimmed.substring(1).split("/");
        if (isDiscovery(trimmed, parts)) {
            requirePath(ex, path);
        }
        if (trimmed.equals("/api")) {
            ex.sample().describe("get", "discovery");
            discovery.versions(ex);
            return;
        }
        if (trimmed.equals("/apis")) {
            ex.sample().describe("get", "discovery");
            discovery.groups(ex);
            return;
        }
        if (parts.length == 2 && parts[0].equals("api")) {
            ex.sample().describe("get", "discovery");
            discovery.resources(ex, "", parts[1]);
            return;
        }
        if (parts.length == 2 && parts[0].equals("apis")) {
            ex.sample().describe("get", "discovery");
            discovery.group(ex, parts[1]);
            return;
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            ex.sample().describe("get", "discovery");
            discovery.resources(ex, parts[1], parts[2]);
            return;
        }
        RequestInfo info = RequestInfo.parse(trimmed);
        if (info == null) {
            requirePath(ex, path);
            throw ApiException.notFound("the server could not find the requested resource (" + path + ")");
        }
        resource(ex, method, info);
    }

    private void resource(HttpExchange ex, String method, RequestInfo info) {
        ResourceType t = ctx.types().find(info.group(), info.version(), info.resource())
                .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource ("
                        + method.toLowerCase() + " " + info.resource() + (info.group().isEmpty() ? "" : "." + info.group()) + ")"));
        if (info.namespace() != null && !t.namespaced()) {
            throw ApiException.notFound("the server could not find the requested resource: " + t.plural() + " is not namespaced");
        }
        String sub = info.subresource();
        if (sub != null && !t.hasSubresource(sub)) {
            throw ApiException.notFound("the server could not find the requested resource (" + t.plural() + "/" + sub + ")");
        }
        String verb = verb(method, info, ex);
        ex.sample().describe(verb, t.groupResource() + (sub == null ? "" : "/" + sub));
        ex.sample().target(info.namespace(), info.name());
        if (!t.allows(verb) && sub == null) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource ("
                    + verb + " " + t.groupResource() + ")");
        }
        boolean stream = sub != null && t.group().isEmpty() && t.plural().equals("pods") && POD_STREAMS.contains(sub);
        if (!stream) {
            require(resourceAttributes(ex, t, info, verb));
        }
        if (Tunnels.isMetrics(info)) {
            tunnels.metrics(ex, info, verb);
            return;
        }
        if (t.kind().equals("SelfSubjectReview") || AccessReviews.KINDS.contains(t.kind())) {
            reviews.review(ex, t, info);
            return;
        }
        if (t.kind().equals("TokenReview")) {
            tokens().review(ex);
            return;
        }
        if (sub == null) {
            switch (verb) {
                case "get" -> reads.get(ex, t, info);
                case "list" -> reads.list(ex, t, info);
                case "watch" -> watches.watch(ex, t, info);
                case "create" -> writes.create(ex, t, info);
                case "update" -> writes.update(ex, t, info, false);
                case "patch" -> writes.patch(ex, t, info, false);
                case "delete" -> writes.delete(ex, t, info);
                case "deletecollection" -> writes.deleteCollection(ex, t, info);
                default -> throw ApiException.methodNotAllowed("method " + method + " is not allowed here");
            }
            return;
        }
        switch (sub + ":" + verb) {
            case "status:get", "approval:get" -> reads.get(ex, t, info);
            case "status:update", "approval:update" -> writes.update(ex, t, info, true);
            case "status:patch", "approval:patch" -> writes.patch(ex, t, info, true);
            case "scale:get" -> subresources.getScale(ex, t, info);
            case "scale:update" -> subresources.writeScale(ex, t, info, false);
            case "scale:patch" -> subresources.writeScale(ex, t, info, true);
            case "binding:create" -> subresources.bind(ex, t, info);
            case "eviction:create" -> subresources.evict(ex, t, info);
            case "finalize:update" -> subresources.finalizeNamespace(ex, t, info);
            case "token:create" -> tokens().request(ex, info);
            case "log:get", "exec:get", "exec:create", "attach:get", "attach:create", "portforward:get",
                 "portforward:create" -> tunnels.podStream(ex, t, info, verb);
            default -> throw ApiException.methodNotAllowed("method " + method + " is not allowed on " + t.plural() + "/" + sub);
        }
    }

    private static String trimmed(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean isDiscovery(String trimmed, String[] parts) {
        return trimmed.equals("/api") || trimmed.equals("/apis") || (parts.length == 2 && parts[0].equals("api"))
                || ((parts.length == 2 || parts.length == 3) && parts[0].equals("apis"));
    }

    /** Non-resource requests are authorized on their path, with the HTTP method as the verb. */
    private void requirePath(HttpExchange ex, String path) {
        String method = ex.method().name();
        require(Attributes.nonResource(ex.user(), method.equals("HEAD") ? "get" : method.toLowerCase(), path));
    }

    private void require(Attributes a) {
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) {
            throw Forbidden.of(a, d.reason());
        }
    }

    /** A namespace's own path ({@code /api/v1/namespaces/x}) counts as inside it, as upstream has it. */
    private static Attributes resourceAttributes(HttpExchange ex, ResourceType t, RequestInfo info, String verb) {
        String ns = info.namespace();
        if (ns == null && t.group().isEmpty() && t.plural().equals("namespaces")) {
            ns = info.name();
        }
        Attributes a = Attributes.resource(ex.user(), verb, t.group(), t.plural(), info.subresource(), ns, info.name());
        String fs = ex.param("fieldSelector");
        if ((verb.equals("list") || verb.equals("watch")) && fs != null && !fs.isEmpty()) {
            try {
                a = a.withFieldSelector(FieldSelector.parse(fs));
            } catch (SelectorException bad) {
                // the list handler answers the malformed selector with its own 400
            }
        }
        return a;
    }

    private static String verb(String method, RequestInfo info, HttpExchange ex) {
        boolean named = info.name() != null;
        return switch (method) {
            case "GET", "HEAD" -> named ? "get" : ex.flag("watch") ? "watch" : "list";
            case "POST" -> !named || info.subresource() != null ? "create" : notAllowed(method);
            case "PUT" -> named ? "update" : notAllowed(method);
            case "PATCH" -> named ? "patch" : notAllowed(method);
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw ApiException.methodNotAllowed("method " + method + " is not supported");
        };
    }

    private static String notAllowed(String method) {
        throw ApiException.methodNotAllowed("the server does not allow " + method + " on this path");
    }

    private void version(HttpExchange ex) {
        ex.sample().describe("get", "version");
        var v = Json.object().put("major", "1").put("minor", "35").put("gitVersion", GIT_VERSION)
                .put("gitCommit", "kedge").put("gitTreeState", "clean").put("buildDate", "2026-11-27T00:00:00Z")
                .put("goVersion", "java" + Runtime.version().feature()).put("compiler", "javac")
                .put("platform", System.getProperty("os.name").toLowerCase() + "/" + arch());
        ex.respondJson(200, v);
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") || a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }
}
