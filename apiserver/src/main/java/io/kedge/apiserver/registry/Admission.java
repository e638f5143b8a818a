package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Checks and mutations that look beyond the object itself (other objects, the request's user). */
public interface Admission {
    default void admitCreate(ResourceType t, ObjectNode obj, WriteOptions opts) {}

    default void admitUpdate(ResourceType t, ObjectNode obj, ObjectNode old, WriteOptions opts) {}

    default void admitDelete(ResourceType t, ObjectNode obj) {}

    static Admission chain(List<Admission> all) {
        return new Admission() {
            @Override
            public void admitCreate(ResourceType t, ObjectNode obj, WriteOptions opts) {
                all.forEach(a -> a.admitCreate(t, obj, opts));
            }

            @Override
            public void admitUpdate(ResourceType t, ObjectNode obj, ObjectNode old, WriteOptions opts) {
                all.forEach(a -> a.admitUpdate(t, obj, old, opts));
            }

            @Override
            public void admitDelete(ResourceType t, ObjectNode obj) {
                all.forEach(a -> a.admitDelete(t, obj));
            }
        };
    }
}
