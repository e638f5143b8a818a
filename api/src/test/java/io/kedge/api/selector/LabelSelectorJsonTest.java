package io.kedge.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void readsMatchLabelsAndMatchExpressions() {
        LabelSelector selector = LabelSelector.fromJson(json("""
                {'matchLabels': {'app': 'web'},
                 'matchExpressions': [
                   {'key': 'env', 'operator': 'In', 'values': ['prod', 'qa']},
                   {'key': 'tier', 'operator': 'NotIn', 'values': ['db']},
                   {'key': 'owner', 'operator': 'Exists'},
                   {'key': 'legacy', 'operator': 'DoesNotExist', 'values': []}]}
                """));

        assertThat(selector.toString()).isEqualTo("app=web,env in (prod,qa),!legacy,owner,tier notin (db)");
        assertThat(selector.matches(Map.of("app", "web", "env", "qa", "owner", "me"))).isTrue();
        assertThat(selector.matches(Map.of("app", "web", "env", "qa", "owner", "me", "legacy", "y"))).isFalse();
        assertThat(selector.matches(Map.of("app", "web", "env", "dev", "owner", "me"))).isFalse();
    }

    @Test
    void emptyObjectSelectsEverythingAndMissingSelectsNothing() {
        assertThat(LabelSelector.fromJson(json("{}")).matches(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelector.fromJson(json("{'matchLabels':{},'matchExpressions':[]}")).isEverything()).isTrue();
        assertThat(LabelSelector.fromJson(NullNode.getInstance()).matches(Map.of())).isFalse();
        assertThat(LabelSelector.fromJson(MissingNode.getInstance()).isNothing()).isTrue();
        assertThat(LabelSelector.fromJson(null).isNothing()).isTrue();
    }

    @Test
    void inWithoutValuesIsRejected() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchExpressions':[{'key':'a','operator':'In'}]}")))
                .isInstanceOf(SelectorException.class)
                .hasMessage("invalid label selector: matchExpressions[0].values: must be specified when operator is In or NotIn");
    }

    @Test
    void existsWithValuesIsRejected() {
        assertThatThrownBy(() -> LabelSelector.fromJson(
                json("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}")))
                .hasMessageContaining("matchExpressions[0].values: may not be specified");
    }

    @Test
    void unknownOperatorIsRejectedWithTheAllowedOnes() {
        assertThatThrownBy(() -> LabelSelector.fromJson(
                json("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}")))
                .hasMessageContaining("matchExpressions[0].operator: \"Gt\" is not a valid operator; "
                        + "expected one of In, NotIn, Exists, DoesNotExist");
    }

    @Test
    void badKeysAndValuesAreRejectedWithTheirField() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchLabels':{'app':'bad value'}}")))
                .hasMessageContaining("matchLabels.app: invalid label value \"bad value\"");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchLabels':{'app':1}}")))
                .hasMessageContaining("matchLabels.app: must be a string");
        assertThatThrownBy(() -> LabelSelector.fromJson(
                json("{'matchExpressions':[{'key':'-a','operator':'Exists'}]}")))
                .hasMessageContaining("matchExpressions[0].key: invalid label key \"-a\"");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchExpressions':[{'operator':'Exists'}]}")))
                .hasMessageContaining("matchExpressions[0].key: is required");
    }

    @Test
    void wrongShapesAreRejected() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json("'app=web'"))).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchExpressions':{}}")))
                .hasMessageContaining("matchExpressions: must be a list");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchLabels':[]}")))
                .hasMessageContaining("matchLabels: must be an object");
    }
}
