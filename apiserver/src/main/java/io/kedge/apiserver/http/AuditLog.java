package io.kedge.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.apiserver.auth.UserInfo;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --audit-log FILE}: one JSON line per request once it is answered, in the shape of
 * upstream's {@code audit.k8s.io/v1} Event at level Metadata, so that audit tools read it: who
 * (user, groups, source IP, user agent), what (verb, resource, namespace, name, URI), the code, when.
 * Request and response bodies are never written.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private final BufferedWriter out;
    private final Path file;
    private final Clock clock;
    private boolean failed;

    public AuditLog(Path file, Clock clock) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        this.file = file;
        this.clock = clock;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Called once per request, with the status it was answered with. */
    void record(HttpExchange ex, int code) {
        RequestMetrics.Sample s = ex.sample();
        Instant now = clock.instant();
        ObjectNode e = Json.object().put("kind", "Event").put("apiVersion", "audit.k8s.io/v1").put("level", "Metadata")
                .put("auditID", UUID.randomUUID().toString()).put("stage", "ResponseComplete")
                .put("requestURI", ex.path() + (ex.rawQuery().isEmpty() ? "" : "?" + ex.rawQuery()))
                .put("verb", s.verb());
        UserInfo u = ex.user();
        ObjectNode user = e.putObject("user").put("username", u == null ? "system:anonymous" : u.name());
        var groups = user.putArray("groups");
        if (u == null) {
            groups.add("system:unauthenticated");
        } else {
            u.groups().forEach(groups::add);
        }
        if (ex.impersonator() != null) {
            // upstream's shape: "user" is who authenticated, "impersonatedUser" whom the request acted as
            e.set("impersonatedUser", user);
            ObjectNode real = e.putObject("user").put("username", ex.impersonator().name());
            var realGroups = real.putArray("groups");
            ex.impersonator().groups().forEach(realGroups::add);
        }
        if (ex.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            e.putArray("sourceIPs").add(remote.getAddress().getHostAddress());
        }
        String agent = ex.header("User-Agent");
        if (agent != null) {
            e.put("userAgent", agent);
        }
        if (s.resourceRequest()) {
            ObjectNode ref = e.putObject("objectRef");
            String[] resource = s.resource().split("/", 2);
            int dot = resource[0].indexOf('.');
            ref.put("resource", dot < 0 ? resource[0] : resource[0].substring(0, dot));
            if (s.namespace() != null) {
                ref.put("namespace", s.namespace());
            }
            if (s.name() != null) {
                ref.put("name", s.name());
            }
            ref.put("apiGroup", dot < 0 ? "" : resource[0].substring(dot + 1));
            if (resource.length > 1) {
                ref.put("subresource", resource[1]);
            }
        }
        e.putObject("responseStatus").put("code", code);
        e.put("requestReceivedTimestamp", now.minusNanos(System.nanoTime() - ex.startNanos()).toString())
                .put("stageTimestamp", now.toString());
        write(Json.string(e));
    }

    private synchronized void write(String line) {
        try {
            out.write(line);
            out.newLine();
            out.flush();
            failed = false;
        } catch (IOException io) {
            if (!failed) {
                LOG.error("cannot write the audit log {}: {}", file, io.getMessage());
                failed = true;
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing at shutdown: nothing left to tell
        }
    }
}
