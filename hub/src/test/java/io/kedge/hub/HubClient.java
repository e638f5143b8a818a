package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A local client of the hub, as node components are: plain HTTP on loopback, no credentials, its own User-Agent. */
final class HubClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI hub;
    private final String agent;

    HubClient(URI hub, String agent) {
        this.hub = hub;
        this.agent = agent;
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path)).header("User-Agent", agent)
                .timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with an Accept header, as kubectl asks for Tables. */
    HttpResponse<String> sendWith(String method, String path, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub + path)).header("User-Agent", agent).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " through the hub: HTTP " + r.statusCode() + " " + r.body());
        }
        return json(r.body());
    }

    static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Opens a watch; its events arrive one line each. */
    Events watch(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub + path)).header("User-Agent", agent).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        Events events = new Events(response.statusCode(), response.body());
        Thread reader = new Thread(() -> {
            Iterator<String> lines = response.body().iterator();
            try {
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (!line.isBlank()) {
                        events.queue.add(line);
                    }
                }
            } catch (RuntimeException ended) {
                // the hub closed the stream abruptly
            }
            events.queue.add(Events.END);
        }, "watch-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    static final class Events {
        static final String END = "<end of stream>";
        final int status;
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final Stream<String> body;

        Events(int status, Stream<String> body) {
            this.status = status;
            this.body = body;
        }

        /** Hangs up, as a client that stops watching does. */
        void close() {
            body.close();
        }

        /** The next event, or {@link #END} when the stream ended; fails when nothing comes within 30 s. */
        String next() throws InterruptedException {
            String line = queue.poll(30, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no watch event within 30 s");
            }
            return line;
        }
    }
}
