package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPrintersTest {
    private static List<Object> job(String yaml) {
        return TablePrinters.forResource("batch", "jobs").cells(yaml(yaml), NOW);
    }

    @Test
    void printsACompletedJob() {
        TablePrinter p = TablePrinters.forResource("batch", "jobs");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector");
        assertThat(job("""
                metadata: {name: backup, creationTimestamp: %s}
                spec:
                  completions: 1
                  selector: {matchLabels: {batch.kubernetes.io/controller-uid: 1f2e}}
                  template: {spec: {containers: [{name: backup, image: "restic:0.17"}]}}
                status:
                  succeeded: 1
                  startTime: "2025-06-01T10:00:00Z"
                  completionTime: "2025-06-01T10:00:42Z"
                  conditions: [{type: SuccessCriteriaMet, status: "True"}, {type: Complete, status: "True"}]
                """.formatted(ago(Duration.ofHours(5))))).containsExactly("backup", "Complete", "1/1", "42s", "5h",
                "backup", "restic:0.17", "batch.kubernetes.io/controller-uid=1f2e");
    }

    @Test
    void aRunningWorkQueueJobShowsItsParallelismAndRunningTime() {
        assertThat(job("""
                spec: {parallelism: 3}
                status: {succeeded: 2, startTime: %s}
                """.formatted(ago(Duration.ofMinutes(4)))).subList(1, 4)).containsExactly("Running", "2/1 of 3", "4m");
    }

    @Test
    void namesTheJobStatusFromItsConditions() {
        assertThat(job("{status: {conditions: [{type: Failed, status: \"True\"}]}}").get(1)).isEqualTo("Failed");
        assertThat(job("{status: {conditions: [{type: Suspended, status: \"True\"}]}}").get(1)).isEqualTo("Suspended");
        assertThat(job("{status: {conditions: [{type: FailureTarget, status: \"True\"}]}}").get(1)).isEqualTo("FailureTarget");
        assertThat(job("{status: {conditions: [{type: Complete, status: \"False\"}]}}").get(1)).isEqualTo("Running");
        assertThat(job("{metadata: {deletionTimestamp: %s}}".formatted(ago(Duration.ofSeconds(3)))).get(1))
                .isEqualTo("Terminating");
    }

    @Test
    void aJobThatHasNotStartedHasNoDuration() {
        assertThat(job("{spec: {completions: 5}}").subList(2, 4)).containsExactly("0/5", "");
    }

    @Test
    void printsACronJob() {
        TablePrinter p = TablePrinters.forResource("batch", "cronjobs");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Schedule", "Timezone",
                "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector");
        assertThat(p.cells(yaml("""
                metadata: {name: nightly, creationTimestamp: %s}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template: {spec: {containers: [{name: report, image: "report:2"}]}}
                status:
                  active: [{kind: Job, name: nightly-29100180}]
                  lastScheduleTime: %s
                """.formatted(ago(Duration.ofDays(30)), ago(Duration.ofMinutes(5)))), NOW))
                .containsExactly("nightly", "0 3 * * *", "<none>", "False", 1L, "5m", "30d", "report", "report:2", "<none>");
    }

    @Test
    void aCronJobThatNeverRanHasNoLastSchedule() {
        assertThat(TablePrinters.forResource("batch", "cronjobs")
                .cells(yaml("{spec: {schedule: '@hourly', timeZone: Europe/Berlin, suspend: true}}"), NOW).subList(1, 6))
                .containsExactly("@hourly", "Europe/Berlin", "True", 0L, "<none>");
    }
}
