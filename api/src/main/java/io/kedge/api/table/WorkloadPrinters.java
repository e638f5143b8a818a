package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.integer;
import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The apps group and its core predecessors: replica counts, then the pod template when wide. */
final class WorkloadPrinters {
    /** The API defaults an unset replica count to one. */
    private static final long DEFAULT_REPLICAS = 1;

    private WorkloadPrinters() {}

    static TablePrinter deployments() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Ready", "Ready pods out of desired pods."),
                string("Up-to-date", "Pods that run the current pod template."),
                string("Available", "Pods that have been ready for at least minReadySeconds."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, Columns.SELECTOR),
                (d, now) -> {
                    String[] template = Columns.containersAndImages(Fields.at(d, "spec", "template", "spec"));
                    return new Object[] {
                        Fields.name(d), readyOfDesired(d),
                        Fields.number(d, "status", "updatedReplicas"), Fields.number(d, "status", "availableReplicas"),
                        Fields.age(d, now), template[0], template[1],
                        LabelFormat.selector(Fields.at(d, "spec", "selector")).orElse("<invalid>")
                    };
                });
    }

    static TablePrinter replicaSets() {
        return new RowPrinter(replicaColumns(), (rs, now) -> replicaCells(rs, now,
                LabelFormat.selectorOrNone(Fields.at(rs, "spec", "selector"))));
    }

    static TablePrinter replicationControllers() {
        return new RowPrinter(replicaColumns(), (rc, now) -> replicaCells(rc, now,
                LabelFormat.labels(Fields.at(rc, "spec", "selector"))));
    }

    static TablePrinter statefulSets() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Ready", "Ready pods out of desired pods."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES),
                (sts, now) -> {
                    String[] template = Columns.containersAndImages(Fields.at(sts, "spec", "template", "spec"));
                    return new Object[] {Fields.name(sts), readyOfDesired(sts), Fields.age(sts, now), template[0], template[1]};
                });
    }

    static TablePrinter daemonSets() {
        return new RowPrinter(List.of(
                Columns.NAME,
                integer("Desired", "Nodes that should run the daemon pod."),
                integer("Current", "Nodes that run at least one daemon pod."),
                integer("Ready", "Nodes whose daemon pod is ready."),
                integer("Up-to-date", "Nodes that run the current pod template."),
                integer("Available", "Nodes whose daemon pod is available."),
                string("Node Selector", "The node labels the pod template requires."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, Columns.SELECTOR),
                (ds, now) -> {
                    JsonNode status = Fields.at(ds, "status");
                    JsonNode podSpec = Fields.at(ds, "spec", "template", "spec");
                    String[] template = Columns.containersAndImages(podSpec);
                    return new Object[] {
                        Fields.name(ds), Fields.number(status, "desiredNumberScheduled"),
                        Fields.number(status, "currentNumberScheduled"), Fields.number(status, "numberReady"),
                        Fields.number(status, "updatedNumberScheduled"), Fields.number(status, "numberAvailable"),
                        LabelFormat.labels(Fields.at(podSpec, "nodeSelector")), Fields.age(ds, now),
                        template[0], template[1], LabelFormat.selectorOrNone(Fields.at(ds, "spec", "selector"))
                    };
                });
    }

    static TablePrinter controllerRevisions() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Controller", "The object that owns this revision, as kind.group/name."),
                string("Revision", "The revision number."),
                Columns.AGE),
                (cr, now) -> new Object[] {
                    Fields.name(cr), controllerOf(cr), Fields.number(cr, "revision"), Fields.age(cr, now)
                });
    }

    static TablePrinter podTemplates() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Containers", "Names of the containers in the template."),
                string("Images", "Images of the containers in the template."),
                string("Pod Labels", "The labels of the template's pods.")),
                (pt, now) -> {
                    String[] template = Columns.containersAndImages(Fields.at(pt, "template", "spec"));
                    return new Object[] {
                        Fields.name(pt), template[0], template[1],
                        LabelFormat.labels(Fields.at(pt, "template", "metadata", "labels"))
                    };
                });
    }

    private static List<ColumnDefinition> replicaColumns() {
        return List.of(
                Columns.NAME,
                integer("Desired", "Pods that should exist."),
                integer("Current", "Pods that exist."),
                integer("Ready", "Pods that are ready."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, Columns.SELECTOR);
    }

    private static Object[] replicaCells(JsonNode obj, Instant now, String selector) {
        String[] template = Columns.containersAndImages(Fields.at(obj, "spec", "template", "spec"));
        return new Object[] {
            Fields.name(obj), Fields.numberOr(DEFAULT_REPLICAS, obj, "spec", "replicas"),
            Fields.number(obj, "status", "replicas"), Fields.number(obj, "status", "readyReplicas"),
            Fields.age(obj, now), template[0], template[1], selector
        };
    }

    private static String readyOfDesired(JsonNode obj) {
        return Fields.number(obj, "status", "readyReplicas") + "/"
                + Fields.numberOr(DEFAULT_REPLICAS, obj, "spec", "replicas");
    }

    /** The controlling owner as {@code daemonset.apps/name}; {@code <none>} when nothing controls it. */
    static String controllerOf(JsonNode obj) {
        for (JsonNode ref : Fields.list(obj, "metadata", "ownerReferences")) {
            if (!Fields.bool(ref, "controller")) {
                continue;
            }
            String apiVersion = Fields.text(ref, "apiVersion");
            String[] parts = apiVersion.split("/", -1);
            if (parts.length > 2) {
                return "<invalid>";
            }
            String group = parts.length == 2 ? parts[0] : "";
            String kind = Fields.text(ref, "kind");
            String name = Fields.text(ref, "name");
            if (kind.isEmpty() && group.isEmpty()) {
                return name;
            }
            String groupKind = group.isEmpty() ? kind : kind + "." + group;
            return groupKind.toLowerCase(Locale.ROOT) + "/" + name;
        }
        return Fields.NONE;
    }
}
