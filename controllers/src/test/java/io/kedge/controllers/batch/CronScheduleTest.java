package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
    }

    private static Instant in(ZoneId zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static Instant next(String expression, String afterUtc) {
        return CronSchedule.parse(expression).nextAfter(utc(afterUtc), UTC).orElseThrow();
    }

    private static List<Instant> firings(String expression, ZoneId zone, Instant after, int count) {
        CronSchedule s = CronSchedule.parse(expression);
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < count; i++) {
            t = s.nextAfter(t, zone).orElseThrow();
            out.add(t);
        }
        return out;
    }

    @Test
    void everyMinuteFiresAtTheNextWholeMinuteStrictlyAfter() {
        assertThat(next("* * * * *", "2024-05-01T10:00:30")).isEqualTo(utc("2024-05-01T10:01:00"));
        assertThat(next("* * * * *", "2024-05-01T10:01:00")).isEqualTo(utc("2024-05-01T10:02:00"));
    }

    @Test
    void stepsListsAndRangesSelectTheirMinutes() {
        assertThat(next("*/15 * * * *", "2024-05-01T10:07:00")).isEqualTo(utc("2024-05-01T10:15:00"));
        assertThat(firings("5/20 * * * *", UTC, utc("2024-05-01T10:00:00"), 4))
                .containsExactly(utc("2024-05-01T10:05:00"), utc("2024-05-01T10:25:00"),
                        utc("2024-05-01T10:45:00"), utc("2024-05-01T11:05:00"));
        assertThat(firings("0,30 8-9 * * *", UTC, utc("2024-05-01T00:00:00"), 5))
                .containsExactly(utc("2024-05-01T08:00:00"), utc("2024-05-01T08:30:00"), utc("2024-05-01T09:00:00"),
                        utc("2024-05-01T09:30:00"), utc("2024-05-02T08:00:00"));
        assertThat(next("10-40/15 * * * *", "2024-05-01T10:26:00")).isEqualTo(utc("2024-05-01T10:40:00"));
    }

    @Test
    void weekdaysSkipTheWeekend() {
        // 2024-05-03 is a Friday
        assertThat(next("0 9 * * 1-5", "2024-05-03T10:00:00")).isEqualTo(utc("2024-05-06T09:00:00"));
    }

    @Test
    void namesOfMonthsAndDaysAreReadInAnyCase() {
        assertThat(next("0 12 * JUL mon-FRI", "2024-05-01T00:00:00")).isEqualTo(utc("2024-07-01T12:00:00"));
        assertThat(next("0 12 1 jan,Jul *", "2024-05-01T00:00:00")).isEqualTo(utc("2024-07-01T12:00:00"));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherDay() {
        // the 13th, or any Friday: from Wednesday 2024-05-01 the Friday 3rd comes first, then the 10th, then the 13th
        assertThat(firings("0 0 13 * 5", UTC, utc("2024-05-01T00:00:00"), 3))
                .containsExactly(utc("2024-05-03T00:00:00"), utc("2024-05-10T00:00:00"), utc("2024-05-13T00:00:00"));
    }

    @Test
    void aStarDayFieldMakesBothDayFieldsMatch() {
        assertThat(next("0 0 1 * *", "2024-05-01T00:00:00")).isEqualTo(utc("2024-06-01T00:00:00"));
        assertThat(next("0 0 ? * 0", "2024-05-01T00:00:00")).isEqualTo(utc("2024-05-05T00:00:00"));
    }

    @Test
    void aStarWithAStepIsARestrictionForTheDayRule() {
        // "*/2" on weekdays is Sun, Tue, Thu, Sat; with day-of-month 1 restricted too, either matches
        assertThat(firings("0 0 1 * */2", UTC, utc("2024-05-01T12:00:00"), 2))
                .containsExactly(utc("2024-05-02T00:00:00"), utc("2024-05-04T00:00:00"));
    }

    @ParameterizedTest
    @CsvSource({
            "@hourly,   2024-05-01T10:20:00, 2024-05-01T11:00:00",
            "@daily,    2024-05-01T10:20:00, 2024-05-02T00:00:00",
            "@midnight, 2024-05-01T10:20:00, 2024-05-02T00:00:00",
            "@weekly,   2024-05-01T10:20:00, 2024-05-05T00:00:00",
            "@monthly,  2024-05-01T10:20:00, 2024-06-01T00:00:00",
            "@yearly,   2024-05-01T10:20:00, 2025-01-01T00:00:00",
            "@ANNUALLY, 2024-05-01T10:20:00, 2025-01-01T00:00:00"})
    void descriptorsFireAtTheirStandardTimes(String descriptor, String after, String expected) {
        assertThat(next(descriptor, after)).isEqualTo(utc(expected));
    }

    @Test
    void everyAddsItsDurationInWholeSecondsToTheGivenTime() {
        assertThat(next("@every 1h30m", "2024-05-01T10:00:00.700")).isEqualTo(utc("2024-05-01T11:30:00"));
        assertThat(next("@every 1.5s", "2024-05-01T10:00:00")).isEqualTo(utc("2024-05-01T10:00:01"));
        assertThat(next("@every 300ms", "2024-05-01T10:00:00")).as("at least one second").isEqualTo(utc("2024-05-01T10:00:01"));
    }

    @Test
    void aScheduleThatNeverFiresHasNoNextTime() {
        assertThat(CronSchedule.parse("0 0 30 2 *").nextAfter(utc("2024-01-01T00:00:00"), UTC)).isEmpty();
    }

    @Test
    void theWallClockOfTheZoneDecides() {
        assertThat(CronSchedule.parse("0 9 * * *").nextAfter(utc("2024-05-01T00:00:00"), ZoneId.of("Asia/Kolkata")))
                .contains(utc("2024-05-01T03:30:00"));
        assertThat(CronSchedule.parse("0 9 * * *").nextAfter(utc("2024-07-01T00:00:00"), NEW_YORK))
                .contains(utc("2024-07-01T13:00:00"));
        assertThat(CronSchedule.parse("0 9 * * *").nextAfter(utc("2024-12-01T00:00:00"), NEW_YORK))
                .contains(utc("2024-12-01T14:00:00"));
    }

    @Test
    void aTimeSkippedBySpringForwardDoesNotFireThatDay() {
        // 2024-03-10 in New York: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day
        assertThat(firings("30 2 * * *", NEW_YORK, in(NEW_YORK, "2024-03-09T12:00"), 2))
                .containsExactly(in(NEW_YORK, "2024-03-11T02:30"), in(NEW_YORK, "2024-03-12T02:30"))
                .first().isEqualTo(utc("2024-03-11T06:30:00"));
    }

    @Test
    void springForwardSkipsTheMissingHourOfAnHourlySchedule() {
        assertThat(firings("0 * * * *", NEW_YORK, in(NEW_YORK, "2024-03-10T00:30"), 3))
                .containsExactly(utc("2024-03-10T06:00:00"), utc("2024-03-10T07:00:00"), utc("2024-03-10T08:00:00"))
                .extracting(t -> t.atZone(NEW_YORK).getHour()).containsExactly(1, 3, 4);
    }

    @Test
    void aTimeRepeatedByFallBackFiresTwiceAsUpstreamDoes() {
        // 2024-11-03 in New York: 02:00 EDT goes back to 01:00 EST, so 01:30 happens twice
        assertThat(firings("30 1 * * *", NEW_YORK, in(NEW_YORK, "2024-11-02T12:00"), 3))
                .containsExactly(utc("2024-11-03T05:30:00"), utc("2024-11-03T06:30:00"), utc("2024-11-04T06:30:00"));
    }

    @Test
    void aDayWhoseMidnightDoesNotExistIsSkippedByADailySchedule() {
        ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
        // 2018-11-04 in Sao Paulo began at 01:00: midnight was skipped
        assertThat(CronSchedule.parse("@daily").nextAfter(in(saoPaulo, "2018-11-03T12:00"), saoPaulo))
                .contains(in(saoPaulo, "2018-11-05T00:00"));
    }

    @Test
    void theLastFiringAtOrBeforeNowIsFoundFromLongAgo() {
        CronSchedule s = CronSchedule.parse("0 9 * * 1-5");
        // Saturday 2024-05-04: the last weekday 09:00 was Friday's
        assertThat(s.lastAtOrBefore(utc("2019-01-01T00:00:00"), utc("2024-05-04T12:00:00"), UTC))
                .contains(utc("2024-05-03T09:00:00"));
        assertThat(s.lastAtOrBefore(utc("2024-05-03T09:00:00"), utc("2024-05-04T12:00:00"), UTC))
                .as("only firings after the start count").isEmpty();
        assertThat(CronSchedule.parse("* * * * *").lastAtOrBefore(utc("2024-05-03T09:00:00"), utc("2024-05-03T09:00:59"), UTC))
                .isEmpty();
    }

    @Test
    void theLastFiringOfAnIntervalIsCountedFromItsStart() {
        CronSchedule s = CronSchedule.parse("@every 1h");
        assertThat(s.lastAtOrBefore(utc("2024-05-01T10:15:00"), utc("2024-05-03T09:00:00"), UTC))
                .contains(utc("2024-05-03T08:15:00"));
        assertThat(s.lastAtOrBefore(utc("2024-05-01T10:15:00"), utc("2024-05-01T11:00:00"), UTC)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                 | empty schedule",
            "* * * *            | expected exactly 5 fields, found 4",
            "* * * * * *        | expected exactly 5 fields, found 6",
            "60 * * * *         | end of range (60) above maximum (59) in the minute field",
            "* 24 * * *         | end of range (24) above maximum (23) in the hour field",
            "* * 0 * *          | beginning of range (0) below minimum (1) in the day of month field",
            "* * * 13 *         | end of range (13) above maximum (12) in the month field",
            "* * * * 7          | end of range (7) above maximum (6) in the day of week field",
            "5-1 * * * *        | beginning of range (5) beyond end of range (1)",
            "*/0 * * * *        | the step in the minute field must be a positive number",
            "1/2/3 * * * *      | too many slashes",
            "1-2-3 * * * *      | too many hyphens",
            "a * * * *          | failed to parse the minute value 'a'",
            "* * * foo *        | failed to parse the month value 'foo'",
            "@fortnightly       | unrecognized descriptor: @fortnightly",
            "TZ=UTC * * * * *   | use spec.timeZone",
            "@every abc         | invalid duration after @every: abc",
            "@every -5m         | must be positive",
            "@every 0           | must be positive"})
    void badExpressionsAreRejectedWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> CronSchedule.parse(expression))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    @Test
    void nullIsRejectedWithAMessageNotANullPointer() {
        assertThatThrownBy(() -> CronSchedule.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty schedule");
    }

    @Test
    void theResultIsAbsentRatherThanWrongForAnImpossibleDate() {
        assertThat(CronSchedule.parse("0 0 31 4,6,9,11 *").nextAfter(utc("2024-01-01T00:00:00"), UTC))
                .isEqualTo(Optional.empty());
    }
}
