package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.Nodes;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** batch/v1 CronJob. */
final class CronJobRules implements KindRules {
    static final List<String> CONCURRENCY_POLICIES = List.of("Allow", "Forbid", "Replace");
    /** Job names are the CronJob's name plus an 11-character suffix, and must stay a DNS label. */
    static final int MAX_NAME = 52;
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode cronJob, ErrorCollector errs) {
        String name = Nodes.text(cronJob.path("metadata"), "name");
        if (name != null && name.length() > MAX_NAME) {
            errs.invalid(FieldPath.ROOT.child("metadata", "name"), name, "must be no more than 52 characters");
        }
        ObjectNode spec = errs.object(cronJob, "spec", FieldPath.ROOT);
        String schedule = errs.requiredString(spec, "schedule", SPEC, "");
        if (schedule != null) {
            if (schedule.contains("TZ")) {
                errs.invalid(SPEC.child("schedule"), schedule,
                        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
            } else {
                String problem = CronSchedules.problem(schedule);
                if (problem != null) {
                    errs.invalid(SPEC.child("schedule"), schedule, problem);
                }
            }
        }
        String timeZone = errs.string(spec, "timeZone", SPEC);
        if (timeZone != null && !isKnownZone(timeZone)) {
            errs.invalid(SPEC.child("timeZone"), timeZone, "unknown time zone " + timeZone);
        }
        String policy = errs.string(spec, "concurrencyPolicy", SPEC);
        if (policy == null || policy.isEmpty()) {
            errs.required(SPEC.child("concurrencyPolicy"), "");
        } else if (!CONCURRENCY_POLICIES.contains(policy)) {
            errs.notSupported(SPEC.child("concurrencyPolicy"), policy, CONCURRENCY_POLICIES);
        }
        WorkloadChecks.nonNegative(spec, SPEC, errs, "startingDeadlineSeconds", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit");
        errs.bool(spec, "suspend", SPEC);
        FieldPath tp = SPEC.child("jobTemplate");
        ObjectNode jobTemplate = errs.object(spec, "jobTemplate", SPEC);
        if (jobTemplate == null) {
            errs.required(tp, "");
            return;
        }
        ObjectNode meta = errs.object(jobTemplate, "metadata", tp);
        LabelRules.validateLabels(errs.stringMap(meta, "labels", tp.child("metadata")),
                tp.child("metadata", "labels"), errs);
        LabelRules.validateAnnotations(errs.stringMap(meta, "annotations", tp.child("metadata")),
                tp.child("metadata", "annotations"), errs);
        JobSpecRules.validate(errs.object(jobTemplate, "spec", tp), tp.child("spec"), false, errs);
    }

    /** Region names of the tz database only; offsets such as "UTC+1" are not zones a CronJob accepts. */
    private static boolean isKnownZone(String zone) {
        if (zone.isEmpty() || zone.equals("UTC")) {
            return true;
        }
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            return false;
        }
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
