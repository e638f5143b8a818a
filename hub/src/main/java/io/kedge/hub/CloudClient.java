package io.kedge.hub;

import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.TlsMaterial;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one way to the cloud: HTTPS with the node's credentials, pooled connections, and
 * failover. A connection failure moves on to the next server, and the server that answered
 * last is tried first next time.
 */
final class CloudClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudClient.class);
    /**
     * Hop-by-hop headers and those the hub sets itself; the JDK client refuses some of them anyway.
     * Accept-Encoding stays local: the cache reads the cloud's answers, so they come uncompressed.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "http2-settings", "sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "accept-encoding", "host", "content-length", "authorization",
            "expect", "date", "from", "via", "warning");

    private final List<URI> servers;
    private final String token;
    private final ExecutorService executor;
    private final java.security.cert.X509Certificate serverCa;
    private final Duration connectTimeout;
    /** Replaced when the node's certificate is: requests and watches already sent keep the client they started on. */
    private volatile HttpClient http;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile int current;

    CloudClient(HubConfig config) {
        this.servers = config.servers();
        this.token = config.token();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hub-cloud");
            t.setDaemon(true);
            return t;
        });
        this.serverCa = config.serverCa();
        this.connectTimeout = config.leaseTimeout().multipliedBy(2);
        this.http = httpClient(config.identity());
    }

    /**
     * From now on, new connections present {@code identity}. A new HTTP client (and so a new TLS
     * session cache) makes sure that no connection resumes a session of the old certificate.
     */
    void useIdentity(IssuedCertificate identity) {
        http = httpClient(identity);
    }

    private HttpClient httpClient(IssuedCertificate identity) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(identity, serverCa))
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    /** The server tried first. */
    URI activeServer() {
        return servers.get(current);
    }

    long bytesIn() {
        return bytesIn.get();
    }

    long bytesOut() {
        return bytesOut.get();
    }

    /** Sends {@code request} and reads the whole answer. */
    HttpResponse<byte[]> send(CloudRequest request) throws CloudUnreachableException, InterruptedException {
        CloudUnreachableException last = null;
        for (int i = 0; i < servers.size(); i++) {
            int index = (current + i) % servers.size();
            try {
                HttpResponse<byte[]> response = http.send(build(servers.get(index), request), HttpResponse.BodyHandlers.ofByteArray());
                bytesOut.addAndGet(request.body().length);
                bytesIn.addAndGet(response.body().length);
                switchTo(index);
                return response;
            } catch (IOException e) {
                boolean beforeSending = isConnectFailure(e);
                last = new CloudUnreachableException("cloud server " + servers.get(index) + ": " + describe(e), beforeSending, e);
                // a request that may have reached the server is not sent again elsewhere, unless it only reads
                if (!beforeSending && !"GET".equals(request.method())) {
                    throw last;
                }
            }
        }
        throw last;
    }

    /**
     * Opens a streaming request (a watch). {@code handler} is given the response head once one
     * server answered; the returned future completes when the stream ends, or fails with
     * {@link CloudUnreachableException} when no server could be reached.
     */
    CompletableFuture<Void> stream(CloudRequest request, HttpResponse.BodyHandler<Void> handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(request, handler, 0, done);
        return done;
    }

    private void attempt(CloudRequest request, HttpResponse.BodyHandler<Void> handler, int tried, CompletableFuture<Void> done) {
        int index = (current + tried) % servers.size();
        AtomicBoolean answered = new AtomicBoolean();
        HttpResponse.BodyHandler<Void> counting = info -> {
            answered.set(true);
            switchTo(index);
            return new CountingSubscriber<>(handler.apply(info), bytesIn);
        };
        http.sendAsync(build(servers.get(index), request), counting).whenComplete((response, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!answered.get() && isConnectFailure(cause) && tried + 1 < servers.size()) {
                attempt(request, handler, tried + 1, done);
                return;
            }
            done.completeExceptionally(answered.get() ? cause : new CloudUnreachableException(
                    "cloud server " + servers.get(index) + ": " + describe(cause), isConnectFailure(cause), cause));
        });
    }

    private void switchTo(int index) {
        if (current != index) {
            LOG.info("cloud server {} answers; the hub uses it from now on (was {})", servers.get(index), servers.get(current));
            current = index;
        }
    }

    private HttpRequest build(URI server, CloudRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getScheme() + "://" + server.getRawAuthority()
                + request.pathAndQuery()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (request.timeout() != null) {
            b.timeout(request.timeout());
        }
        HttpRequest.BodyPublisher body = request.body().length == 0 && !hasBody(request.method())
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body());
        return b.method(request.method(), body).build();
    }

    private static boolean hasBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return true;
            }
            if (t instanceof CloudUnreachableException u) {
                return u.beforeSending();
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Counts a streamed answer's body bytes as they arrive, so that watches show in the upstream byte counts. */
    private record CountingSubscriber<T>(HttpResponse.BodySubscriber<T> delegate, AtomicLong counter)
            implements HttpResponse.BodySubscriber<T> {
        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            long n = 0;
            for (ByteBuffer b : items) {
                n += b.remaining();
            }
            counter.addAndGet(n);
            delegate.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            delegate.onError(throwable);
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }
    }
}
