package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The JSONPath dialect of CRD printer columns and {@code kubectl -o jsonpath}, without templates:
 * {@code .a.b}, escaped dots ({@code .metadata.labels.app\.kubernetes\.io/name}), bracketed keys
 * ({@code ['a.b']}), {@code [*]} and {@code .*}, indexes and slices ({@code [0]}, {@code [-1]},
 * {@code [1:3]}), recursive descent ({@code ..name}) and filters
 * ({@code [?(@.type=="Ready")]}, {@code [?(@.port>8000)]}, {@code [?(@.ready)]}).
 *
 * <p>A missing key yields no result rather than an error. Indexing outside an array, or
 * filtering or indexing something that is not an array, is an {@link EvaluationException}.
 */
public final class JsonPath {
    /** The path cannot be applied to this document, such as an index beyond the array's end. */
    public static final class EvaluationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvaluationException(String message) {
            super(message);
        }
    }

    private final String expression;
    private final List<JsonPathStep> steps;

    private JsonPath(String expression, List<JsonPathStep> steps) {
        this.expression = expression;
        this.steps = steps;
    }

    /**
     * Parses a path such as {@code .status.conditions[?(@.type=="Ready")].status}. Surrounding
     * braces and a leading {@code $} are accepted.
     *
     * @throws IllegalArgumentException when the path is malformed or uses an unsupported feature
     */
    public static JsonPath compile(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a JSONPath expression must not be empty");
        }
        String body = expression.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1).strip();
        }
        if (body.startsWith("$")) {
            body = body.substring(1);
        }
        try {
            return new JsonPath(expression, new JsonPathParser(body).steps(true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid JSONPath " + quote(expression) + ": " + e.getMessage(), e);
        }
    }

    public String expression() {
        return expression;
    }

    /** Every value the path reaches, in document order; JSON nulls the path reaches are included. */
    public List<JsonNode> find(JsonNode root) {
        Objects.requireNonNull(root, "root");
        return JsonPathStep.evaluate(steps, List.of(root));
    }

    @Override
    public String toString() {
        return expression;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
