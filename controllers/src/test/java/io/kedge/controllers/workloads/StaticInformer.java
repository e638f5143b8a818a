package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An informer whose cache holds exactly what the test puts in it, and is never updated by a watch:
 * a cache as far behind the server as a test wants it to be.
 */
final class StaticInformer<T extends HasMetadata> {
    private final List<T> items = new CopyOnWriteArrayList<>();

    void set(List<T> now) {
        items.clear();
        items.addAll(now);
    }

    @SuppressWarnings("unchecked")
    SharedIndexInformer<T> informer() {
        Indexer<T> indexer = (Indexer<T>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Indexer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "list" -> List.copyOf(items);
                    case "getByKey" -> items.stream().filter(o -> key(o).equals(args[0])).findFirst().orElse(null);
                    case "byIndex" -> {
                        if (!Cache.NAMESPACE_INDEX.equals(args[0])) {
                            throw new UnsupportedOperationException("index " + args[0]);
                        }
                        yield items.stream().filter(o -> args[1].equals(o.getMetadata().getNamespace())).toList();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (SharedIndexInformer<T>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SharedIndexInformer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStore", "getIndexer" -> indexer;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }
}
