package io.kedge.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    @Test
    void aMissingSelectorSelectsNothingAndAnEmptyOneEverything() {
        assertThat(Selector.of(null, "x").matches(Map.of("a", "b"))).isFalse();
        assertThat(Selector.of(new LabelSelector(), "x").matches(Map.of())).isTrue();
    }

    @Test
    void matchLabelsAndExpressionsMustAllHold() {
        Selector s = Selector.of(new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("db").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression().build(), "x");
        assertThat(s.matches(Map.of("app", "web"))).isTrue();
        assertThat(s.matches(Map.of("app", "web", "tier", "db"))).isFalse();
        assertThat(s.matches(Map.of("app", "web", "canary", "1"))).isFalse();
        assertThat(s.and("track", true, "stable").matches(Map.of("app", "web"))).isFalse();
        assertThat(s.and("track", false, "stable").matches(Map.of("app", "web", "track", "beta"))).isTrue();
    }

    @Test
    void malformedExpressionsAreRejectedWithTheirPlace() {
        assertThatThrownBy(() -> Selector.of(new LabelSelectorBuilder().addNewMatchExpression().withKey("app").withOperator("In")
                .endMatchExpression().build(), "pod ns/p podAffinity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pod ns/p podAffinity: label selector operator In on \"app\" needs at least one value");
    }
}
