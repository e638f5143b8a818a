package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.table.JsonPath.EvaluationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One step of a compiled {@link JsonPath}: it maps each value reached so far to the next values. */
sealed interface JsonPathStep {
    /** Adds what this step reaches from one value. */
    void apply(JsonNode value, List<JsonNode> out);

    /** Applies the steps in turn, starting from the input values. */
    static List<JsonNode> evaluate(List<JsonPathStep> steps, List<JsonNode> input) {
        List<JsonNode> current = input;
        for (JsonPathStep step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode value : current) {
                step.apply(value, next);
            }
            current = next;
        }
        return current;
    }

    record Field(String name) implements JsonPathStep {
        @Override
        public void apply(JsonNode value, List<JsonNode> out) {
            JsonNode child = value.isObject() ? value.get(name) : null;
            if (child != null) {
                out.add(child);
            }
        }
    }

    record Wildcard() implements JsonPathStep {
        @Override
        public void apply(JsonNode value, List<JsonNode> out) {
            value.forEach(out::add);
        }
    }

    record Recursive() implements JsonPathStep {
        @Override
        public void apply(JsonNode value, List<JsonNode> out) {
            Evaluation.descend(value, out);
        }
    }

    /** {@code [i]} when single, else {@code [start:end:step]} with null for an omitted bound. */
    record Slice(Integer start, Integer end, Integer step, boolean single) implements JsonPathStep {
        @Override
        public void apply(JsonNode value, List<JsonNode> out) {
            Evaluation.slice(this, value, out);
        }
    }

    /** A filter; operator "exists" tests that the left path finds something. */
    record Filter(List<JsonPathStep> left, String operator, List<JsonPathStep> rightPath, JsonNode rightLiteral)
            implements JsonPathStep {
        @Override
        public void apply(JsonNode value, List<JsonNode> out) {
            Evaluation.filter(this, value, out);
        }
    }

    /** The work of the steps that need more than a line. */
    final class Evaluation {
        private Evaluation() {}

        /** Every non-empty container at or below the value, parents before children. */
        static void descend(JsonNode value, List<JsonNode> out) {
            if (value.isContainerNode() && !value.isEmpty()) {
                out.add(value);
                value.forEach(child -> descend(child, out));
            }
        }

        static void slice(Slice s, JsonNode value, List<JsonNode> out) {
            if (value.isNull()) {
                return;
            }
            if (!value.isArray()) {
                throw new EvaluationException("cannot index " + kind(value) + " with [" + describe(s) + "]");
            }
            int length = value.size();
            if (s.single()) {
                int index = s.start() < 0 ? s.start() + length : s.start();
                if (index < 0 || index >= length) {
                    throw new EvaluationException("array index out of bounds: index " + s.start() + ", length " + length);
                }
                out.add(value.get(index));
                return;
            }
            int start = s.start() == null ? 0 : s.start() < 0 ? s.start() + length : s.start();
            int end = s.end() == null ? length : s.end() < 0 ? s.end() + length : s.end();
            if (start == end) {
                return;
            }
            if (start < 0 || start >= length || end < 0 || end > length) {
                throw new EvaluationException("array slice [" + describe(s) + "] is out of bounds for length " + length);
            }
            if (start > end) {
                throw new EvaluationException("starting index " + start + " is greater than ending index " + end);
            }
            int step = s.step() == null ? 1 : s.step();
            if (step <= 0) {
                throw new EvaluationException("slice step must be greater than 0");
            }
            for (int i = start; i < end; i += step) {
                out.add(value.get(i));
            }
        }

        static void filter(Filter f, JsonNode value, List<JsonNode> out) {
            if (!value.isArray()) {
                throw new EvaluationException("cannot filter " + kind(value) + "; filters apply to arrays");
            }
            for (JsonNode element : value) {
                if (f.operator().equals("exists")) {
                    List<JsonNode> found;
                    try {
                        found = JsonPathStep.evaluate(f.left(), List.of(element));
                    } catch (EvaluationException e) {
                        found = List.of();
                    }
                    if (!found.isEmpty()) {
                        out.add(element);
                    }
                    continue;
                }
                JsonNode left = single(JsonPathStep.evaluate(f.left(), List.of(element)));
                if (left == null) {
                    continue;
                }
                JsonNode right = f.rightLiteral() != null ? f.rightLiteral() : single(JsonPathStep.evaluate(f.rightPath(), List.of(element)));
                if (right == null) {
                    continue;
                }
                if (compare(left, f.operator(), right)) {
                    out.add(element);
                }
            }
        }

        private static JsonNode single(List<JsonNode> values) {
            if (values.size() > 1) {
                throw new EvaluationException("a filter can only compare one value at a time, found " + values.size());
            }
            return values.isEmpty() ? null : values.get(0);
        }

        private static boolean compare(JsonNode left, String operator, JsonNode right) {
            int order;
            if (left.isNumber() && right.isNumber()) {
                order = left.decimalValue().compareTo(right.decimalValue());
            } else if (left.isTextual() && right.isTextual()) {
                order = left.textValue().compareTo(right.textValue());
            } else if (left.isBoolean() && right.isBoolean()) {
                boolean equal = left.booleanValue() == right.booleanValue();
                return switch (operator) {
                    case "==" -> equal;
                    case "!=" -> !equal;
                    default -> throw new EvaluationException("booleans cannot be compared with " + operator);
                };
            } else {
                throw new EvaluationException("cannot compare " + kind(left) + " with " + kind(right));
            }
            return switch (operator) {
                case "==" -> order == 0;
                case "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> throw new IllegalStateException("unknown operator " + operator);
            };
        }

        private static String kind(JsonNode value) {
            return switch (value.getNodeType()) {
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
            };
        }

        private static String describe(Slice s) {
            if (s.single()) {
                return String.valueOf(s.start());
            }
            return (s.start() == null ? "" : s.start()) + ":" + (s.end() == null ? "" : s.end())
                    + (s.step() == null ? "" : ":" + s.step());
        }
    }
}
