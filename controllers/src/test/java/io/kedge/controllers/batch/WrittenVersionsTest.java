package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WrittenVersionsTest {
    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    private static Job version(String rv) {
        return new JobBuilder().withNewMetadata().withUid("u").withResourceVersion(rv).endMetadata().build();
    }

    @Test
    void aCachedCopyOlderThanTheLastWriteIsNotTrusted() {
        WrittenVersions w = new WrittenVersions();
        w.wrote(version("20"), T);
        assertThat(w.seen(version("19"), T)).isFalse();
        assertThat(w.seen(version("20"), T)).isTrue();
    }

    @Test
    void aNewerCachedCopyIsTrusted() {
        WrittenVersions w = new WrittenVersions();
        w.wrote(version("20"), T);
        assertThat(w.seen(version("25"), T)).isTrue();
    }

    @Test
    void anUnreadableVersionIsTrustedOnlyAfterAWhile() {
        WrittenVersions w = new WrittenVersions();
        w.wrote(version("abc"), T);
        assertThat(w.seen(version("abd"), T.plusSeconds(1))).isFalse();
        assertThat(w.seen(version("abd"), T.plusSeconds(11))).isTrue();
    }

    @Test
    void anObjectNeverWrittenIsTrusted() {
        assertThat(new WrittenVersions().seen(version("1"), T)).isTrue();
    }
}
