package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Columns shared by many printers. */
final class Columns {
    static final ColumnDefinition NAME = ColumnDefinition.nameColumn();
    static final ColumnDefinition AGE = ColumnDefinition.string("Age",
            "Time since the object was created (metadata.creationTimestamp).");
    static final ColumnDefinition CONTAINERS = ColumnDefinition.string("Containers",
            "Names of the containers in the pod template.").wide();
    static final ColumnDefinition IMAGES = ColumnDefinition.string("Images",
            "Images of the containers in the pod template.").wide();
    static final ColumnDefinition SELECTOR = ColumnDefinition.string("Selector",
            "The label selector of the pods this object manages.").wide();

    private Columns() {}

    /** The cells of the Containers and Images columns for a pod spec: names, then images. */
    static String[] containersAndImages(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : Fields.list(podSpec, "containers")) {
            names.add(Fields.text(c, "name"));
            images.add(Fields.text(c, "image"));
        }
        return new String[] {String.join(",", names), String.join(",", images)};
    }
}
