package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the cloud's health by renewing the node's Lease ({@code kube-node-lease/<node>}, held
 * by the node, 40 s long, owned by its Node). It renews only while the kubelet gives heartbeats;
 * without them it only reads the Lease, so a dead kubelet lets the Lease go stale and the cloud
 * sees the node NotReady, while the hub still knows whether the cloud answers. A 401 counts as cut off.
 */
final class LeaseHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseHeartbeat.class);
    static final String NAMESPACE = "kube-node-lease";
    static final int LEASE_DURATION_SECONDS = 40;
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final CloudClient cloud;
    private final CloudHealth health;
    private final String nodeName;
    private final Duration timeout;
    /** Until the cloud first answers, checks may take longer: a cold JVM's first TLS handshake is slow, and no sign of a bad link. */
    private volatile boolean answeredOnce;
    private final Duration kubeletGrace;
    private final Clock clock;
    private volatile Instant lastKubeletBeat;
    private volatile boolean renewing;
    private volatile String nodeUid;
    /** The Lease as the cloud's last answer to a renewal showed it; null when the next renewal must read it first. */
    private volatile JsonNode lastAnswered;
    private final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();

    LeaseHeartbeat(CloudClient cloud, CloudHealth health, HubConfig config, Clock clock) {
        this.cloud = cloud;
        this.health = health;
        this.nodeName = config.nodeName();
        this.timeout = config.leaseTimeout();
        this.kubeletGrace = config.kubeletGrace();
        this.clock = clock;
    }

    /** The kubelet is alive; returns whether this heartbeat is the first after a silence. */
    boolean kubeletAlive() {
        boolean wasAlive = kubeletAlive(clock.instant());
        lastKubeletBeat = clock.instant();
        return !wasAlive;
    }

    boolean kubeletAlive(Instant now) {
        Instant last = lastKubeletBeat;
        return last != null && !now.isAfter(last.plus(kubeletGrace));
    }

    /** How many checks ran; tests wait on it. */
    long checks() {
        return checks.get();
    }

    /** One check: renew (or, without a live kubelet, read) the Lease within the timeout, and report the outcome. */
    void check() {
        checks.incrementAndGet();
        Instant started = clock.instant();
        boolean alive = kubeletAlive(started);
        if (renewing && !alive) {
            LOG.warn("no heartbeat from the kubelet for {}; the hub stops renewing the Lease of node {} so that the cloud "
                    + "sees it NotReady", kubeletGrace, nodeName);
        } else if (!renewing && alive) {
            LOG.info("the kubelet is alive; the hub renews the Lease of node {}", nodeName);
        }
        renewing = alive;
        try {
            if (alive) {
                renew(started);
            } else {
                call(CloudRequest.get(leasePath(), timeout()));
            }
            answeredOnce = true;
            health.success();
        } catch (CloudUnreachableException e) {
            health.failure(e.getMessage());
        } catch (LeaseException e) {
            health.failure(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("lease check failed unexpectedly", e);
            health.failure(e.toString());
        }
    }

    /**
     * Renews with a merge patch of {@code spec.renewTime} alone (about 60 bytes, where a PUT of the whole Lease was
     * 0.9 KB every 10 s): the Lease the cloud answered last time says whether holder, duration or owner need setting
     * too. Only the first renewal, and the first after a failed one, reads the Lease before patching it.
     */
    private void renew(Instant now) throws CloudUnreachableException, InterruptedException {
        JsonNode lease = lastAnswered;
        lastAnswered = null; // kept only when this renewal is answered with the Lease
        if (lease == null) {
            HttpResponse<byte[]> current = call(CloudRequest.get(leasePath(), timeout()));
            if (current.statusCode() == 404) {
                create(now);
                return;
            }
            if (current.statusCode() != 200) {
                return; // the cloud answered; a refusal is logged by the server, the hub counts the cloud as reachable
            }
            lease = Json.parse(current.body(), false);
        }
        ObjectNode patch = renewal(lease, nodeName, now);
        if (!ownedByKnownNode(lease.path("metadata"))) {
            // a new Lease, or one left by an earlier Node of the same name: point it at the Node that exists now
            HttpResponse<byte[]> node = call(CloudRequest.get("/api/v1/nodes/" + nodeName, timeout()));
            if (node.statusCode() == 200) {
                JsonNode n = Json.parse(node.body(), false);
                nodeUid = Meta.uid(n);
                if (!ownedByKnownNode(lease.path("metadata"))) {
                    ownedBy(patch.putObject("metadata"), n);
                }
            }
        }
        HttpResponse<byte[]> patched = call(CloudRequest.json("PATCH", leasePath(), "application/merge-patch+json",
                Json.bytes(patch), timeout()));
        if (patched.statusCode() == 200) {
            lastAnswered = Json.parse(patched.body(), false);
        } else if (patched.statusCode() == 404) {
            create(now); // deleted since the last renewal
        } else {
            LOG.warn("lease of node {} not renewed: HTTP {} {}", nodeName, patched.statusCode(), new String(patched.body()));
        }
    }

    /** The merge patch that renews {@code lease}: its renew time, and holder and duration where they are not this node's. */
    static ObjectNode renewal(JsonNode lease, String nodeName, Instant now) {
        ObjectNode patch = Json.object();
        ObjectNode spec = patch.putObject("spec");
        JsonNode current = lease.path("spec");
        if (!nodeName.equals(current.path("holderIdentity").asText(null))) {
            spec.put("holderIdentity", nodeName);
        }
        if (current.path("leaseDurationSeconds").asInt(-1) != LEASE_DURATION_SECONDS) {
            spec.put("leaseDurationSeconds", LEASE_DURATION_SECONDS);
        }
        spec.put("renewTime", MICRO_TIME.format(now));
        return patch;
    }

    private void create(Instant now) throws CloudUnreachableException, InterruptedException {
        HttpResponse<byte[]> node = call(CloudRequest.get("/api/v1/nodes/" + nodeName, timeout()));
        if (node.statusCode() != 200) {
            return; // not registered yet: the kubelet registers it, the Lease follows on the next check
        }
        ObjectNode lease = Json.object();
        lease.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        ObjectNode meta = lease.putObject("metadata").put("name", nodeName).put("namespace", NAMESPACE);
        JsonNode n = Json.parse(node.body(), false);
        nodeUid = Meta.uid(n);
        ownedBy(meta, n);
        lease.putObject("spec").put("holderIdentity", nodeName).put("leaseDurationSeconds", LEASE_DURATION_SECONDS)
                .put("renewTime", MICRO_TIME.format(now));
        HttpResponse<byte[]> created = call(CloudRequest.json("POST", "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE
                + "/leases", "application/json", Json.bytes(lease), timeout()));
        if (created.statusCode() == 201) {
            lastAnswered = Json.parse(created.body(), false);
        } // 409: made meanwhile; read and renewed next time
    }

    private HttpResponse<byte[]> call(CloudRequest request) throws CloudUnreachableException, InterruptedException {
        HttpResponse<byte[]> response = cloud.send(request);
        if (response.statusCode() == 401) {
            // an expired or untrusted certificate: the node is as cut off as without a link, and answers from its cache
            // until its certificate is renewed
            throw new LeaseException("the cloud refuses the node's credentials (HTTP 401): its certificate has expired or is "
                    + "not trusted");
        }
        if (response.statusCode() >= 500) {
            throw new LeaseException("cloud answered HTTP " + response.statusCode() + " to " + request.method() + " "
                    + request.pathAndQuery());
        }
        return response;
    }

    private Duration timeout() {
        return answeredOnce ? timeout : timeout.multipliedBy(5);
    }

    private boolean ownedByKnownNode(JsonNode meta) {
        String uid = nodeUid;
        for (JsonNode ref : meta.path("ownerReferences")) {
            if ("Node".equals(ref.path("kind").asText()) && uid != null && uid.equals(ref.path("uid").asText())) {
                return true;
            }
        }
        return false;
    }

    private void ownedBy(ObjectNode meta, JsonNode node) {
        meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", nodeName)
                .put("uid", Meta.uid(node));
    }

    private String leasePath() {
        return "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases/" + nodeName;
    }

    private static final class LeaseException extends RuntimeException {
        LeaseException(String message) {
            super(message);
        }
    }
}
