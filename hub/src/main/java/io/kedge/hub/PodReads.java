package io.kedge.hub;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The reads the cloud allowed each service account through this hub. Offline the hub evaluates no
 * RBAC: it answers a service account only what the cloud answered it before, shape for shape, and
 * forgets a read once the cloud refuses it.
 */
final class PodReads {
    private final HubDatabase db;

    PodReads(HubDatabase db) {
        this.db = db;
        db.tx(() -> db.exec("CREATE TABLE IF NOT EXISTS pod_reads(client TEXT NOT NULL, request TEXT NOT NULL,"
                + " PRIMARY KEY(client, request))"));
    }

    /**
     * The key of a read: a LIST and a WATCH of one shape are one read (a watch shows what the list
     * shows), an object is read by name, anything else by its path.
     */
    static String key(ApiPath path) {
        if (!path.isResource()) {
            return "path " + path.path();
        }
        if (path.isCollection()) {
            return "list " + ListShape.of(path).key();
        }
        return "get " + path.gvr() + "|" + path.namespace() + "|" + path.name() + (path.subresource() == null ? "" : "|"
                + path.subresource());
    }

    // what the cloud allowed is cache knowledge: a power loss may forget the last of it, never corrupt it
    void allowed(PodIdentity who, ApiPath path) {
        db.cacheTx(() -> db.exec("INSERT OR IGNORE INTO pod_reads(client, request) VALUES(?,?)", who.cacheClient(), key(path)));
    }

    void refused(PodIdentity who, ApiPath path) {
        db.cacheTx(() -> db.exec("DELETE FROM pod_reads WHERE client=? AND request=?", who.cacheClient(), key(path)));
    }

    boolean wasAllowed(PodIdentity who, ApiPath path) {
        return db.read(() -> {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM pod_reads WHERE client=? AND request=?")) {
                HubDatabase.bind(q, who.cacheClient(), key(path));
                try (ResultSet r = q.executeQuery()) {
                    return r.next();
                }
            }
        });
    }
}
