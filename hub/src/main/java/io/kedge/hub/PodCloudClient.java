package io.kedge.hub;

import io.kedge.pki.TlsMaterial;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The way to the cloud for pods' requests: with the pod's own token and no client certificate, so
 * that the cloud authenticates, authorizes and audits the pod's service account and never the node.
 * It trusts the cluster CA only, and tries the server the hub uses now first.
 */
final class PodCloudClient implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "http2-settings", "sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "accept-encoding", "host", "content-length", "expect", "date",
            "via");

    private final List<URI> servers;
    private final Supplier<URI> active;
    private final ExecutorService executor;
    private final HttpClient http;
    private final PodUpgrade upgrades;

    PodCloudClient(HubConfig config, Supplier<URI> active) {
        this.servers = config.servers();
        this.active = active;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hub-pod-cloud");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(null, config.serverCa()))
                .connectTimeout(config.leaseTimeout().multipliedBy(2))
                .executor(executor)
                .build();
        this.upgrades = new PodUpgrade(this::order, nettyTls(config.serverCa()), config.leaseTimeout().multipliedBy(2));
    }

    private static SslContext nettyTls(X509Certificate ca) {
        try {
            return SslContextBuilder.forClient().trustManager(ca).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS settings for pods' upgraded connections: " + e.getMessage(), e);
        }
    }

    /**
     * Sends the pod's upgraded request (exec, attach, port-forward) and, once the cloud switches
     * protocols, relays the connection; fails with {@link CloudUnreachableException} when no server took it.
     */
    CompletableFuture<Void> upgrade(HubRequest request, Exchange exchange) {
        return upgrades.relay(request, exchange);
    }

    /** Sends the pod's request (its Authorization header included) and reads the whole answer. */
    HttpResponse<byte[]> send(HubRequest request, Duration timeout) throws CloudUnreachableException, InterruptedException {
        CloudUnreachableException last = null;
        for (URI server : order()) {
            try {
                return http.send(build(server, request, timeout), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                boolean beforeSending = CloudClient.isConnectFailure(e);
                last = new CloudUnreachableException("cloud server " + server + ": " + e, beforeSending, e);
                if (!beforeSending && !"GET".equals(request.method())) {
                    throw last;
                }
            }
        }
        throw last;
    }

    /** Opens the pod's watch on the first server that takes the connection; fails with {@link CloudUnreachableException}. */
    CompletableFuture<Void> stream(HubRequest request, HttpResponse.BodyHandler<Void> handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(request, handler, order(), 0, done);
        return done;
    }

    private void attempt(HubRequest request, HttpResponse.BodyHandler<Void> handler, List<URI> order, int i,
                         CompletableFuture<Void> done) {
        boolean[] answered = new boolean[1];
        HttpResponse.BodyHandler<Void> marking = info -> {
            answered[0] = true;
            return handler.apply(info);
        };
        http.sendAsync(build(order.get(i), request, null), marking).whenComplete((r, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!answered[0] && CloudClient.isConnectFailure(cause) && i + 1 < order.size()) {
                attempt(request, handler, order, i + 1, done);
                return;
            }
            done.completeExceptionally(answered[0] ? cause : new CloudUnreachableException("cloud server " + order.get(i) + ": "
                    + cause, CloudClient.isConnectFailure(cause), cause));
        });
    }

    private List<URI> order() {
        List<URI> out = new ArrayList<>();
        URI first = active.get();
        out.add(first);
        servers.stream().filter(s -> !s.equals(first)).forEach(out::add);
        return out;
    }

    private HttpRequest build(URI server, HubRequest request, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getScheme() + "://" + server.getRawAuthority()
                + request.uri()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        boolean hasBody = request.body().length > 0 || List.of("POST", "PUT", "PATCH").contains(request.method());
        return b.method(request.method(), hasBody ? HttpRequest.BodyPublishers.ofByteArray(request.body())
                : HttpRequest.BodyPublishers.noBody()).build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
