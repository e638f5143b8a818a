package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Labels and label selectors written the way kubectl users type them. */
final class LabelFormat {
    private LabelFormat() {}

    /** {@code a=1,b=2}, keys sorted; {@code <none>} for an empty or absent map. */
    static String labels(JsonNode map) {
        if (map == null || !map.isObject() || map.isEmpty()) {
            return Fields.NONE;
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /**
     * A LabelSelector object as a selector string ({@code app=web,tier in (a,b),!legacy}),
     * requirements sorted by key. An absent or empty selector gives "". Empty when the selector
     * is malformed (an unknown operator, or values that do not fit the operator).
     */
    static Optional<String> selector(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return Optional.of("");
        }
        List<Map.Entry<String, String>> requirements = new ArrayList<>();
        Fields.at(selector, "matchLabels").properties()
                .forEach(e -> requirements.add(Map.entry(e.getKey(), e.getKey() + "=" + e.getValue().asText())));
        for (JsonNode expr : Fields.list(selector, "matchExpressions")) {
            String key = Fields.text(expr, "key");
            List<String> values = new ArrayList<>();
            Fields.list(expr, "values").forEach(v -> values.add(v.asText()));
            values.sort(null);
            String written = switch (Fields.text(expr, "operator")) {
                case "In" -> values.isEmpty() ? null : key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> values.isEmpty() ? null : key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> values.isEmpty() ? key : null;
                case "DoesNotExist" -> values.isEmpty() ? "!" + key : null;
                default -> null;
            };
            if (written == null) {
                return Optional.empty();
            }
            requirements.add(Map.entry(key, written));
        }
        requirements.sort(Map.Entry.comparingByKey());
        return Optional.of(String.join(",", requirements.stream().map(Map.Entry::getValue).toList()));
    }

    /** The selector string, {@code <none>} when it selects by nothing, {@code <error>} when malformed. */
    static String selectorOrNone(JsonNode selector) {
        return selector(selector).map(s -> s.isEmpty() ? Fields.NONE : s).orElse("<error>");
    }
}
