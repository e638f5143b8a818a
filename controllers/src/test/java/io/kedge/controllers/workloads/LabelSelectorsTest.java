package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    @Test
    void aNullSelectorSelectsNothingAndAnEmptyOneEverything() {
        assertThat(LabelSelectors.matches(null, Map.of("a", "1"))).isFalse();
        assertThat(LabelSelectors.matches(new LabelSelector(), Map.of("a", "1"))).isTrue();
        assertThat(LabelSelectors.isEmpty(new LabelSelector())).isTrue();
    }

    @Test
    void matchLabelsAndEveryOperatorMustAllHold() {
        LabelSelector s = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web"))
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("a", "b").endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("prod").endMatchExpression()
                .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
                .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression().build();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "a", "team", "x"))).isTrue();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "c", "team", "x"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "a", "team", "x", "env", "prod"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "a"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "web", "tier", "a", "team", "x", "legacy", "y"))).isFalse();
        assertThat(LabelSelectors.matches(s, Map.of("app", "db", "tier", "a", "team", "x"))).isFalse();
    }

    @Test
    void aMalformedRequirementIsRejectedWithItsKeyAndOperator() {
        LabelSelector unknown = new LabelSelectorBuilder().addNewMatchExpression().withKey("k").withOperator("Near").endMatchExpression().build();
        assertThatThrownBy(() -> LabelSelectors.validate(unknown))
                .hasMessage("label selector operator \"Near\" on key \"k\" is not one of In, NotIn, Exists, DoesNotExist");
        LabelSelector noValues = new LabelSelectorBuilder().addNewMatchExpression().withKey("k").withOperator("In").endMatchExpression().build();
        assertThatThrownBy(() -> LabelSelectors.validate(noValues)).hasMessage("label selector operator In on key \"k\" needs at least one value");
    }
}
