package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every object the garbage collector knows, by uid, with an index from each owner uid to the
 * objects that name it. Each change reports the uids whose state may now call for action: the
 * dependents of an object that went away, an object whose owner is unknown, an owner that is
 * waiting for its dependents.
 */
final class OwnerGraph {
    private final Map<String, GraphNode> nodes = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();
    private final Map<String, Set<String>> bySource = new HashMap<>();

    synchronized GraphNode node(String uid) {
        return nodes.get(uid);
    }

    synchronized int size() {
        return nodes.size();
    }

    synchronized List<GraphNode> dependentsOf(String ownerUid) {
        List<GraphNode> out = new ArrayList<>();
        for (String uid : dependents.getOrDefault(ownerUid, Set.of())) {
            GraphNode n = nodes.get(uid);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    synchronized boolean hasDependents(String ownerUid) {
        return !dependents.getOrDefault(ownerUid, Set.of()).isEmpty();
    }

    /** @return the uids to look at because of this change */
    synchronized Set<String> upsert(GraphNode n) {
        GraphNode old = nodes.put(n.uid(), n);
        bySource.computeIfAbsent(n.source(), s -> new HashSet<>()).add(n.uid());
        if (n.sameAs(old)) {
            return Set.of();
        }
        Set<String> attention = new LinkedHashSet<>();
        if (old != null) {
            for (OwnerReference r : old.owners()) {
                if (n.ownerRef(r.getUid()) == null) {
                    unlink(r.getUid(), n.uid());
                    waitingOwner(r.getUid(), attention);
                }
            }
        }
        for (OwnerReference r : n.owners()) {
            dependents.computeIfAbsent(r.getUid(), k -> new HashSet<>()).add(n.uid());
            if (!nodes.containsKey(r.getUid())) {
                attention.add(n.uid());
            } else {
                waitingOwner(r.getUid(), attention);
            }
        }
        if (n.deletingDependents() || n.orphaning()) {
            attention.add(n.uid());
        }
        return attention;
    }

    /**
     * Like {@link #upsert}, but only for an object the graph still holds: what a worker read from the
     * server must not bring back an object whose deletion the graph heard of meanwhile.
     */
    synchronized Set<String> upsertIfPresent(GraphNode n) {
        return nodes.containsKey(n.uid()) ? upsert(n) : Set.of();
    }

    /** @return the uids to look at now that the object is gone */
    synchronized Set<String> remove(String uid) {
        GraphNode n = nodes.remove(uid);
        if (n == null) {
            return Set.of();
        }
        Set<String> of = bySource.get(n.source());
        if (of != null) {
            of.remove(uid);
        }
        Set<String> attention = new LinkedHashSet<>(dependents.getOrDefault(uid, Set.of()));
        for (OwnerReference r : n.owners()) {
            unlink(r.getUid(), uid);
            waitingOwner(r.getUid(), attention);
        }
        return attention;
    }

    /**
     * Replaces what one resource's sweep reported last time with what it reports now: objects no
     * longer listed are treated as deleted.
     */
    synchronized Set<String> replaceSource(String source, Collection<GraphNode> listed) {
        Set<String> attention = new LinkedHashSet<>();
        Set<String> before = new HashSet<>(bySource.getOrDefault(source, Set.of()));
        for (GraphNode n : listed) {
            before.remove(n.uid());
            attention.addAll(upsert(n));
        }
        for (String gone : before) {
            attention.addAll(remove(gone));
        }
        return attention;
    }

    synchronized Set<String> sources() {
        return Set.copyOf(bySource.keySet());
    }

    /** Objects naming an owner the graph does not hold: their owner may be gone. */
    synchronized Set<String> withUnknownOwners() {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Set<String>> e : dependents.entrySet()) {
            if (!nodes.containsKey(e.getKey())) {
                out.addAll(e.getValue());
            }
        }
        return out;
    }

    private void waitingOwner(String ownerUid, Set<String> attention) {
        GraphNode owner = nodes.get(ownerUid);
        if (owner != null && owner.deletingDependents()) {
            attention.add(ownerUid);
        }
    }

    private void unlink(String ownerUid, String dependentUid) {
        Set<String> deps = dependents.get(ownerUid);
        if (deps != null) {
            deps.remove(dependentUid);
            if (deps.isEmpty()) {
                dependents.remove(ownerUid);
            }
        }
    }
}
