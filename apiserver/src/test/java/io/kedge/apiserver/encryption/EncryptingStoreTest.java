package io.kedge.apiserver.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.store.KvStore;
import io.kedge.store.KvStores;
import io.kedge.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingStoreTest {
    private static final String K1 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final String K2 = Base64.getEncoder().encodeToString("fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    private static final String SECRET_KEY = "/registry/core/secrets/default/db";
    private static final byte[] PLAIN = "{\"data\":{\"password\":\"hunter2\"}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private KvStore raw;

    @BeforeEach
    void open() {
        raw = KvStores.openSqlite(dir.resolve("state.db"));
    }

    @AfterEach
    void close() {
        raw.close();
    }

    private static EncryptionConfig config(String providers) {
        return EncryptionConfig.parse(("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                - resources: [secrets]
                  providers:
                """ + providers).getBytes(StandardCharsets.UTF_8), "test config");
    }

    private static String aesgcm(String... nameAndSecret) {
        StringBuilder b = new StringBuilder("  - aesgcm:\n      keys:\n");
        for (int i = 0; i < nameAndSecret.length; i += 2) {
            b.append("      - {name: ").append(nameAndSecret[i]).append(", secret: \"").append(nameAndSecret[i + 1]).append("\"}\n");
        }
        return b.toString();
    }

    @Test
    void aSecretIsSealedInTheStoreAndReadBackPlainWhileOtherResourcesStayPlain() throws Exception {
        KvStore store = new EncryptingStore(raw, config(aesgcm("k1", K1) + "  - identity: {}\n"));
        store.create(SECRET_KEY, PLAIN);
        store.create("/registry/core/configmaps/default/cm", PLAIN);

        String stored = new String(raw.get(SECRET_KEY).orElseThrow().value(), StandardCharsets.ISO_8859_1);
        assertThat(stored).startsWith("k8s:enc:aesgcm:v1:k1:").doesNotContain("hunter2");
        assertThat(store.get(SECRET_KEY).orElseThrow().value()).isEqualTo(PLAIN);
        assertThat(store.range("/registry/core/secrets/", null, 0).kvs().get(0).value()).isEqualTo(PLAIN);
        assertThat(raw.get("/registry/core/configmaps/default/cm").orElseThrow().value()).isEqualTo(PLAIN);
    }

    @Test
    void watchEventsCarryTheOpenedValues() throws Exception {
        KvStore store = new EncryptingStore(raw, config(aesgcm("k1", K1)));
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (KvStore.Watch w = store.watch("/registry/core/secrets/", store.currentRevision(), events::add, e -> { })) {
            long rev = store.create(SECRET_KEY, PLAIN);
            store.update(SECRET_KEY, "{}".getBytes(StandardCharsets.UTF_8), rev);
            assertThat(events.poll(10, TimeUnit.SECONDS).kv().value()).isEqualTo(PLAIN);
            WatchEvent update = events.poll(10, TimeUnit.SECONDS);
            assertThat(new String(update.kv().value(), StandardCharsets.UTF_8)).isEqualTo("{}");
            assertThat(update.prevKv().value()).isEqualTo(PLAIN);
        }
    }

    @Test
    void aRotatedConfigReadsWhatTheOldKeySealedAndSealsWithTheNewKey() throws Exception {
        new EncryptingStore(raw, config(aesgcm("k1", K1))).create(SECRET_KEY, PLAIN);
        KvStore rotated = new EncryptingStore(raw, config(aesgcm("k2", K2, "k1", K1)));
        assertThat(rotated.get(SECRET_KEY).orElseThrow().value()).isEqualTo(PLAIN);
        rotated.update(SECRET_KEY, PLAIN, 0);
        assertThat(new String(raw.get(SECRET_KEY).orElseThrow().value(), StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:aesgcm:v1:k2:");

        KvStore withoutK2 = new EncryptingStore(raw, config(aesgcm("k1", K1)));
        assertThatThrownBy(() -> withoutK2.get(SECRET_KEY)).isInstanceOf(EncryptionException.class)
                .hasMessageContaining("aesgcm key \"k2\", which the encryption config no longer lists");
    }

    @Test
    void plaintextIsReadOnlyWhereTheIdentityProviderIsListed() throws Exception {
        raw.create(SECRET_KEY, PLAIN);
        assertThat(new EncryptingStore(raw, config("  - identity: {}\n" + aesgcm("k1", K1))).get(SECRET_KEY).orElseThrow().value())
                .isEqualTo(PLAIN);
        assertThatThrownBy(() -> new EncryptingStore(raw, config(aesgcm("k1", K1))).get(SECRET_KEY))
                .isInstanceOf(EncryptionException.class).hasMessageContaining("not encrypted");
    }

    @Test
    void aSealedValueCopiedUnderAnotherKeyDoesNotOpen() throws Exception {
        KvStore store = new EncryptingStore(raw, config(aesgcm("k1", K1)));
        store.create(SECRET_KEY, PLAIN);
        raw.create("/registry/core/secrets/default/stolen", raw.get(SECRET_KEY).orElseThrow().value());
        assertThatThrownBy(() -> store.get("/registry/core/secrets/default/stolen"))
                .isInstanceOf(EncryptionException.class).hasMessageContaining("does not open");
    }

    @Test
    void unusableConfigsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> config("  - aescbc:\n      keys: [{name: a, secret: \"" + K1 + "\"}]\n"))
                .hasMessageContaining("provider \"aescbc\" is not supported by kedge");
        assertThatThrownBy(() -> config(aesgcm("short", Base64.getEncoder().encodeToString(new byte[7]))))
                .hasMessageContaining("7 bytes; it must be 16, 24 or 32 bytes");
        assertThatThrownBy(() -> config(aesgcm("bad", "***"))).hasMessageContaining("is not base64");
        assertThatThrownBy(() -> EncryptionConfig.parse("kind: Pod".getBytes(StandardCharsets.UTF_8), "f.yaml"))
                .hasMessageContaining("f.yaml is not an EncryptionConfiguration");
    }
}
