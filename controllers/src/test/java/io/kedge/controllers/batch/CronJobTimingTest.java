package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronJobTimingTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final CronSchedule EVERY_MINUTE = CronSchedule.parse("* * * * *");

    private static Instant t(String hms) {
        return Instant.parse("2024-05-01T" + hms + "Z");
    }

    @Test
    void theSearchStartsAtTheLastScheduleTimeElseAtCreation() {
        assertThat(CronJobTiming.earliest(t("10:02:00"), t("09:00:00"), null, t("10:05:00"))).isEqualTo(t("10:02:00"));
        assertThat(CronJobTiming.earliest(null, t("09:00:00"), null, t("10:05:00"))).isEqualTo(t("09:00:00"));
    }

    @Test
    void aStartingDeadlineMovesTheSearchStartForwardOnly() {
        assertThat(CronJobTiming.earliest(t("09:00:00"), t("08:00:00"), 60L, t("10:05:00"))).isEqualTo(t("10:04:00"));
        assertThat(CronJobTiming.earliest(t("10:04:30"), t("08:00:00"), 60L, t("10:05:00"))).isEqualTo(t("10:04:30"));
    }

    @Test
    void theLatestScheduledTimeSinceTheStartIsDue() {
        assertThat(CronJobTiming.mostRecent(EVERY_MINUTE, UTC, t("10:00:30"), t("10:03:10")))
                .contains(new CronJobTiming.Due(t("10:03:00"), false));
    }

    @Test
    void nothingIsDueBeforeTheFirstScheduledTime() {
        assertThat(CronJobTiming.mostRecent(EVERY_MINUTE, UTC, t("10:00:30"), t("10:00:50"))).isEmpty();
        assertThat(CronJobTiming.mostRecent(EVERY_MINUTE, UTC, t("10:03:00"), t("10:03:10")))
                .as("the last schedule time itself is not due again").isEmpty();
    }

    @Test
    void moreThanAHundredMissedTimesAreReported() {
        assertThat(CronJobTiming.mostRecent(EVERY_MINUTE, UTC, t("07:00:00"), t("10:03:10")))
                .contains(new CronJobTiming.Due(t("10:03:00"), true));
        assertThat(CronJobTiming.mostRecent(EVERY_MINUTE, UTC, t("08:30:00"), t("10:10:10")))
                .as("exactly 100 missed").contains(new CronJobTiming.Due(t("10:10:00"), false));
    }

    @Test
    void theNextWakeUpIsJustAfterTheNextScheduledTime() {
        assertThat(CronJobTiming.untilNext(EVERY_MINUTE, UTC, t("10:00:30"), t("10:03:10")))
                .contains(Duration.ofMillis(50_100));
        assertThat(CronJobTiming.untilNext(CronSchedule.parse("@hourly"), UTC, t("10:00:30"), t("10:03:10")))
                .contains(Duration.ofMinutes(56).plusSeconds(50).plusMillis(100));
    }

    @Test
    void aScheduleThatNeverFiresNeedsNoWakeUp() {
        assertThat(CronJobTiming.untilNext(CronSchedule.parse("0 0 30 2 *"), UTC, t("10:00:30"), t("10:03:10"))).isEmpty();
    }
}
