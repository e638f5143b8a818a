package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.EventTimes;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's cache, in its database. Objects are stored once per resource, namespace and name. Each LIST or WATCH shape of each
 * client has its own member list, so two shapes never overwrite each other, while a change seen
 * through any shape updates the one copy of the object they share.
 */
final class HubStore {
    private final HubDatabase db;

    HubStore(HubDatabase db) {
        this.db = db;
    }

    // ---- cache -------------------------------------------------------------------------------

    /**
     * Runs {@code recording} (a cloud answer's way into the cache) on the database's one writer, after
     * the client was answered: see {@link HubDatabase#later}. Hand it in before answering, so that
     * whatever the client does next finds it recorded.
     */
    void recordLater(Runnable recording) {
        db.later(recording);
    }

    /** A LIST answer from the cloud, already parsed: see {@link #recordList(String, ListShape, ListAnswer)}. */
    void recordList(String client, ListShape shape, JsonNode list) {
        recordList(client, shape, ListAnswer.of(list));
    }

    /**
     * A LIST answer from the cloud: the shape's members become exactly the list's items, unless this
     * client's entry of the shape is newer already (a later answer, or a watch event, came first).
     * Items the cache holds in the same resourceVersion are not parsed or written again.
     */
    void recordList(String client, ListShape shape, ListAnswer list) {
        String rv = list.resourceVersion();
        db.cacheTx(() -> {
            if (newer(shapeVersion(client, shape), rv)) {
                return;
            }
            upsertShape(client, shape, list.kind(), list.apiVersion(), rv);
            db.exec("DELETE FROM members WHERE client=? AND shape=?", client, shape.key());
            Set<String> listed = new HashSet<>();
            for (ListAnswer.Item item : list.items()) {
                if (item.name() == null) {
                    continue;
                }
                String cached = cachedVersion(shape.resource(), item.namespace(), item.name());
                boolean current = newer(cached, item.resourceVersion())
                        || (item.resourceVersion() != null && item.resourceVersion().equals(cached));
                if (!current) {
                    writeObject(shape.resource(), item.object(list.itemKind(), list.apiVersion()));
                }
                db.exec("INSERT OR IGNORE INTO members(client, shape, namespace, name) VALUES(?,?,?,?)", client, shape.key(),
                        item.namespace(), item.name());
                listed.add(item.namespace() + "/" + item.name());
            }
            dropUnlisted(shape, listed, rv);
        });
    }

    /**
     * What the cloud no longer lists in this shape is gone, unless a newer copy arrived meanwhile. Only
     * the objects not listed are read whole, to see whether they belong to the shape.
     */
    private void dropUnlisted(ListShape shape, Set<String> listed, String listRv) throws SQLException {
        List<String[]> unlisted = new ArrayList<>();
        PreparedStatement q = db.statement("SELECT namespace, name, rv FROM objects WHERE resource=?");
        HubDatabase.bind(q, shape.resource());
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                if (!listed.contains(r.getString(1) + "/" + r.getString(2)) && !newer(r.getString(3), listRv)) {
                    unlisted.add(new String[] {r.getString(1), r.getString(2)});
                }
            }
        }
        for (String[] key : unlisted) {
            ObjectNode cached = objectOf(shape.resource(), key[0], key[1]);
            if (cached != null && ObjectFilter.matches(shape, cached)) {
                deleteObject(shape.resource(), key[0], key[1]);
            }
        }
    }

    /** A GET answer from the cloud. */
    void recordObject(String resource, ObjectNode obj) {
        db.cacheTx(() -> {
            if (upsertObject(resource, obj)) {
                placeInShapes(resource, obj);
            }
        });
    }

    /** The cloud says the object does not exist. */
    void forgetObject(String resource, String namespace, String name) {
        db.cacheTx(() -> deleteObject(resource, namespace, name));
    }

    /** One event of a watch from the cloud. */
    void recordWatchEvent(String client, ListShape shape, String type, ObjectNode obj) {
        db.cacheTx(() -> applyWatchEvent(client, shape, type, obj));
    }

    /** One event of a watch shared by several clients: each client's entry of the shape takes it, in one transaction. */
    void recordWatchEvent(java.util.Collection<String> clients, ListShape shape, String type, ObjectNode obj) {
        if (clients.isEmpty()) {
            return;
        }
        db.cacheTx(() -> {
            for (String client : clients) {
                applyWatchEvent(client, shape, type, obj);
            }
        });
    }

    private void applyWatchEvent(String client, ListShape shape, String type, ObjectNode obj) throws SQLException {
        String rv = Meta.resourceVersion(obj);
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                ensureShape(client, shape, obj);
                upsertObject(shape.resource(), obj);
                addMember(client, shape, obj);
                db.exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
            }
            case "DELETED" -> {
                if (ObjectFilter.matches(shape, obj)) {
                    deleteObject(shape.resource(), ObjectFilter.namespaceOf(obj), Meta.name(obj));
                } else {
                    // it left the shape (a label changed) but lives on
                    upsertObject(shape.resource(), obj);
                    db.exec("DELETE FROM members WHERE client=? AND shape=? AND namespace=? AND name=?", client, shape.key(),
                            ObjectFilter.namespaceOf(obj), Meta.name(obj));
                }
                db.exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
            }
            case "BOOKMARK" -> db.exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
            default -> { }
        }
    }

    /**
     * The cached list for a client's shape: its own entry, else another client's entry of the same
     * shape, else the cached objects of the resource filtered by the shape; empty when the resource
     * was never cached.
     */
    Optional<CachedList> list(String client, ListShape shape) {
        return db.read(() -> {
            String[] head = shapeHead("SELECT list_kind, list_api_version, rv, client FROM shapes WHERE client=? AND shape=?",
                    client, shape.key());
            CachedList.Source source = CachedList.Source.CLIENT_SHAPE;
            if (head == null) {
                head = shapeHead("SELECT list_kind, list_api_version, rv, client FROM shapes WHERE shape=?"
                        + " ORDER BY CAST(rv AS INTEGER) DESC LIMIT 1", shape.key());
                source = CachedList.Source.OTHER_CLIENT_SHAPE;
            }
            if (head != null) {
                List<ObjectNode> items = new ArrayList<>();
                try (PreparedStatement q = db.prepareStatement("SELECT o.body FROM members m JOIN objects o ON o.resource=?"
                        + " AND o.namespace=m.namespace AND o.name=m.name WHERE m.client=? AND m.shape=?"
                        + " ORDER BY m.namespace, m.name")) {
                    HubDatabase.bind(q, shape.resource(), head[3], shape.key());
                    try (ResultSet r = q.executeQuery()) {
                        while (r.next()) {
                            items.add(Json.trusted(r.getBytes(1)));
                        }
                    }
                }
                return Optional.of(new CachedList(head[0], head[1], maxVersion(head[2], items), items, source));
            }
            List<ObjectNode> all = objectsOf(shape.resource());
            if (all.isEmpty()) {
                return Optional.empty();
            }
            List<ObjectNode> items = all.stream().filter(o -> ObjectFilter.matches(shape, o)).toList();
            ObjectNode sample = all.get(0);
            return Optional.of(new CachedList(Meta.text(sample, "kind") + "List", Meta.text(sample, "apiVersion"),
                    maxVersion(null, all), items, CachedList.Source.FILTERED_OBJECTS));
        });
    }

    Optional<ObjectNode> get(String resource, String namespace, String name) {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT body FROM objects WHERE resource=? AND namespace=? AND name=?")) {
                HubDatabase.bind(q, resource, namespace, name);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(Json.trusted(r.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    List<ObjectNode> objects(String resource) {
        return db.read(() -> objectsOf(resource));
    }

    /**
     * Whether the object is known not to exist: the hub saw it go, or some client listed the whole
     * resource (in its namespace) without it.
     */
    boolean knownAbsent(String resource, String namespace, String name) {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM gone WHERE resource=? AND namespace=? AND name=?")) {
                HubDatabase.bind(q, resource, namespace, name);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        return true;
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM shapes WHERE resource=? AND (namespace='' OR namespace=?)"
                    + " AND label_selector='' AND field_selector='' LIMIT 1")) {
                HubDatabase.bind(q, resource, namespace);
                try (ResultSet r = q.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /** A non-resource GET answer (discovery, version, OpenAPI), kept whole. */
    void putDocument(String path, String contentType, byte[] body) {
        db.cacheTx(() -> db.exec("INSERT INTO documents(path, content_type, body) VALUES(?,?,?) ON CONFLICT(path) DO UPDATE"
                + " SET content_type=excluded.content_type, body=excluded.body", path, contentType, body));
    }

    Optional<Document> document(String path) {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT content_type, body FROM documents WHERE path=?")) {
                HubDatabase.bind(q, path);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(new Document(r.getString(1), r.getBytes(2))) : Optional.empty();
                }
            }
        });
    }

    record Document(String contentType, byte[] body) {}

    /** The newest resourceVersion of any cached object; null when none is a number. */
    String newestVersion() {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT MAX(CAST(rv AS INTEGER)) FROM objects WHERE rv GLOB '[0-9]*'")) {
                try (ResultSet r = q.executeQuery()) {
                    return r.next() && r.getObject(1) != null ? Long.toString(r.getLong(1)) : null;
                }
            }
        });
    }

    int objectCount() {
        return db.count("SELECT COUNT(*) FROM objects");
    }

    int shapeCount() {
        return db.count("SELECT COUNT(*) FROM shapes");
    }

    // ---- the journal's changes, made inside its transactions ----------------------------------

    /** A node write applied locally: the object as the node now sees it, in every shape it belongs to. */
    void putLocal(String resource, ObjectNode obj) throws SQLException {
        upsertObject(resource, obj, true);
        placeInShapes(resource, obj);
    }

    void removeLocal(String resource, String namespace, String name) throws SQLException {
        deleteObject(resource, namespace, name);
    }

    /**
     * Forgets cached events that last changed before {@code cutoff}, as the cloud deletes them after its event TTL: the
     * node's own event writes are cached from their answers, and would otherwise pile up for as long as the node lives.
     */
    int forgetEventsBefore(java.time.Instant cutoff) {
        int[] forgotten = {0};
        db.cacheTx(() -> {
            for (String resource : List.of("/v1/events", "events.k8s.io/v1/events")) {
                for (ObjectNode event : objectsOf(resource)) {
                    if (EventTimes.lastChange(event).map(t -> t.isBefore(cutoff)).orElse(false)) {
                        dropLocal(resource, ObjectFilter.namespaceOf(event), Meta.name(event));
                        forgotten[0]++;
                    }
                }
            }
        });
        return forgotten[0];
    }

    /** A local object the cloud does not hold as such; unlike a deletion, the name is not known to be free. */
    void dropLocal(String resource, String namespace, String name) throws SQLException {
        db.exec("DELETE FROM objects WHERE resource=? AND namespace=? AND name=?", resource, namespace, name);
        db.exec("DELETE FROM members WHERE namespace=? AND name=? AND shape IN (SELECT shape FROM shapes WHERE resource=?)",
                namespace, name, resource);
    }

    /** The cloud's answer to a replayed write: its copy replaces the local one. */
    void putCloudCopy(String resource, ObjectNode obj) throws SQLException {
        upsertObject(resource, obj, true);
    }

    // ---- internals ---------------------------------------------------------------------------

    /** False when the cache holds a newer copy, which stays. */
    private boolean upsertObject(String resource, ObjectNode obj) throws SQLException {
        return upsertObject(resource, obj, false);
    }

    /**
     * Keeps the newer copy by resourceVersion, unless {@code force} (a local write, or the cloud's answer to
     * one); a copy of the same resourceVersion is the same object and is not written again. False when the
     * cache holds a newer copy.
     */
    private boolean upsertObject(String resource, ObjectNode obj, boolean force) throws SQLException {
        String ns = ObjectFilter.namespaceOf(obj);
        String name = Meta.name(obj);
        if (name == null) {
            return false;
        }
        String rv = Meta.resourceVersion(obj);
        if (!force) {
            String cached = cachedVersion(resource, ns, name);
            if (newer(cached, rv)) {
                return false;
            }
            if (rv != null && rv.equals(cached)) {
                return true;
            }
        }
        writeObject(resource, obj);
        return true;
    }

    private void writeObject(String resource, ObjectNode obj) throws SQLException {
        String ns = ObjectFilter.namespaceOf(obj);
        String name = Meta.name(obj);
        db.exec("INSERT INTO objects(resource, namespace, name, rv, body) VALUES(?,?,?,?,?) ON CONFLICT(resource, namespace, name)"
                + " DO UPDATE SET rv=excluded.rv, body=excluded.body", resource, ns, name, Meta.resourceVersion(obj), Json.bytes(obj));
        db.exec("DELETE FROM gone WHERE resource=? AND namespace=? AND name=?", resource, ns, name);
    }

    /** The cached copy's resourceVersion; null when there is none. */
    private String cachedVersion(String resource, String namespace, String name) throws SQLException {
        PreparedStatement q = db.statement("SELECT rv FROM objects WHERE resource=? AND namespace=? AND name=?");
        HubDatabase.bind(q, resource, namespace, name);
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private ObjectNode objectOf(String resource, String namespace, String name) throws SQLException {
        PreparedStatement q = db.statement("SELECT body FROM objects WHERE resource=? AND namespace=? AND name=?");
        HubDatabase.bind(q, resource, namespace, name);
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? Json.trusted(r.getBytes(1)) : null;
        }
    }

    /** The resourceVersion of this client's entry of the shape; null when it has none. */
    private String shapeVersion(String client, ListShape shape) throws SQLException {
        PreparedStatement q = db.statement("SELECT rv FROM shapes WHERE client=? AND shape=?");
        HubDatabase.bind(q, client, shape.key());
        try (ResultSet r = q.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private void deleteObject(String resource, String namespace, String name) throws SQLException {
        db.exec("DELETE FROM objects WHERE resource=? AND namespace=? AND name=?", resource, namespace, name);
        db.exec("INSERT OR IGNORE INTO gone(resource, namespace, name) VALUES(?,?,?)", resource, namespace, name);
        db.exec("DELETE FROM members WHERE namespace=? AND name=? AND shape IN (SELECT shape FROM shapes WHERE resource=?)",
                namespace, name, resource);
    }

    /** Adds the object to every cached shape of its resource it belongs to. */
    private void placeInShapes(String resource, ObjectNode obj) throws SQLException {
        List<String[]> shapes = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT client, shape, namespace, label_selector, field_selector"
                + " FROM shapes WHERE resource=?")) {
            HubDatabase.bind(q, resource);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    shapes.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)});
                }
            }
        }
        for (String[] s : shapes) {
            ListShape shape = new ListShape(resource, s[2], s[3], s[4]);
            String ns = ObjectFilter.namespaceOf(obj);
            if (ObjectFilter.matches(shape, obj)) {
                db.exec("INSERT OR IGNORE INTO members(client, shape, namespace, name) VALUES(?,?,?,?)", s[0], s[1], ns, Meta.name(obj));
            } else {
                db.exec("DELETE FROM members WHERE client=? AND shape=? AND namespace=? AND name=?", s[0], s[1], ns, Meta.name(obj));
            }
        }
    }

    private void addMember(String client, ListShape shape, ObjectNode obj) throws SQLException {
        db.exec("INSERT OR IGNORE INTO members(client, shape, namespace, name) VALUES(?,?,?,?)", client, shape.key(),
                ObjectFilter.namespaceOf(obj), Meta.name(obj));
    }

    private void upsertShape(String client, ListShape shape, String listKind, String apiVersion, String rv) throws SQLException {
        db.exec("INSERT INTO shapes(client, shape, resource, namespace, label_selector, field_selector, list_kind, list_api_version, rv)"
                + " VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(client, shape) DO UPDATE SET list_kind=excluded.list_kind,"
                + " list_api_version=excluded.list_api_version, rv=excluded.rv", client, shape.key(), shape.resource(),
                shape.namespace(), shape.labelSelector(), shape.fieldSelector(), listKind, apiVersion, rv);
    }

    /** A watch without a LIST before it (kubectl get -w does both, a bare watch does not) still gets an entry. */
    private void ensureShape(String client, ListShape shape, ObjectNode sample) throws SQLException {
        db.exec("INSERT OR IGNORE INTO shapes(client, shape, resource, namespace, label_selector, field_selector, list_kind,"
                + " list_api_version, rv) VALUES(?,?,?,?,?,?,?,?,?)", client, shape.key(), shape.resource(), shape.namespace(),
                shape.labelSelector(), shape.fieldSelector(), Meta.text(sample, "kind") + "List", Meta.text(sample, "apiVersion"),
                Meta.resourceVersion(sample));
    }

    private List<ObjectNode> objectsOf(String resource) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT body FROM objects WHERE resource=? ORDER BY namespace, name")) {
            HubDatabase.bind(q, resource);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(Json.trusted(r.getBytes(1)));
                }
            }
        }
        return out;
    }

    private String[] shapeHead(String sql, Object... args) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            HubDatabase.bind(q, args);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)} : null;
            }
        }
    }

    /** The list's resourceVersion: the newest of the entry's and its items', so local changes show as newer. */
    private static String maxVersion(String listRv, List<ObjectNode> items) {
        String max = listRv;
        for (ObjectNode item : items) {
            String rv = Meta.resourceVersion(item);
            if (max == null || newer(rv, max)) {
                max = rv;
            }
        }
        return max == null ? "0" : max;
    }

    /** Whether {@code a} is a later resourceVersion than {@code b}; versions that are not numbers are never later. */
    static boolean newer(String a, String b) {
        try {
            return Long.parseLong(a) > Long.parseLong(b);
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }
}
