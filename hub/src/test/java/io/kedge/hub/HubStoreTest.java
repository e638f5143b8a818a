package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubStoreTest {
    private static final String PODS = "/v1/pods";
    private static final ListShape APP_A = new ListShape(PODS, "", "app=a", "");
    private static final ListShape ON_NODE = new ListShape(PODS, "", "", "spec.nodeName=n1");

    @TempDir
    Path dir;
    private HubDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private HubStore store() throws Exception {
        database = HubDatabase.open(dir);
        return new HubStore(database);
    }

    private static ObjectNode pod(String name, String app, String rv, String phase) {
        return (ObjectNode) Json.parse(("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\",\"resourceVersion\":\"" + rv + "\",\"labels\":{\"app\":\"" + app + "\"}},"
                + "\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"" + phase + "\"}}").getBytes(StandardCharsets.UTF_8), false);
    }

    private static ObjectNode list(String rv, ObjectNode... pods) {
        ObjectNode list = Json.object();
        list.put("kind", "PodList").put("apiVersion", "v1").putObject("metadata").put("resourceVersion", rv);
        for (ObjectNode p : pods) {
            ObjectNode item = p.deepCopy();
            item.remove("kind");
            item.remove("apiVersion");
            list.withArray("items").add(item);
        }
        return list;
    }

    private static List<String> names(CachedList list) {
        return list.items().stream().map(i -> i.path("metadata").path("name").asText()).toList();
    }

    @Test
    void twoShapesOfOneClientKeepTheirOwnMembers() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", APP_A, list("10", pod("p1", "a", "5", "Pending")));
        s.recordList("kubelet", ON_NODE, list("11", pod("p1", "a", "5", "Pending"), pod("p2", "b", "6", "Pending")));
        assertThat(names(s.list("kubelet", APP_A).orElseThrow())).containsExactly("p1");
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1", "p2");
        assertThat(s.list("kubelet", APP_A).orElseThrow().items().get(0).path("kind").asText())
                .as("items keep their kind, which lists leave out").isEqualTo("Pod");
    }

    @Test
    void aWatchEventOfOneShapeUpdatesTheObjectEveryShapeShares() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", APP_A, list("10", pod("p1", "a", "5", "Pending")));
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending")));
        s.recordWatchEvent("kubelet", ON_NODE, "MODIFIED", pod("p1", "a", "7", "Running"));
        CachedList a = s.list("kubelet", APP_A).orElseThrow();
        assertThat(a.items().get(0).path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(a.resourceVersion()).isEqualTo("10");
        assertThat(s.list("kubelet", ON_NODE).orElseThrow().resourceVersion()).isEqualTo("7");
    }

    @Test
    void aPodThatLeavesALabelShapeStaysInTheOthersButADeletedOneLeavesAll() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", APP_A, list("10", pod("p1", "a", "5", "Pending"), pod("p3", "a", "5", "Pending")));
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"), pod("p3", "a", "5", "Pending")));
        s.recordWatchEvent("kubelet", APP_A, "DELETED", pod("p1", "b", "8", "Pending"));
        assertThat(names(s.list("kubelet", APP_A).orElseThrow())).containsExactly("p3");
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1", "p3");

        s.recordWatchEvent("kubelet", APP_A, "DELETED", pod("p3", "a", "9", "Pending"));
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1");
        assertThat(s.get(PODS, "default", "p3")).isEmpty();
    }

    @Test
    void aNewListDropsWhatTheCloudNoLongerHasAndAnOlderCopyNeverOverwritesANewerOne() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"), pod("p2", "a", "6", "Pending")));
        s.recordList("kubelet", ON_NODE, list("12", pod("p1", "a", "11", "Running")));
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1");
        assertThat(s.get(PODS, "default", "p2")).isEmpty();

        s.recordObject(PODS, pod("p1", "a", "9", "Pending"));
        assertThat(s.get(PODS, "default", "p1").orElseThrow().path("status").path("phase").asText()).isEqualTo("Running");
    }

    @Test
    void anotherClientsEntryAnswersFirstThenObjectsFilteredByTheShape() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"), pod("p2", "b", "6", "Pending")));
        CachedList other = s.list("kubectl", ON_NODE).orElseThrow();
        assertThat(other.source()).isEqualTo(CachedList.Source.OTHER_CLIENT_SHAPE);
        assertThat(names(other)).containsExactly("p1", "p2");
        CachedList filtered = s.list("kubectl", new ListShape(PODS, "default", "app=b", "")).orElseThrow();
        assertThat(filtered.source()).isEqualTo(CachedList.Source.FILTERED_OBJECTS);
        assertThat(names(filtered)).containsExactly("p2");
        assertThat(filtered.kind()).isEqualTo("PodList");
        assertThat(s.list("kubectl", new ListShape("/v1/configmaps", "", "", ""))).isEmpty();
    }

    @Test
    void anOlderListRecordedAfterANewerOneLeavesTheNewerInPlace() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("12", pod("p1", "a", "11", "Running")));
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"), pod("p2", "a", "6", "Pending")));
        CachedList cached = s.list("kubelet", ON_NODE).orElseThrow();
        assertThat(names(cached)).containsExactly("p1");
        assertThat(cached.resourceVersion()).isEqualTo("12");
        assertThat(s.get(PODS, "default", "p1").orElseThrow().path("status").path("phase").asText()).isEqualTo("Running");
    }

    @Test
    void aListOlderThanAWatchEventAlreadyRecordedForTheShapeIsIgnored() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending")));
        s.recordWatchEvent("kubelet", ON_NODE, "ADDED", pod("p2", "a", "14", "Pending"));
        s.recordList("kubelet", ON_NODE, list("12", pod("p1", "a", "5", "Pending")));
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1", "p2");
    }

    @Test
    void aCopyOfTheSameResourceVersionIsNotWrittenAgain() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending")));
        // the same resourceVersion is the same object; a different body under it would be the cloud's error, not news
        s.recordObject(PODS, pod("p1", "a", "5", "Running"));
        assertThat(s.get(PODS, "default", "p1").orElseThrow().path("status").path("phase").asText()).isEqualTo("Pending");
    }

    @Test
    void aListDropsOnlyTheUnlistedObjectsItsShapeCovers() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", APP_A, list("10", pod("a1", "a", "5", "Pending"), pod("a2", "a", "6", "Pending")));
        s.recordObject(PODS, pod("b1", "b", "7", "Pending"));
        s.recordList("kubelet", APP_A, list("12", pod("a1", "a", "5", "Pending")));
        assertThat(s.get(PODS, "default", "a2")).isEmpty();
        assertThat(s.knownAbsent(PODS, "default", "a2")).isTrue();
        assertThat(s.get(PODS, "default", "b1")).as("not in the shape app=a").isPresent();
    }

    @Test
    void aRecordingHandedInLaterIsSeenByTheNextRead() throws Exception {
        HubStore s = store();
        s.recordLater(() -> s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"))));
        assertThat(names(s.list("kubelet", ON_NODE).orElseThrow())).containsExactly("p1");
    }

    @Test
    void aListScannedFromTheCloudsBytesRewritesOnlyTheItemsWhoseVersionMoved() throws Exception {
        HubStore s = store();
        s.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending"), pod("p2", "a", "6", "Pending")));
        // p1 comes again in version 5 with another body, which would show had it been rewritten
        ObjectNode answer = list("12", pod("p1", "a", "5", "Running"), pod("p2", "a", "11", "Running"));
        s.recordList("kubelet", ON_NODE, ListAnswer.scan(Json.bytes(answer)));
        assertThat(s.get(PODS, "default", "p1").orElseThrow().path("status").path("phase").asText()).isEqualTo("Pending");
        ObjectNode p2 = s.get(PODS, "default", "p2").orElseThrow();
        assertThat(p2.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(p2.path("kind").asText()).isEqualTo("Pod");
        assertThat(s.list("kubelet", ON_NODE).orElseThrow().resourceVersion()).isEqualTo("12");
    }

    @Test
    void aJournaledWriteAndItsCachedObjectSurviveACrash() throws Exception {
        HubDatabase firstDatabase = HubDatabase.open(dir);
        HubStore first = new HubStore(firstDatabase);
        first.recordList("kubelet", ON_NODE, list("10", pod("p1", "a", "5", "Pending")));
        ObjectNode running = pod("p1", "a", "6", "Running");
        long seq = new Journal(firstDatabase, first).append("PUT", "/api/v1/namespaces/default/pods/p1/status", "application/json",
                Json.bytes(running), PODS, "default", "p1", running, Instant.parse("2026-11-27T09:00:00Z"));
        // the first store is never closed, as after kill -9; a new process opens the same file
        HubStore second = store();
        Journal journal = new Journal(database, second);
        List<JournalEntry> pending = journal.pending();
        assertThat(pending).singleElement().satisfies(e -> {
            assertThat(e.seq()).isEqualTo(seq);
            assertThat(e.method()).isEqualTo("PUT");
            assertThat(e.created()).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
            assertThat(Json.parse(e.body(), false).path("status").path("phase").asText()).isEqualTo("Running");
        });
        assertThat(second.get(PODS, "default", "p1").orElseThrow().path("status").path("phase").asText()).isEqualTo("Running");

        journal.complete(seq, PODS, "default", new JournalReplay.Outcome("applied (HTTP 200)", null));
        assertThat(journal.pending()).isEmpty();
        assertThat(journal.outcome(seq)).isEqualTo("applied (HTTP 200)");
        firstDatabase.close();
    }

    @Test
    void cachedEventsUnchangedSinceTheCutoffAreForgottenAndNewerOnesKept() throws Exception {
        HubStore s = store();
        String old = "2026-11-27T09:00:00Z";
        String recent = "2026-11-27T10:30:00Z";
        for (String[] e : new String[][] {{"old", old}, {"repeated", recent}}) {
            s.recordObject("/v1/events", (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\""
                    + e[0] + "\",\"namespace\":\"default\",\"resourceVersion\":\"5\",\"creationTimestamp\":\"" + old
                    + "\"},\"lastTimestamp\":\"" + e[1] + "\"}").getBytes(), false));
        }
        s.recordObject(PODS, pod("p1", "a", "6", "Running"));

        assertThat(s.forgetEventsBefore(Instant.parse("2026-11-27T10:00:00Z"))).isEqualTo(1);
        assertThat(s.get("/v1/events", "default", "old")).isEmpty();
        assertThat(s.get("/v1/events", "default", "repeated")).isPresent();
        assertThat(s.get(PODS, "default", "p1")).as("only events are pruned").isPresent();
    }
}
