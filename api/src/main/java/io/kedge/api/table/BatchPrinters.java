package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.integer;
import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** jobs and cronjobs. */
final class BatchPrinters {
    private BatchPrinters() {}

    static TablePrinter jobs() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Status", "Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running."),
                string("Completions", "Succeeded pods out of the completions the job needs."),
                string("Duration", "How long the job ran, or has been running."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, Columns.SELECTOR),
                (job, now) -> {
                    String[] template = Columns.containersAndImages(Fields.at(job, "spec", "template", "spec"));
                    return new Object[] {
                        Fields.name(job), jobStatus(job), completions(job), duration(job, now), Fields.age(job, now),
                        template[0], template[1], LabelFormat.selectorOrNone(Fields.at(job, "spec", "selector"))
                    };
                });
    }

    static TablePrinter cronJobs() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Schedule", "The cron schedule."),
                string("Timezone", "The time zone the schedule is read in."),
                new ColumnDefinition("Suspend", "boolean", "", "Whether new runs are held back.", 0),
                integer("Active", "Jobs of this cron job that are running."),
                string("Last Schedule", "Time since a job was last scheduled."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, Columns.SELECTOR),
                (cj, now) -> {
                    JsonNode jobSpec = Fields.at(cj, "spec", "jobTemplate", "spec");
                    String[] template = Columns.containersAndImages(Fields.at(jobSpec, "template", "spec"));
                    String lastSchedule = Fields.time(cj, "status", "lastScheduleTime")
                            .map(t -> HumanDuration.since(t, now)).orElse(Fields.NONE);
                    return new Object[] {
                        Fields.name(cj), Fields.text(cj, "spec", "schedule"),
                        Fields.textOr(Fields.NONE, cj, "spec", "timeZone"),
                        Fields.bool(cj, "spec", "suspend") ? "True" : "False",
                        (long) Fields.size(cj, "status", "active"), lastSchedule, Fields.age(cj, now),
                        template[0], template[1], LabelFormat.selectorOrNone(Fields.at(jobSpec, "selector"))
                    };
                });
    }

    private static String jobStatus(JsonNode job) {
        if (hasCondition(job, "Complete")) {
            return "Complete";
        }
        if (hasCondition(job, "Failed")) {
            return "Failed";
        }
        if (Fields.present(job, "metadata", "deletionTimestamp")) {
            return "Terminating";
        }
        for (String type : List.of("Suspended", "FailureTarget", "SuccessCriteriaMet")) {
            if (hasCondition(job, type)) {
                return type;
            }
        }
        return "Running";
    }

    /** Whether the first condition of this type is True. */
    private static boolean hasCondition(JsonNode job, String type) {
        return Fields.list(job, "status", "conditions").stream()
                .filter(c -> type.equals(Fields.text(c, "type")))
                .findFirst()
                .map(c -> "True".equals(Fields.text(c, "status")))
                .orElse(false);
    }

    private static String completions(JsonNode job) {
        long succeeded = Fields.number(job, "status", "succeeded");
        if (Fields.present(job, "spec", "completions")) {
            return succeeded + "/" + Fields.number(job, "spec", "completions");
        }
        long parallelism = Fields.number(job, "spec", "parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String duration(JsonNode job, Instant now) {
        Optional<Instant> start = Fields.time(job, "status", "startTime");
        if (start.isEmpty()) {
            return "";
        }
        Instant end = Fields.time(job, "status", "completionTime").orElse(now);
        return HumanDuration.format(Duration.between(start.get(), end));
    }
}
