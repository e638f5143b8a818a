package io.kedge.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's writes accepted while the cloud was unreachable, in order. An entry is appended in
 * the transaction that applies it to the cache, and marked done in the transaction that records
 * its outcome.
 */
final class Journal {
    private final HubDatabase db;
    private final HubStore cache;

    Journal(HubDatabase db, HubStore cache) {
        this.db = db;
        this.cache = cache;
    }

    /**
     * Applies a node write to the cache and appends it to the journal, in one transaction: when
     * this returns, the write survives a crash. {@code result} null deletes the object.
     */
    long append(String method, String pathAndQuery, String contentType, byte[] body, String resource,
                              String namespace, String name, ObjectNode result, Instant now) {
        long[] seq = new long[1];
        db.tx(() -> {
            if (result == null) {
                cache.removeLocal(resource, namespace, name);
            } else {
                cache.putLocal(resource, result);
            }
            try (PreparedStatement q = db.prepareStatement("INSERT INTO journal(method, path, content_type, body, created)"
                    + " VALUES(?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                HubDatabase.bind(q, method, pathAndQuery, contentType, body, now.toString());
                q.executeUpdate();
                try (ResultSet keys = q.getGeneratedKeys()) {
                    keys.next();
                    seq[0] = keys.getLong(1);
                }
            }
        });
        return seq[0];
    }

    List<JournalEntry> pending() {
        return db.read(() -> {
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

    /**
     * Marks an entry replayed, with its outcome and the cloud's copy of the object, in one transaction.
     * An object the node named offline whose name the cloud holds for another object leaves the cache:
     * the node never saw the cloud's object, and the node's own went elsewhere or nowhere.
     */
    void complete(long seq, String resource, String namespace, JournalReplay.Outcome outcome) {
        db.tx(() -> {
            if (resource != null && outcome.staleName() != null) {
                cache.dropLocal(resource, namespace, outcome.staleName());
            }
            if (resource != null && outcome.cloudCopy() != null) {
                cache.putCloudCopy(resource, outcome.cloudCopy());
            }
            db.exec("UPDATE journal SET done=1, outcome=? WHERE seq=?", outcome.text(), seq);
        });
    }

    int depth() {
        return db.count("SELECT COUNT(*) FROM journal WHERE done=0");
    }

    String outcome(long seq) {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT outcome FROM journal WHERE seq=?")) {
                HubDatabase.bind(q, seq);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

}
