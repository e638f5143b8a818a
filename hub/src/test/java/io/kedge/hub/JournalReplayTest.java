package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Entries replayed twice, as after a crash between the cloud's answer and the entry's done mark. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalReplayTest {
    private TestCloud cloud;
    private Link link;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        cloud = TestCloud.start(Files.createTempDirectory("kedge-replay-test"));
        link = cloud.link();
    }

    @AfterAll
    void stop() throws Exception {
        link.close();
        cloud.close();
    }

    private static JournalEntry entry(long seq, String method, String path, String contentType, String body) {
        return new JournalEntry(seq, method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                Instant.now());
    }

    @Test
    void eachKindOfEntrySentTwiceTakesEffectOnce() throws Exception {
        cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod("twice", "n1", "x"));
        try (HubDatabase database = HubDatabase.open(dir); CloudClient client = new CloudClient(cloud.hubConfig(dir, "n1", link))) {
            JournalReplay replay = new JournalReplay(new Journal(database, new HubStore(database)), client, java.time.Duration.ofSeconds(10));
            String pod = cloud.get("/api/v1/namespaces/default/pods/twice").toString()
                    .replace("\"status\":{", "\"status\":{\"message\":\"from the journal\",");
            JournalEntry status = entry(1, "PUT", "/api/v1/namespaces/default/pods/twice/status", "application/json", pod);
            JournalEntry event = entry(2, "POST", "/api/v1/namespaces/default/events", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"twice.1\"},\"involvedObject\":{\"kind\":\"Pod\","
                            + "\"name\":\"twice\",\"namespace\":\"default\"},\"reason\":\"Started\",\"message\":\"once\"}");
            String uid = cloud.get("/api/v1/namespaces/default/pods/twice").path("metadata").path("uid").asText();
            JournalEntry delete = entry(3, "DELETE", "/api/v1/namespaces/default/pods/twice", "application/json",
                    "{\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"" + uid + "\"}}");

            assertThat(replay.replay(status).text()).startsWith("applied");
            String rvAfterFirst = cloud.get("/api/v1/namespaces/default/pods/twice").path("metadata").path("resourceVersion").asText();
            assertThat(replay.replay(status).text()).as("re-applied on the current object, not a conflict").startsWith("applied");
            assertThat(cloud.get("/api/v1/namespaces/default/pods/twice").path("status").path("message").asText())
                    .isEqualTo("from the journal");
            assertThat(rvAfterFirst).isNotEmpty();

            assertThat(replay.replay(event).text()).startsWith("applied");
            assertThat(replay.replay(event).text()).startsWith("duplicate");

            assertThat(replay.replay(delete).text()).startsWith("applied");
            assertThat(replay.replay(delete).text()).startsWith("dropped");
            assertThat(replay.replay(status).text()).as("status for a pod deleted in the cloud").startsWith("dropped");
        }
    }

    @Test
    void anObjectMadeOfflineThatTheCloudAlreadyHoldsIsADuplicateOnlyWithTheSameMark() throws Exception {
        try (HubDatabase database = HubDatabase.open(dir); CloudClient client = new CloudClient(cloud.hubConfig(dir, "n1", link))) {
            JournalReplay replay = new JournalReplay(new Journal(database, new HubStore(database)), client, java.time.Duration.ofSeconds(10));
            JournalEntry marked = entry(1, "POST", "/api/v1/namespaces/default/events", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"marked.1\",\"annotations\":{\""
                            + OfflineWriteId.ANNOTATION + "\":\"a\"}},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\","
                            + "\"namespace\":\"default\"},\"reason\":\"Started\",\"message\":\"mine\"}");
            assertThat(replay.replay(marked).text()).startsWith("applied");
            JournalReplay.Outcome again = replay.replay(marked);
            assertThat(again.text()).startsWith("duplicate");
            assertThat(again.cloudCopy().path("message").asText()).isEqualTo("mine");

            JournalEntry otherMark = entry(2, "POST", "/api/v1/namespaces/default/events", "application/json",
                    new String(marked.body(), StandardCharsets.UTF_8).replace("\"a\"", "\"b\"").replace("mine", "another"));
            JournalReplay.Outcome refused = replay.replay(otherMark);
            assertThat(refused.text()).startsWith("rejected").contains("marked.1");
            assertThat(refused.staleName()).as("the node's copy leaves the cache").isEqualTo("marked.1");
            assertThat(cloud.get("/api/v1/namespaces/default/events/marked.1").path("message").asText()).isEqualTo("mine");
        }
    }

    @Test
    void aStatusForANewPodOfTheSameNameIsDropped() throws Exception {
        cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod("reborn", "n1", "x"));
        String old = cloud.get("/api/v1/namespaces/default/pods/reborn").toString();
        cloud.send("DELETE", "/api/v1/namespaces/default/pods/reborn", "application/json", "{\"gracePeriodSeconds\":0}");
        cloud.create("/api/v1/namespaces/default/pods", TestCloud.pod("reborn", "n1", "x"));
        try (HubDatabase database = HubDatabase.open(dir); CloudClient client = new CloudClient(cloud.hubConfig(dir, "n1", link))) {
            JournalReplay replay = new JournalReplay(new Journal(database, new HubStore(database)), client, java.time.Duration.ofSeconds(10));
            JournalReplay.Outcome outcome = replay.replay(entry(1, "PUT", "/api/v1/namespaces/default/pods/reborn/status",
                    "application/json", old));
            assertThat(outcome.text()).startsWith("dropped").contains("new object");
            assertThat(Json.parse(cloud.send("GET", "/api/v1/namespaces/default/pods/reborn", null, null).body()
                    .getBytes(StandardCharsets.UTF_8), false).path("status").path("message").isMissingNode()).isTrue();
        }
    }
}
