package io.kedge.api.table;

import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelFormatTest {
    @Test
    void writesLabelsSortedByKey() {
        assertThat(LabelFormat.labels(yaml("{tier: front, app: web}"))).isEqualTo("app=web,tier=front");
        assertThat(LabelFormat.labels(yaml("{}"))).isEqualTo("<none>");
        assertThat(LabelFormat.labels(null)).isEqualTo("<none>");
    }

    @Test
    void writesEveryOperatorAndSortsRequirementsByKey() {
        assertThat(LabelFormat.selector(yaml("""
                matchLabels: {zone: a}
                matchExpressions:
                  - {key: tier, operator: NotIn, values: [legacy, beta]}
                  - {key: env, operator: In, values: [prod]}
                  - {key: canary, operator: DoesNotExist}
                  - {key: app, operator: Exists}
                """))).contains("app,!canary,env in (prod),tier notin (beta,legacy),zone=a");
    }

    @Test
    void anEmptyOrAbsentSelectorIsEmpty() {
        assertThat(LabelFormat.selector(yaml("{}"))).contains("");
        assertThat(LabelFormat.selector(null)).contains("");
        assertThat(LabelFormat.selectorOrNone(yaml("{matchLabels: {}}"))).isEqualTo("<none>");
    }

    @Test
    void malformedSelectorsAreReportedAsErrors() {
        assertThat(LabelFormat.selector(yaml("{matchExpressions: [{key: a, operator: In}]}"))).isEmpty();
        assertThat(LabelFormat.selector(yaml("{matchExpressions: [{key: a, operator: Exists, values: [x]}]}"))).isEmpty();
        assertThat(LabelFormat.selectorOrNone(yaml("{matchExpressions: [{key: a, operator: Gt, values: ['1']}]}")))
                .isEqualTo("<error>");
    }
}
