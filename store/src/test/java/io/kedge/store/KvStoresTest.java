package io.kedge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoresTest {
    @TempDir
    Path dir;

    @Test
    void openSqliteCreatesTheFileAndItsDirectories() throws Exception {
        Path file = dir.resolve("a/b/store.db");
        try (KvStore store = KvStores.openSqlite(file)) {
            store.create("/k", new byte[] {1});
        }
        assertThat(file).exists();
    }

    @Test
    void openEtcdRejectsAnEmptyOrMalformedUrlList() {
        assertThatThrownBy(() -> KvStores.openEtcd(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> KvStores.openEtcd("http://127.0.0.1:2379,ftp://x:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x:1");
        assertThatThrownBy(() -> KvStores.openEtcd("http://127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    }

    @Test
    void openEtcdAcceptsACommaSeparatedListWithSpaces() {
        try (KvStore store = KvStores.openEtcd("http://127.0.0.1:2379, http://127.0.0.2:2379", "/kedge/")) {
            assertThat(store).isInstanceOf(EtcdKvStore.class);
            assertThat(store.toString()).contains("127.0.0.2:2379").contains("/kedge/");
        }
    }
}
