package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDatabaseTest {
    @TempDir
    Path dir;
    private HubDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private HubDatabase open() throws Exception {
        db = HubDatabase.open(dir);
        db.tx(() -> db.exec("CREATE TABLE IF NOT EXISTS seen(n INTEGER)"));
        return db;
    }

    private static List<Integer> seen(HubDatabase db) {
        return db.read(() -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement q = db.prepareStatement("SELECT n FROM seen ORDER BY rowid"); ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(r.getInt(1));
                }
            }
            return out;
        });
    }

    @Test
    void deferredWorkRunsInTheOrderHandedInAndBeforeAnyReadThatStartsAfterIt() throws Exception {
        HubDatabase db = open();
        for (int i = 0; i < 200; i++) {
            int n = i;
            db.later(() -> db.cacheTx(() -> db.exec("INSERT INTO seen(n) VALUES(?)", n)));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertThat(seen(db)).containsExactlyElementsOf(expected);
    }

    @Test
    void aTransactionStartedAfterDeferredWorkWasHandedInRunsAfterIt() throws Exception {
        HubDatabase db = open();
        db.later(() -> db.cacheTx(() -> db.exec("INSERT INTO seen(n) VALUES(1)")));
        db.tx(() -> db.exec("INSERT INTO seen(n) VALUES(2)"));
        assertThat(seen(db)).containsExactly(1, 2);
    }

    @Test
    void aFailingDeferredTaskIsDroppedAndTheNextOnesStillRun() throws Exception {
        HubDatabase db = open();
        db.later(() -> db.cacheTx(() -> db.exec("INSERT INTO no_such_table(n) VALUES(1)")));
        db.later(() -> db.cacheTx(() -> db.exec("INSERT INTO seen(n) VALUES(2)")));
        assertThat(seen(db)).containsExactly(2);
    }

    @Test
    void cacheTransactionsCommitWithoutAnFsyncAndJournalTransactionsWithOne() throws Exception {
        HubDatabase db = open();
        db.cacheTx(() -> db.exec("INSERT INTO seen(n) VALUES(1)"));
        assertThat(db.synchronousLevel()).as("NORMAL").isEqualTo(1);
        db.tx(() -> db.exec("INSERT INTO seen(n) VALUES(2)"));
        assertThat(db.synchronousLevel()).as("FULL").isEqualTo(2);
        assertThat(seen(db)).containsExactly(1, 2);
    }

    @Test
    void whatACacheTransactionCommittedIsThereAfterTheProcessDiesWithoutClosing() throws Exception {
        HubDatabase first = HubDatabase.open(dir);
        first.tx(() -> first.exec("CREATE TABLE seen(n INTEGER)"));
        first.cacheTx(() -> first.exec("INSERT INTO seen(n) VALUES(7)"));
        // the first connection is never closed, as after kill -9; a new process opens the same file
        assertThat(seen(open())).containsExactly(7);
        first.close();
    }

    @Test
    void closingRunsTheDeferredWorkStillWaiting() throws Exception {
        HubDatabase first = HubDatabase.open(dir);
        first.tx(() -> first.exec("CREATE TABLE seen(n INTEGER)"));
        for (int i = 0; i < 50; i++) {
            int n = i;
            first.later(() -> first.cacheTx(() -> first.exec("INSERT INTO seen(n) VALUES(?)", n)));
        }
        first.close();
        assertThat(seen(open())).hasSize(50);
    }
}
