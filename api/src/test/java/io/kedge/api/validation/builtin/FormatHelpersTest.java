package io.kedge.api.validation.builtin;

import io.kedge.api.GoDurations;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FormatHelpersTest {
    @Test
    void quantitiesParseAllSuffixes() {
        assertThat(Quantities.parse("500m")).isEqualByComparingTo("0.5");
        assertThat(Quantities.parse("1Gi")).isEqualByComparingTo(BigDecimal.valueOf(1L << 30));
        assertThat(Quantities.parse("1G")).isEqualByComparingTo("1000000000");
        assertThat(Quantities.parse("2e3")).isEqualByComparingTo("2000");
        assertThat(Quantities.parse(".5")).isEqualByComparingTo("0.5");
        assertThat(Quantities.parse("1.5Mi")).isEqualByComparingTo("1572864");
        assertThat(Quantities.parse("-1")).isEqualByComparingTo("-1");
        assertThat(Quantities.parse("1Gb")).isNull();
        assertThat(Quantities.parse("lots")).isNull();
        assertThat(Quantities.parse("")).isNull();
        assertThat(Quantities.parse("1e99999999999")).isNull();
        assertThat(Quantities.parse("1e5000")).isNull();
    }

    @Test
    void goDurationsParseCompoundAndFractionalForms() {
        assertThat(GoDurations.parseNanos("10m")).isEqualTo(600_000_000_000L);
        assertThat(GoDurations.parseNanos("1h30m")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDurations.parseNanos("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDurations.parseNanos("0")).isZero();
        assertThat(GoDurations.parseNanos("-5s")).isEqualTo(-5_000_000_000L);
        assertThat(GoDurations.parseNanos("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDurations.parseNanos("10")).isNull();
        assertThat(GoDurations.parseNanos("1d")).isNull();
        assertThat(GoDurations.parseNanos("")).isNull();
        assertThat(GoDurations.parseNanos("99999999999h")).isNull();
    }

    @Test
    void cronSchedulesCheckEveryField() {
        assertThat(CronSchedules.problem("0 0 * * *")).isNull();
        assertThat(CronSchedules.problem("*/5 1,2,3 1-15/2 * SUN-SAT")).isNull();
        assertThat(CronSchedules.problem("? * * * *")).isNull();
        assertThat(CronSchedules.problem("@Weekly")).isNull();
        assertThat(CronSchedules.problem("0 24 * * *")).contains("above maximum");
        assertThat(CronSchedules.problem("0 0 0 * *")).contains("below minimum");
        assertThat(CronSchedules.problem("0 0 * * 7")).contains("above maximum");
        assertThat(CronSchedules.problem("5-1 * * * *")).contains("beyond end of range");
        assertThat(CronSchedules.problem("*/0 * * * *")).contains("positive number");
        assertThat(CronSchedules.problem("x * * * *")).contains("failed to parse");
        assertThat(CronSchedules.problem("@every 0s")).isNotNull();
        assertThat(CronSchedules.problem("")).isNotNull();
    }

    @Test
    void imageTagsDefaultToLatestOnlyWithoutDigest() {
        assertThat(ImageReferences.tag("nginx")).isEqualTo("latest");
        assertThat(ImageReferences.tag("nginx:1.25")).isEqualTo("1.25");
        assertThat(ImageReferences.tag("host:5000/team/nginx")).isEqualTo("latest");
        assertThat(ImageReferences.tag("host:5000/team/nginx:v2")).isEqualTo("v2");
        assertThat(ImageReferences.tag("nginx@sha256:abc")).isEmpty();
    }
}
