package io.kedge.store;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Opens a store from configuration. */
public final class KvStores {
    private KvStores() {}

    /** The embedded store in one SQLite file, created if missing. */
    public static KvStore openSqlite(Path file) {
        return SqliteKvStore.open(file);
    }

    /** An etcd cluster, e.g. {@code "http://10.0.0.1:2379,http://10.0.0.2:2379"}, with no key prefix. */
    public static KvStore openEtcd(String commaSeparatedUrls) {
        return openEtcd(commaSeparatedUrls, "");
    }

    /** An etcd cluster, with every key stored under {@code keyPrefix} (null or "" for none). */
    public static KvStore openEtcd(String commaSeparatedUrls, String keyPrefix) {
        if (commaSeparatedUrls == null || commaSeparatedUrls.isBlank()) {
            throw new IllegalArgumentException("etcd needs at least one endpoint URL, e.g. http://127.0.0.1:2379");
        }
        List<String> urls = Arrays.stream(commaSeparatedUrls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new EtcdKvStore(urls, keyPrefix);
    }
}
