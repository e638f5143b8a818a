package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobValidationTest {
    private static final String TEMPLATE = """
            template:
              spec:
                restartPolicy: Never
                containers: [{name: work, image: busybox:1.36, command: [sh, -c, 'echo hi']}]
            """;

    private static ObjectNode job(String spec) {
        return stored("batch", "Job", "metadata: {name: pi, namespace: d, uid: 'u-1'}\nspec:\n" + spec.indent(2));
    }

    private static List<FieldError> create(String spec) {
        return Trees.create("batch", "Job", true, job(spec));
    }

    @Test
    void aJobWithAGeneratedSelectorIsValid() {
        assertThat(create(TEMPLATE)).isEmpty();
    }

    @Test
    void jobPodsMustNotRestartAlways() {
        FieldError e = assertOnly(create(TEMPLATE.replace("restartPolicy: Never\n", "")),
                "spec.template.spec.restartPolicy", NotSupported);
        assertThat(e.message()).isEqualTo("Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        assertThat(create(TEMPLATE.replace("Never", "OnFailure"))).isEmpty();
    }

    @Test
    void countsMayNotBeNegative() {
        assertOnly(create("completions: -1\n" + TEMPLATE), "spec.completions", Invalid);
        assertOnly(create("parallelism: -2\n" + TEMPLATE), "spec.parallelism", Invalid);
        assertOnly(create("backoffLimit: -1\n" + TEMPLATE), "spec.backoffLimit", Invalid);
    }

    @Test
    void indexedJobsNeedCompletions() {
        assertOnly(create("completionMode: Indexed\nparallelism: 2\n" + TEMPLATE), "spec.completions", Required);
        assertOnly(create("completionMode: Sequential\n" + TEMPLATE), "spec.completionMode", NotSupported);
    }

    @Test
    void aUserSelectorNeedsManualSelector() {
        String labelled = TEMPLATE.replace("template:\n", "template:\n  metadata: {labels: {app: pi}}\n");
        FieldError e = assertOnly(create("selector: {matchLabels: {app: pi}}\n" + labelled), "spec.selector", Invalid);
        assertThat(e.message()).endsWith("`selector` not auto-generated");
        assertThat(create("manualSelector: true\nselector: {matchLabels: {app: pi}}\n" + labelled)).isEmpty();
        assertOnly(create("manualSelector: true\nselector: {matchLabels: {app: other}}\n" + labelled),
                "spec.template.metadata.labels", Invalid);
    }

    @Test
    void podFailurePolicyNeedsNeverRestart() {
        assertOnly(create("podFailurePolicy: {rules: []}\n" + TEMPLATE.replace("Never", "OnFailure")),
                "spec.template.spec.restartPolicy", Invalid);
    }

    @Test
    void selectorTemplateAndCompletionsAreImmutable() {
        ObjectNode old = job(TEMPLATE);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
        assertOnly(Trees.update("batch", "Job", true, changed, old), "spec.template", Invalid);

        ObjectNode completions = old.deepCopy();
        ((ObjectNode) completions.get("spec")).put("completions", 3);
        assertOnly(Trees.update("batch", "Job", true, completions, old), "spec.completions", Invalid);

        ObjectNode selector = old.deepCopy();
        ((ObjectNode) selector.at("/spec/selector/matchLabels")).put("extra", "x");
        assertHas(Trees.update("batch", "Job", true, selector, old), "spec.selector", Invalid);
    }

    @Test
    void suspendedJobsThatNeverRanMayMoveTheirPods() {
        ObjectNode old = job("suspend: true\n" + TEMPLATE);
        ObjectNode moved = old.deepCopy();
        ((ObjectNode) moved.at("/spec/template/spec")).putObject("nodeSelector").put("kedge.io/unit", "site-2");
        assertThat(Trees.update("batch", "Job", true, moved, old)).isEmpty();
    }

    @Test
    void indexedJobsScaleElastically() {
        ObjectNode old = job("completionMode: Indexed\ncompletions: 2\nparallelism: 2\n" + TEMPLATE);
        ObjectNode scaled = old.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("completions", 4).put("parallelism", 4);
        assertThat(Trees.update("batch", "Job", true, scaled, old)).isEmpty();
    }

    @Test
    void jobsCanBeSuspendedAndResumed() {
        ObjectNode old = job(TEMPLATE);
        ObjectNode suspended = old.deepCopy();
        ((ObjectNode) suspended.get("spec")).put("suspend", true);
        assertThat(Trees.update("batch", "Job", true, suspended, old)).isEmpty();
    }

    // ---- CronJob ----------------------------------------------------------------------------

    private static List<FieldError> cron(String name, String spec) {
        ObjectNode cj = stored("batch", "CronJob", "metadata: {name: " + name + ", namespace: d}\nspec:\n"
                + spec.indent(2) + "  jobTemplate:\n    spec:\n" + TEMPLATE.indent(6));
        return Trees.create("batch", "CronJob", true, cj);
    }

    @Test
    void aCronJobWithAStandardScheduleIsValid() {
        assertThat(cron("backup", "schedule: '*/15 2-4 * JAN-MAR mon,fri'")).isEmpty();
        assertThat(cron("backup", "schedule: '@hourly'")).isEmpty();
        assertThat(cron("backup", "schedule: '@every 1h30m'\ntimeZone: Europe/Paris")).isEmpty();
    }

    @Test
    void scheduleIsRequiredAndParsed() {
        assertOnly(cron("backup", "concurrencyPolicy: Allow"), "spec.schedule", Required);
        FieldError e = assertOnly(cron("backup", "schedule: '* * *'"), "spec.schedule", Invalid);
        assertThat(e.message()).contains("expected exactly 5 fields, found 3");
        assertOnly(cron("backup", "schedule: '61 * * * *'"), "spec.schedule", Invalid);
        assertOnly(cron("backup", "schedule: '@sometimes'"), "spec.schedule", Invalid);
        assertOnly(cron("backup", "schedule: 'TZ=UTC 0 * * * *'"), "spec.schedule", Invalid);
    }

    @Test
    void cronJobPolicyZoneAndNameRules() {
        assertOnly(cron("backup", "schedule: '@daily'\nconcurrencyPolicy: Sometimes"), "spec.concurrencyPolicy",
                NotSupported);
        assertOnly(cron("backup", "schedule: '@daily'\ntimeZone: Mars/Olympus"), "spec.timeZone", Invalid);
        assertOnly(cron("a".repeat(53), "schedule: '@daily'"), "metadata.name", Invalid);
        assertOnly(cron("backup", "schedule: '@daily'\nsuccessfulJobsHistoryLimit: -1"),
                "spec.successfulJobsHistoryLimit", Invalid);
    }

    @Test
    void cronJobTemplatesFollowJobRules() {
        ObjectNode cj = stored("batch", "CronJob", "metadata: {name: b, namespace: d}\nspec:\n  schedule: '@daily'\n"
                + "  jobTemplate:\n    spec:\n" + TEMPLATE.replace("restartPolicy: Never\n", "").indent(6));
        assertOnly(Trees.create("batch", "CronJob", true, cj), "spec.jobTemplate.spec.template.spec.restartPolicy",
                NotSupported);
    }
}
