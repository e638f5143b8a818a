package io.kedge.api.table;

import java.util.Objects;
import java.util.Set;

/**
 * One column of a {@code meta.k8s.io/v1} Table, as it travels in {@code columnDefinitions}.
 *
 * @param type     an OpenAPI type: string, integer, number, boolean or date
 * @param format   "name" for the column that identifies the object, otherwise usually empty
 * @param priority 0 for columns kubectl always shows; above 0 only with {@code -o wide}
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {
    public static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "date");

    public ColumnDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a table column needs a non-blank name");
        }
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("table column \"" + name + "\" has type " + quoted(type)
                    + "; expected one of string, integer, number, boolean, date");
        }
        if (priority < 0) {
            throw new IllegalArgumentException("table column \"" + name + "\" has negative priority " + priority);
        }
        format = Objects.requireNonNullElse(format, "");
        description = Objects.requireNonNullElse(description, "");
    }

    /** The column kubectl treats as the object's identity. */
    public static ColumnDefinition nameColumn() {
        return new ColumnDefinition("Name", "string", "name", "The object's metadata.name, unique within its namespace.", 0);
    }

    public static ColumnDefinition string(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 0);
    }

    public static ColumnDefinition integer(String name, String description) {
        return new ColumnDefinition(name, "integer", "", description, 0);
    }

    /** A column that kubectl prints only with {@code -o wide}. */
    public ColumnDefinition wide() {
        return new ColumnDefinition(name, type, format, description, 1);
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
