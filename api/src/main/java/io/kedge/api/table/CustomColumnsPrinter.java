package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The table of a custom resource: NAME, then one column per {@code additionalPrinterColumns}
 * entry. Each column shows the first value its JSONPath finds; a path that finds nothing, finds
 * null, finds a value of the wrong type or cannot be applied leaves the cell null, which kubectl
 * prints as {@code <none>}. Date columns show the age of the timestamp they find.
 */
public final class CustomColumnsPrinter implements TablePrinter {
    /** What a CRD version without printer columns is served with. */
    public static final CustomColumn DEFAULT_AGE = new CustomColumn("Age", "date", "",
            "Time since the object was created (metadata.creationTimestamp).", 0, ".metadata.creationTimestamp");

    private final List<ColumnDefinition> columns;
    private final List<CustomColumn> custom;
    private final List<JsonPath> paths;

    /** Exactly these columns after NAME, with no defaulting; see {@link #forCrdColumns}. */
    public CustomColumnsPrinter(List<CustomColumn> customColumns) {
        if (customColumns == null) {
            throw new IllegalArgumentException("custom columns must not be null");
        }
        List<ColumnDefinition> defs = new ArrayList<>();
        List<JsonPath> compiled = new ArrayList<>();
        defs.add(ColumnDefinition.nameColumn());
        for (CustomColumn c : customColumns) {
            try {
                compiled.add(JsonPath.compile(c.jsonPath()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("printer column \"" + c.name() + "\": " + e.getMessage(), e);
            }
            String description = c.description() == null || c.description().isEmpty()
                    ? "Custom resource column (JSONPath " + c.jsonPath() + ")." : c.description();
            defs.add(new ColumnDefinition(c.name(), c.type(), c.format(), description, c.priority()));
        }
        this.columns = List.copyOf(defs);
        this.custom = List.copyOf(customColumns);
        this.paths = List.copyOf(compiled);
    }

    /**
     * The printer for a CRD version's {@code additionalPrinterColumns} array. Like Kubernetes, a
     * version that declares no columns gets a single Age column; declared columns get no Age
     * column added.
     */
    public static CustomColumnsPrinter forCrdColumns(JsonNode additionalPrinterColumns) {
        List<CustomColumn> list = new ArrayList<>();
        if (additionalPrinterColumns != null && !additionalPrinterColumns.isNull() && !additionalPrinterColumns.isMissingNode()) {
            if (!additionalPrinterColumns.isArray()) {
                throw new IllegalArgumentException("additionalPrinterColumns must be an array, found "
                        + additionalPrinterColumns.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            additionalPrinterColumns.forEach(c -> list.add(CustomColumn.fromJson(c)));
        }
        return new CustomColumnsPrinter(list.isEmpty() ? List.of(DEFAULT_AGE) : list);
    }

    /** The printer for one served version of a CustomResourceDefinition object. */
    public static CustomColumnsPrinter forCrdVersion(JsonNode crd, String version) {
        for (JsonNode v : Fields.list(crd, "spec", "versions")) {
            if (Fields.text(v, "name").equals(version)) {
                return forCrdColumns(Fields.at(v, "additionalPrinterColumns"));
            }
        }
        throw new IllegalArgumentException("CustomResourceDefinition \"" + Fields.name(crd)
                + "\" has no version \"" + version + "\"");
    }

    @Override
    public List<ColumnDefinition> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        if (object == null || now == null) {
            throw new IllegalArgumentException("cannot print a table row for a null object or without the current time");
        }
        Object[] cells = new Object[columns.size()];
        cells[0] = Fields.name(object);
        for (int i = 0; i < paths.size(); i++) {
            cells[i + 1] = cell(custom.get(i).type(), firstMatch(paths.get(i), object), now);
        }
        return Collections.unmodifiableList(Arrays.asList(cells));
    }

    private static JsonNode firstMatch(JsonPath path, JsonNode object) {
        try {
            List<JsonNode> found = path.find(object);
            return found.isEmpty() ? null : found.get(0);
        } catch (JsonPath.EvaluationException e) {
            return null;
        }
    }

    private static Object cell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull()) {
            return null;
        }
        switch (type) {
            case "string":
                return GoText.of(value);
            case "integer":
                return value.isNumber() ? (Object) (value.isIntegralNumber() ? value.asLong() : (long) value.doubleValue()) : null;
            case "number":
                return value.isNumber() ? (Object) value.doubleValue() : null;
            case "boolean":
                return value.isBoolean() ? (Object) value.booleanValue() : null;
            case "date":
                if (!value.isTextual()) {
                    return null;
                }
                String text = value.textValue();
                if (text.isEmpty() || text.equals("null")) {
                    return Fields.UNKNOWN;
                }
                return Fields.parseTime(text).map(t -> HumanDuration.since(t, now)).orElse("<invalid>");
            default:
                return null;
        }
    }
}
