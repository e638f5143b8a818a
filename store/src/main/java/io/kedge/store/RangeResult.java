package io.kedge.store;

import java.util.List;

/** A page of a range read: its entries, whether more keys follow, and the revision it reflects. */
public record RangeResult(List<KeyValue> kvs, boolean more, long revision) {}
