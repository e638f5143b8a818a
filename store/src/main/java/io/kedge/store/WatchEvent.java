package io.kedge.store;

/**
 * One change. For PUT, {@code kv} is the new value and {@code prevKv} the old one (null on
 * create). For DELETE, {@code kv} carries the key and the delete's revision as modRevision
 * (its value is empty and its createRevision 0), and {@code prevKv} the last value.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
