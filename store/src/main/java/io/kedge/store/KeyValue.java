package io.kedge.store;

/** One key's value at one revision. */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {}
