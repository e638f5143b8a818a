package io.kedge.apiserver.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The resources the server serves now: the built-ins, plus those of every Established CRD. Readers
 * get an immutable snapshot; writers replace it, and listeners rebuild what depends on it.
 */
public final class ResourceTypes {
    /** group/version → plural → type, in registration order. */
    private volatile Map<String, Map<String, ResourceType>> byGroupVersion = Map.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public synchronized void register(ResourceType t) {
        Map<String, Map<String, ResourceType>> next = copy();
        next.computeIfAbsent(t.apiVersion(), k -> new LinkedHashMap<>()).put(t.plural(), t);
        byGroupVersion = next;
        listeners.forEach(Runnable::run);
    }

    public synchronized void unregister(String group, String plural) {
        Map<String, Map<String, ResourceType>> next = copy();
        next.values().forEach(m -> m.values().removeIf(t -> t.group().equals(group) && t.plural().equals(plural)));
        next.values().removeIf(Map::isEmpty);
        byGroupVersion = next;
        listeners.forEach(Runnable::run);
    }

    private Map<String, Map<String, ResourceType>> copy() {
        Map<String, Map<String, ResourceType>> next = new LinkedHashMap<>();
        byGroupVersion.forEach((gv, m) -> next.put(gv, new LinkedHashMap<>(m)));
        return next;
    }

    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        Map<String, ResourceType> m = byGroupVersion.get(io.kedge.api.Meta.apiVersion(group, version));
        return Optional.ofNullable(m == null ? null : m.get(plural));
    }

    public Optional<ResourceType> findKind(String group, String kind) {
        for (Map<String, ResourceType> m : byGroupVersion.values()) {
            for (ResourceType t : m.values()) {
                if (t.group().equals(group) && t.kind().equals(kind)) return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public Collection<ResourceType> inGroupVersion(String group, String version) {
        Map<String, ResourceType> m = byGroupVersion.get(io.kedge.api.Meta.apiVersion(group, version));
        return m == null ? List.of() : m.values();
    }

    public List<ResourceType> all() {
        List<ResourceType> out = new ArrayList<>();
        byGroupVersion.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** Groups (the core group as "") in first-registered order, each with its versions. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, ResourceType> m : byGroupVersion.values()) {
            for (ResourceType t : m.values()) {
                List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
                if (!versions.contains(t.version())) versions.add(t.version());
                break;
            }
        }
        return out;
    }
}
