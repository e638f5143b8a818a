package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the journal to the cloud, in order, each entry once: an entry is marked done in the same
 * transaction that records its outcome. A crash between the cloud's answer and that mark sends the
 * entry again on restart, which the entries tolerate by design: a status or lease PUT is re-applied
 * on the cloud's current object, an object the cloud already has with the same {@link OfflineWriteId}
 * is a duplicate and dropped, a deletion the cloud already did is a 404.
 */
final class JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);
    private static final int CONFLICT_RETRIES = 5;

    private final Journal journal;
    private final CloudClient cloud;
    private final Duration timeout;

    JournalReplay(Journal journal, CloudClient cloud, Duration timeout) {
        this.journal = journal;
        this.cloud = cloud;
        this.timeout = timeout;
    }

    /**
     * What became of one entry; {@code cloudCopy} is the object as the cloud now has it, when it answered with one;
     * {@code staleName} is a name the node gave an object offline under which the cloud holds another object.
     */
    record Outcome(String text, ObjectNode cloudCopy, String staleName) {
        Outcome(String text, ObjectNode cloudCopy) {
            this(text, cloudCopy, null);
        }

        Outcome withText(String replaced) {
            return new Outcome(replaced, cloudCopy, staleName);
        }
    }

    /** Replays what is pending; true when the journal is empty, false when the cloud stopped answering. */
    synchronized boolean replay() throws InterruptedException {
        var pending = journal.pending();
        if (pending.isEmpty()) {
            return true;
        }
        LOG.info("replaying {} journaled node writes to the cloud", pending.size());
        for (JournalEntry entry : pending) {
            Outcome outcome;
            try {
                outcome = replay(entry);
            } catch (CloudUnreachableException e) {
                LOG.info("journal replay paused at entry {}: {}", entry.seq(), e.getMessage());
                return false;
            }
            if (outcome == null) {
                return false;
            }
            journal.complete(entry.seq(), entry.path().isResource() ? entry.path().gvr() : null, entry.path().namespace(), outcome);
            LOG.info("journal entry {} ({} {}, written {}): {}", entry.seq(), entry.method(), entry.pathAndQuery(),
                    entry.created(), outcome.text());
        }
        return true;
    }

    /** The outcome, or null when the cloud answered with a transient error and the entry should wait. */
    Outcome replay(JournalEntry entry) throws CloudUnreachableException, InterruptedException {
        return switch (entry.method()) {
            case "PUT" -> put(entry);
            case "PATCH" -> patch(entry);
            case "POST" -> post(entry);
            case "DELETE" -> delete(entry);
            default -> new Outcome("rejected: " + entry.method() + " is not replayed", null);
        };
    }

    private Outcome put(JournalEntry entry) throws CloudUnreachableException, InterruptedException {
        ApiPath p = entry.path();
        ObjectNode wanted = (ObjectNode) Json.parse(entry.body(), false);
        for (int attempt = 1; attempt <= CONFLICT_RETRIES; attempt++) {
            HttpResponse<byte[]> got = cloud.send(CloudRequest.get(objectPath(p), timeout));
            if (got.statusCode() == 404 || noLongerThisNodes(got.statusCode(), p)) {
                return new Outcome("dropped: " + p.resource() + " " + p.name() + " is gone from the cloud", null);
            }
            if (transientFailure(got)) {
                return null;
            }
            if (got.statusCode() != 200) {
                return new Outcome("rejected: reading the current object gave HTTP " + got.statusCode(), null);
            }
            ObjectNode current = (ObjectNode) Json.parse(got.body(), false);
            String wantedUid = Meta.uid(wanted);
            if (wantedUid != null && !wantedUid.equals(Meta.uid(current))) {
                return new Outcome("dropped: " + p.resource() + " " + p.name() + " in the cloud is a new object (uid "
                        + Meta.uid(current) + ")", null);
            }
            ObjectNode next;
            if ("status".equals(p.subresource())) {
                next = current.deepCopy();
                if (wanted.has("status")) {
                    next.set("status", wanted.get("status"));
                }
            } else {
                next = wanted.deepCopy();
                Meta.metadata(next).put("resourceVersion", Meta.resourceVersion(current));
            }
            HttpResponse<byte[]> put = cloud.send(CloudRequest.json("PUT", entry.pathAndQuery(), "application/json",
                    Json.bytes(next), timeout));
            if (put.statusCode() == 409) {
                continue; // changed in between: read again and re-apply
            }
            return answered(put, p);
        }
        return new Outcome("rejected: still conflicting after " + CONFLICT_RETRIES + " attempts", null);
    }

    private Outcome patch(JournalEntry entry) throws CloudUnreachableException, InterruptedException {
        ApiPath p = entry.path();
        HttpResponse<byte[]> sent = send(entry, entry.body());
        if (sent.statusCode() == 409) {
            JsonNode patch = Json.parse(entry.body(), false);
            if (patch instanceof ObjectNode o && o.path("metadata").has("resourceVersion")) {
                // a precondition on a version from before the partition: the patch applies to the current object
                ObjectNode unconditional = o.deepCopy();
                ((ObjectNode) unconditional.get("metadata")).remove("resourceVersion");
                sent = send(entry, Json.bytes(unconditional));
            }
        }
        return answered(sent, p);
    }

    private Outcome post(JournalEntry entry) throws CloudUnreachableException, InterruptedException {
        HttpResponse<byte[]> sent = send(entry, entry.body());
        if (sent.statusCode() != 409) {
            return answered(sent, entry.path());
        }
        ObjectNode wanted = (ObjectNode) Json.parse(entry.body(), false);
        String mark = OfflineWriteId.of(wanted);
        if (mark == null) {
            return new Outcome("duplicate: the cloud already has it", null); // journaled before writes were marked
        }
        String name = Meta.name(wanted);
        // a JSON patch that only tests the mark: a read the node may make (it may patch what it creates, not get it)
        String test = "[{\"op\":\"test\",\"path\":\"/metadata/annotations/" + OfflineWriteId.ANNOTATION.replace("/", "~1")
                + "\",\"value\":" + Json.MAPPER.valueToTree(mark) + "}]";
        HttpResponse<byte[]> tested = cloud.send(CloudRequest.json("PATCH", entry.path().path() + "/" + name,
                "application/json-patch+json", test.getBytes(java.nio.charset.StandardCharsets.UTF_8), timeout));
        if (transientFailure(tested)) {
            return null;
        }
        if (tested.statusCode() == 404) {
            return answered(send(entry, entry.body()), entry.path()); // deleted in between: the name is free again
        }
        if (tested.statusCode() == 200) {
            return answered(tested, entry.path()).withText("duplicate: the cloud already has it");
        }
        if (tested.statusCode() != 422) {
            return new Outcome("rejected: checking the object of that name gave HTTP " + tested.statusCode(), null);
        }
        if (Meta.text(Meta.metadata(wanted), "generateName") == null) {
            return new Outcome("rejected: the cloud holds another object named " + name + " (" + entry.path().resource() + ")", null, name);
        }
        // the name was generated offline and another object got it meanwhile: the cloud generates one now
        ObjectNode renamed = wanted.deepCopy();
        Meta.metadata(renamed).remove("name");
        Outcome outcome = answered(send(entry, Json.bytes(renamed)), entry.path());
        if (outcome == null || outcome.cloudCopy() == null) {
            return outcome;
        }
        return new Outcome(outcome.text() + " as " + Meta.name(outcome.cloudCopy()) + ": the name given offline, " + name
                + ", was taken in the cloud", outcome.cloudCopy(), name);
    }

    private Outcome delete(JournalEntry entry) throws CloudUnreachableException, InterruptedException {
        HttpResponse<byte[]> sent = send(entry, entry.body());
        if (sent.statusCode() == 409) {
            return new Outcome("dropped: the precondition failed (a new object of the same name)", null);
        }
        Outcome outcome = answered(sent, entry.path());
        return outcome == null || outcome.cloudCopy() == null ? outcome : new Outcome(outcome.text(), null);
    }

    private HttpResponse<byte[]> send(JournalEntry entry, byte[] body) throws CloudUnreachableException, InterruptedException {
        return cloud.send(CloudRequest.json(entry.method(), entry.pathAndQuery(),
                entry.contentType() == null ? "application/json" : entry.contentType(), body, timeout));
    }

    private Outcome answered(HttpResponse<byte[]> response, ApiPath p) {
        int code = response.statusCode();
        if (transientFailure(response)) {
            return null;
        }
        if (code == 404 || noLongerThisNodes(code, p)) {
            return new Outcome("dropped: " + p.resource() + " " + (p.name() == null ? "" : p.name()) + " is gone from the cloud", null);
        }
        if (code >= 400) {
            return new Outcome("rejected by the cloud: HTTP " + code + " " + new String(response.body(),
                    java.nio.charset.StandardCharsets.UTF_8), null);
        }
        ObjectNode copy = null;
        try {
            JsonNode body = Json.parse(response.body(), false);
            if (body instanceof ObjectNode o && !"Status".equals(Meta.text(o, "kind")) && Meta.name(o) != null) {
                copy = o;
            }
        } catch (RuntimeException notAnObject) {
            // the outcome is the status code; the cache learns the object from the next read
        }
        return new Outcome("applied (HTTP " + code + ")", copy);
    }

    /**
     * The node authorizer answers 403, not 404, for a pod that is not bound to this node, and a pod
     * deleted in the cloud is bound to nothing: for the node's own writes that pod is gone.
     */
    private static boolean noLongerThisNodes(int code, ApiPath p) {
        return code == 403 && "pods".equals(p.resource()) && p.name() != null;
    }

    private static boolean transientFailure(HttpResponse<byte[]> response) {
        return response.statusCode() >= 500 || response.statusCode() == 429;
    }

    /** The object's own path: the subresource and the query dropped. */
    private static String objectPath(ApiPath p) {
        String path = p.path();
        return p.subresource() != null ? path.substring(0, path.lastIndexOf('/')) : path;
    }
}
