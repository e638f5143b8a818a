package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedNamesTest {
    @TempDir
    Path dir;

    /** Draws the given indexes into the alphabet, in turn. */
    private static IntUnaryOperator drawing(Integer... indexes) {
        Iterator<Integer> next = List.of(indexes).iterator();
        return bound -> next.next();
    }

    @Test
    void aNameTheHubHoldsIsDrawnAgain() {
        GeneratedNames names = new GeneratedNames(drawing(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5));
        Set<String> taken = Set.of("pod-a.bbbbb");
        assertThat(names.next("pod-a.", taken::contains)).isEqualTo("pod-a.cdfgh");
    }

    @Test
    void namesFollowTheApiServersPatternAndALongPrefixIsCut() {
        GeneratedNames names = new GeneratedNames();
        assertThat(names.next("web-", n -> false)).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
        String name = names.next("x".repeat(80), n -> false);
        assertThat(name).hasSize(63).startsWith("x".repeat(58));
    }

    @Test
    void whenEveryDrawIsTakenTheCreateFailsWithAConflictThatSaysSo() {
        GeneratedNames names = new GeneratedNames(bound -> 0);
        assertThatThrownBy(() -> names.next("p-", n -> true)).isInstanceOf(ApiException.class)
                .hasMessageContaining("prefix 'p-' are all taken");
    }

    @Test
    void anEventCreatedOfflineNeverGetsTheNameOfOneJournaledBefore() throws Exception {
        try (HubDatabase database = HubDatabase.open(dir)) {
            HubStore store = new HubStore(database);
            Journal journal = new Journal(database, store);
            // the draws would give "bbbbb" twice: the second event must get another name, or its replay is a "duplicate"
            NodeWrites writes = new NodeWrites(store, journal, new Watches(), Clock.systemUTC(), "n1",
                    new GeneratedNames(drawing(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1)));
            ApiPath events = ApiPath.parse("/api/v1/namespaces/default/events");
            String first = writes.generatedName(events, "crash-a.");
            ObjectNode event = (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"" + first
                    + "\",\"namespace\":\"default\"},\"reason\":\"BackOff\"}").getBytes(StandardCharsets.UTF_8), false);
            journal.append("POST", events.path(), "application/json", Json.bytes(event), events.gvr(), "default", first, event,
                    Instant.now());
            String second = writes.generatedName(events, "crash-a.");
            assertThat(first).isEqualTo("crash-a.bbbbb");
            assertThat(second).isEqualTo("crash-a.ccccc");
        }
    }

    @Test
    void thousandsOfEventsGeneratedOfflineAllGetTheirOwnName() {
        GeneratedNames names = new GeneratedNames();
        Set<String> held = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(held.add(names.next("steady.", held::contains))).isTrue();
        }
    }
}
