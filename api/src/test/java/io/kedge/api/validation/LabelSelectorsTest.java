package io.kedge.api.validation;

import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    private static final FieldPath P = FieldPath.ROOT.child("spec", "selector");

    private static List<FieldError> check(ObjectNode selector) {
        ErrorCollector errs = new ErrorCollector();
        LabelSelectors.validate(selector, P, errs);
        return errs.errors();
    }

    @Test
    void matchLabelsAndAllOperatorsSelectAsKubernetesDoes() {
        ObjectNode s = yaml("""
                matchLabels: {app: web}
                matchExpressions:
                - {key: tier, operator: In, values: [front, edge]}
                - {key: canary, operator: DoesNotExist}
                - {key: zone, operator: Exists}
                - {key: env, operator: NotIn, values: [dev]}
                """);
        assertThat(check(s)).isEmpty();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "zone", "a"))).isTrue();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "zone", "a", "env", "dev")))
                .isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "edge", "zone", "a", "canary", "1")))
                .isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "db", "tier", "edge", "zone", "a"))).isFalse();
    }

    @Test
    void inWithoutValuesIsRequiredAndExistsWithValuesForbidden() {
        assertHas(check(yaml("matchExpressions: [{key: a, operator: In}]")),
                "spec.selector.matchExpressions[0].values", FieldError.Reason.Required);
        assertHas(check(yaml("matchExpressions: [{key: a, operator: Exists, values: [x]}]")),
                "spec.selector.matchExpressions[0].values", FieldError.Reason.Forbidden);
        assertHas(check(yaml("matchExpressions: [{key: a, operator: Near, values: [x]}]")),
                "spec.selector.matchExpressions[0].operator", FieldError.Reason.NotSupported);
        assertHas(check(yaml("matchExpressions: [{operator: Exists}]")),
                "spec.selector.matchExpressions[0].key", FieldError.Reason.Required);
    }

    @Test
    void badLabelKeysAndValuesAreInvalid() {
        assertHas(check(yaml("matchLabels: {'bad key': x}")), "spec.selector.matchLabels", FieldError.Reason.Invalid);
        assertHas(check(yaml("matchExpressions: [{key: a, operator: In, values: ['no spaces']}]")),
                "spec.selector.matchExpressions[0].values[0]", FieldError.Reason.Invalid);
    }

    @Test
    void emptinessIsNeitherLabelsNorExpressions() {
        assertThat(LabelSelectors.isEmpty(yaml("matchLabels: {}"))).isTrue();
        assertThat(LabelSelectors.isEmpty(yaml("matchLabels: {a: b}"))).isFalse();
    }
}
