package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's disk: one SQLite file ({@code hub.db}, WAL, synchronous=FULL) holding the cache and
 * the write journal, so that a local write and its journal entry commit together.
 *
 * <p>Objects are stored once per resource, namespace and name. Each LIST or WATCH shape of each
 * client has its own member list, so two shapes never overwrite each other, while a change seen
 * through any shape updates the one copy of the object they share.
 */
final class HubStore implements AutoCloseable {
    static final String FILE = "hub.db";
    /** How many replayed journal entries and gone objects are kept, for the record, across restarts. */
    private static final int KEPT_ROWS = 10_000;

    private final Connection db;
    private final Path file;

    private HubStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    static HubStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE));
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS objects(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
                        + " rv TEXT, body BLOB NOT NULL, PRIMARY KEY(resource, namespace, name))");
                s.execute("CREATE TABLE IF NOT EXISTS shapes(client TEXT NOT NULL, shape TEXT NOT NULL, resource TEXT NOT NULL,"
                        + " namespace TEXT NOT NULL, label_selector TEXT NOT NULL, field_selector TEXT NOT NULL,"
                        + " list_kind TEXT, list_api_version TEXT, rv TEXT, PRIMARY KEY(client, shape))");
                s.execute("CREATE TABLE IF NOT EXISTS members(client TEXT NOT NULL, shape TEXT NOT NULL, namespace TEXT NOT NULL,"
                        + " name TEXT NOT NULL, PRIMARY KEY(client, shape, namespace, name))");
                // objects the hub saw go (a watch event, a list without them, the node's own deletion): a 404 offline
                s.execute("CREATE TABLE IF NOT EXISTS gone(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
                        + " PRIMARY KEY(resource, namespace, name))");
                s.execute("CREATE TABLE IF NOT EXISTS documents(path TEXT PRIMARY KEY, content_type TEXT, body BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL,"
                        + " path TEXT NOT NULL, content_type TEXT, body BLOB, created TEXT NOT NULL,"
                        + " done INTEGER NOT NULL DEFAULT 0, outcome TEXT)");
            }
            db.setAutoCommit(false);
            prune(db);
            db.commit();
            return new HubStore(db, dir.resolve(FILE));
        } catch (SQLException e) {
            throw new IOException("cannot open the hub's cache " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the replayed part of the journal and the record of gone objects from growing without bound. */
    private static void prune(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM journal WHERE done=1 AND seq < (SELECT MAX(seq) FROM journal) - " + KEPT_ROWS);
            s.execute("DELETE FROM gone WHERE rowid < (SELECT MAX(rowid) FROM gone) - " + KEPT_ROWS);
        }
    }

    // ---- cache -------------------------------------------------------------------------------

    /** A LIST answer from the cloud: the shape's members become exactly the list's items. */
    synchronized void recordList(String client, ListShape shape, JsonNode list) {
        String listKind = Meta.text(list, "kind");
        String apiVersion = Meta.text(list, "apiVersion");
        String itemKind = listKind != null && listKind.endsWith("List") ? listKind.substring(0, listKind.length() - 4) : null;
        String rv = Meta.resourceVersion(list);
        tx(() -> {
            upsertShape(client, shape, listKind, apiVersion, rv);
            exec("DELETE FROM members WHERE client=? AND shape=?", client, shape.key());
            Set<String> listed = new HashSet<>();
            for (JsonNode item : list.path("items")) {
                if (!(item instanceof ObjectNode obj)) {
                    continue;
                }
                if (itemKind != null && !obj.has("kind")) {
                    obj.put("kind", itemKind);
                }
                if (apiVersion != null && !obj.has("apiVersion")) {
                    obj.put("apiVersion", apiVersion);
                }
                upsertObject(shape.resource(), obj);
                addMember(client, shape, obj);
                listed.add(ObjectFilter.namespaceOf(obj) + "/" + Meta.name(obj));
            }
            // what the cloud no longer lists in this shape is gone, unless a newer copy arrived meanwhile
            for (ObjectNode cached : objectsOf(shape.resource())) {
                if (ObjectFilter.matches(shape, cached) && !listed.contains(ObjectFilter.namespaceOf(cached) + "/" + Meta.name(cached))
                        && !newer(Meta.resourceVersion(cached), rv)) {
                    deleteObject(shape.resource(), ObjectFilter.namespaceOf(cached), Meta.name(cached));
                }
            }
        });
    }

    /** A GET answer from the cloud. */
    synchronized void recordObject(String resource, ObjectNode obj) {
        tx(() -> {
            upsertObject(resource, obj);
            placeInShapes(resource, obj);
        });
    }

    /** The cloud says the object does not exist. */
    synchronized void forgetObject(String resource, String namespace, String name) {
        tx(() -> deleteObject(resource, namespace, name));
    }

    /** One event of a watch from the cloud. */
    synchronized void recordWatchEvent(String client, ListShape shape, String type, ObjectNode obj) {
        tx(() -> {
            String rv = Meta.resourceVersion(obj);
            switch (type) {
                case "ADDED", "MODIFIED" -> {
                    ensureShape(client, shape, obj);
                    upsertObject(shape.resource(), obj);
                    addMember(client, shape, obj);
                    exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
                }
                case "DELETED" -> {
                    if (ObjectFilter.matches(shape, obj)) {
                        deleteObject(shape.resource(), ObjectFilter.namespaceOf(obj), Meta.name(obj));
                    } else {
                        // it left the shape (a label changed) but lives on
                        upsertObject(shape.resource(), obj);
                        exec("DELETE FROM members WHERE client=? AND shape=? AND namespace=? AND name=?", client, shape.key(),
                                ObjectFilter.namespaceOf(obj), Meta.name(obj));
                    }
                    exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
                }
                case "BOOKMARK" -> exec("UPDATE shapes SET rv=? WHERE client=? AND shape=?", rv, client, shape.key());
                default -> { }
            }
        });
    }

    /**
     * The cached list for a client's shape: its own entry, else another client's entry of the same
     * shape, else the cached objects of the resource filtered by the shape; empty when the resource
     * was never cached.
     */
    synchronized Optional<CachedList> list(String client, ListShape shape) {
        return read(() -> {
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
                    bind(q, shape.resource(), head[3], shape.key());
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

    synchronized Optional<ObjectNode> get(String resource, String namespace, String name) {
        return read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT body FROM objects WHERE resource=? AND namespace=? AND name=?")) {
                bind(q, resource, namespace, name);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(Json.trusted(r.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    synchronized List<ObjectNode> objects(String resource) {
        return read(() -> objectsOf(resource));
    }

    /**
     * Whether the object is known not to exist: the hub saw it go, or some client listed the whole
     * resource (in its namespace) without it.
     */
    synchronized boolean knownAbsent(String resource, String namespace, String name) {
        return read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM gone WHERE resource=? AND namespace=? AND name=?")) {
                bind(q, resource, namespace, name);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        return true;
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM shapes WHERE resource=? AND (namespace='' OR namespace=?)"
                    + " AND label_selector='' AND field_selector='' LIMIT 1")) {
                bind(q, resource, namespace);
                try (ResultSet r = q.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /** A non-resource GET answer (discovery, version, OpenAPI), kept whole. */
    synchronized void putDocument(String path, String contentType, byte[] body) {
        tx(() -> exec("INSERT INTO documents(path, content_type, body) VALUES(?,?,?) ON CONFLICT(path) DO UPDATE"
                + " SET content_type=excluded.content_type, body=excluded.body", path, contentType, body));
    }

    synchronized Optional<Document> document(String path) {
        return read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT content_type, body FROM documents WHERE path=?")) {
                bind(q, path);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(new Document(r.getString(1), r.getBytes(2))) : Optional.empty();
                }
            }
        });
    }

    record Document(String contentType, byte[] body) {}

    synchronized int objectCount() {
        return count("SELECT COUNT(*) FROM objects");
    }

    /** The cache's bytes on disk: the database and its write-ahead log. */
    long bytesOnDisk() {
        long total = 0;
        for (String suffix : new String[] {"", "-wal"}) {
            try {
                total += Files.size(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException missing) {
                // no WAL right after a checkpoint
            }
        }
        return total;
    }

    synchronized int shapeCount() {
        return count("SELECT COUNT(*) FROM shapes");
    }

    // ---- journal -----------------------------------------------------------------------------

    /**
     * Applies a node write to the cache and appends it to the journal, in one transaction: when
     * this returns, the write survives a crash. {@code result} null deletes the object.
     */
    synchronized long journal(String method, String pathAndQuery, String contentType, byte[] body, String resource,
                              String namespace, String name, ObjectNode result, Instant now) {
        long[] seq = new long[1];
        tx(() -> {
            if (result == null) {
                deleteObject(resource, namespace, name);
            } else {
                upsertObject(resource, result, true);
                placeInShapes(resource, result);
            }
            try (PreparedStatement q = db.prepareStatement("INSERT INTO journal(method, path, content_type, body, created)"
                    + " VALUES(?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                bind(q, method, pathAndQuery, contentType, body, now.toString());
                q.executeUpdate();
                try (ResultSet keys = q.getGeneratedKeys()) {
                    keys.next();
                    seq[0] = keys.getLong(1);
                }
            }
        });
        return seq[0];
    }

    synchronized List<JournalEntry> pending() {
        return read(() -> {
            List<JournalEntry> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT seq, method, path, content_type, body, created FROM journal"
                    + " WHERE done=0 ORDER BY seq")) {
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new JournalEntry(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getBytes(5),
                                Instant.parse(r.getString(6))));
                    }
                }
            }
            return out;
        });
    }

    /** Marks an entry replayed, with its outcome and the cloud's copy of the object, in one transaction. */
    synchronized void complete(long seq, String outcome, String resource, ObjectNode cloudCopy) {
        tx(() -> {
            if (cloudCopy != null && resource != null) {
                upsertObject(resource, cloudCopy, true);
            }
            exec("UPDATE journal SET done=1, outcome=? WHERE seq=?", outcome, seq);
        });
    }

    synchronized int journalDepth() {
        return count("SELECT COUNT(*) FROM journal WHERE done=0");
    }

    synchronized String outcome(long seq) {
        return read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT outcome FROM journal WHERE seq=?")) {
                bind(q, seq);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

    // ---- internals ---------------------------------------------------------------------------

    private void upsertObject(String resource, ObjectNode obj) throws SQLException {
        upsertObject(resource, obj, false);
    }

    /** Keeps the newer copy by resourceVersion, unless {@code force} (a local write, or the cloud's answer to one). */
    private void upsertObject(String resource, ObjectNode obj, boolean force) throws SQLException {
        String ns = ObjectFilter.namespaceOf(obj);
        String name = Meta.name(obj);
        if (name == null) {
            return;
        }
        String rv = Meta.resourceVersion(obj);
        if (!force) {
            try (PreparedStatement q = db.prepareStatement("SELECT rv FROM objects WHERE resource=? AND namespace=? AND name=?")) {
                bind(q, resource, ns, name);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next() && newer(r.getString(1), rv)) {
                        return;
                    }
                }
            }
        }
        exec("INSERT INTO objects(resource, namespace, name, rv, body) VALUES(?,?,?,?,?) ON CONFLICT(resource, namespace, name)"
                + " DO UPDATE SET rv=excluded.rv, body=excluded.body", resource, ns, name, rv, Json.bytes(obj));
        exec("DELETE FROM gone WHERE resource=? AND namespace=? AND name=?", resource, ns, name);
    }

    private void deleteObject(String resource, String namespace, String name) throws SQLException {
        exec("DELETE FROM objects WHERE resource=? AND namespace=? AND name=?", resource, namespace, name);
        exec("INSERT OR IGNORE INTO gone(resource, namespace, name) VALUES(?,?,?)", resource, namespace, name);
        exec("DELETE FROM members WHERE namespace=? AND name=? AND shape IN (SELECT shape FROM shapes WHERE resource=?)",
                namespace, name, resource);
    }

    /** Adds the object to every cached shape of its resource it belongs to. */
    private void placeInShapes(String resource, ObjectNode obj) throws SQLException {
        List<String[]> shapes = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT client, shape, namespace, label_selector, field_selector"
                + " FROM shapes WHERE resource=?")) {
            bind(q, resource);
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
                exec("INSERT OR IGNORE INTO members(client, shape, namespace, name) VALUES(?,?,?,?)", s[0], s[1], ns, Meta.name(obj));
            } else {
                exec("DELETE FROM members WHERE client=? AND shape=? AND namespace=? AND name=?", s[0], s[1], ns, Meta.name(obj));
            }
        }
    }

    private void addMember(String client, ListShape shape, ObjectNode obj) throws SQLException {
        exec("INSERT OR IGNORE INTO members(client, shape, namespace, name) VALUES(?,?,?,?)", client, shape.key(),
                ObjectFilter.namespaceOf(obj), Meta.name(obj));
    }

    private void upsertShape(String client, ListShape shape, String listKind, String apiVersion, String rv) throws SQLException {
        exec("INSERT INTO shapes(client, shape, resource, namespace, label_selector, field_selector, list_kind, list_api_version, rv)"
                + " VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(client, shape) DO UPDATE SET list_kind=excluded.list_kind,"
                + " list_api_version=excluded.list_api_version, rv=excluded.rv", client, shape.key(), shape.resource(),
                shape.namespace(), shape.labelSelector(), shape.fieldSelector(), listKind, apiVersion, rv);
    }

    /** A watch without a LIST before it (kubectl get -w does both, a bare watch does not) still gets an entry. */
    private void ensureShape(String client, ListShape shape, ObjectNode sample) throws SQLException {
        exec("INSERT OR IGNORE INTO shapes(client, shape, resource, namespace, label_selector, field_selector, list_kind,"
                + " list_api_version, rv) VALUES(?,?,?,?,?,?,?,?,?)", client, shape.key(), shape.resource(), shape.namespace(),
                shape.labelSelector(), shape.fieldSelector(), Meta.text(sample, "kind") + "List", Meta.text(sample, "apiVersion"),
                Meta.resourceVersion(sample));
    }

    private List<ObjectNode> objectsOf(String resource) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT body FROM objects WHERE resource=? ORDER BY namespace, name")) {
            bind(q, resource);
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
            bind(q, args);
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

    private int count(String sql) {
        return read(() -> {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    private void exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            bind(q, args);
            q.executeUpdate();
        }
    }

    private static void bind(PreparedStatement q, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            q.setObject(i + 1, args[i]);
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    private void tx(Work work) {
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the original error says why
            }
            throw new HubStoreException("the hub's cache: " + e.getMessage(), e);
        }
    }

    private <T> T read(Query<T> query) {
        try {
            T result = query.run();
            db.commit();
            return result;
        } catch (SQLException e) {
            throw new HubStoreException("the hub's cache: " + e.getMessage(), e);
        }
    }

    static final class HubStoreException extends RuntimeException {
        HubStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new HubStoreException("closing the hub's cache: " + e.getMessage(), e);
        }
    }
}
