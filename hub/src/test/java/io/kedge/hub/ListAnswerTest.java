package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ListAnswerTest {
    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aScanReadsTheHeadAndEachItemsKeyVersionAndOwnBytes() {
        String first = "{\"metadata\":{\"name\":\"p1\",\"namespace\":\"default\",\"resourceVersion\":\"5\","
                + "\"labels\":{\"name\":\"not-this\"}},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\"}]}}";
        String second = "{\"spec\":{},\"metadata\":{\"name\":\"n2\",\"resourceVersion\":\"6\"}}";
        ListAnswer list = ListAnswer.scan(bytes("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},"
                + "\"items\":[" + first + ",\n " + second + "]}"));

        assertThat(list.kind()).isEqualTo("PodList");
        assertThat(list.apiVersion()).isEqualTo("v1");
        assertThat(list.resourceVersion()).isEqualTo("9");
        assertThat(list.continueToken()).isNull();
        assertThat(list.itemKind()).isEqualTo("Pod");
        assertThat(list.items()).extracting(ListAnswer.Item::namespace, ListAnswer.Item::name, ListAnswer.Item::resourceVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("default", "p1", "5"), org.assertj.core.groups.Tuple.tuple("", "n2", "6"));
        assertThat(new String(list.items().get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(new String(list.items().get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo(second);
        assertThat(Json.string(list.items().get(0).object(list.itemKind(), list.apiVersion())))
                .contains("\"kind\":\"Pod\"", "\"apiVersion\":\"v1\"", "\"nodeName\":\"n1\"");
    }

    @Test
    void theHeadIsFoundAfterTheItemsToo() {
        ListAnswer list = ListAnswer.scan(bytes("{\"items\":[{\"metadata\":{\"name\":\"a\"}}],"
                + "\"metadata\":{\"resourceVersion\":\"3\",\"continue\":\"next-page\"},\"kind\":\"ConfigMapList\"}"));
        assertThat(list.resourceVersion()).isEqualTo("3");
        assertThat(list.continueToken()).isEqualTo("next-page");
        assertThat(list.items()).extracting(ListAnswer.Item::name).containsExactly("a");
    }

    @Test
    void anEmptyContinueTokenMeansTheLastPageAndNullItemsAreSkipped() {
        ListAnswer list = ListAnswer.scan(bytes("{\"kind\":\"PodList\",\"metadata\":{\"continue\":\"\"},\"items\":[null,{}]}"));
        assertThat(list.continueToken()).isNull();
        assertThat(list.items()).singleElement().satisfies(i -> assertThat(i.name()).isNull());
    }

    @Test
    void anAnswerThatIsNotAJsonObjectIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ListAnswer.scan(bytes("[1,2]"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ListAnswer.scan(bytes("{\"items\":[{\"metadata\":"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
