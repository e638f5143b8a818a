package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** storageclasses, persistentvolumes and persistentvolumeclaims. */
final class StoragePrinters {
    private static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    private static final List<Map.Entry<String, String>> ACCESS_MODES = List.of(
            Map.entry("ReadWriteOnce", "RWO"), Map.entry("ReadOnlyMany", "ROX"),
            Map.entry("ReadWriteMany", "RWX"), Map.entry("ReadWriteOncePod", "RWOP"));
    private static final String UNSET = "<unset>";

    private StoragePrinters() {}

    static TablePrinter storageClasses() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Provisioner", "The volume plugin that provisions volumes of this class."),
                string("ReclaimPolicy", "What happens to a released volume: Delete or Retain."),
                string("VolumeBindingMode", "Immediate, or WaitForFirstConsumer."),
                string("AllowVolumeExpansion", "Whether claims of this class may grow."),
                Columns.AGE),
                (sc, now) -> new Object[] {
                    isDefaultClass(sc) ? Fields.name(sc) + " (default)" : Fields.name(sc),
                    Fields.text(sc, "provisioner"), Fields.textOr("Delete", sc, "reclaimPolicy"),
                    Fields.textOr("Immediate", sc, "volumeBindingMode"), Fields.bool(sc, "allowVolumeExpansion"),
                    Fields.age(sc, now)
                });
    }

    static TablePrinter persistentVolumes() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Capacity", "The volume's storage capacity."),
                string("Access Modes", "RWO, ROX, RWX, RWOP."),
                string("Reclaim Policy", "What happens to the volume once its claim is gone."),
                string("Status", "Available, Bound, Released, Failed, or Terminating."),
                string("Claim", "The bound claim, as namespace/name."),
                string("StorageClass", "The storage class of the volume."),
                string("VolumeAttributesClass", "The volume attributes class of the volume."),
                string("Reason", "Why the volume is in its phase."),
                Columns.AGE,
                string("VolumeMode", "Filesystem or Block.").wide()),
                (pv, now) -> {
                    JsonNode spec = Fields.at(pv, "spec");
                    String claim = Fields.present(spec, "claimRef")
                            ? Fields.text(spec, "claimRef", "namespace") + "/" + Fields.text(spec, "claimRef", "name") : "";
                    return new Object[] {
                        Fields.name(pv), quantity(spec, "capacity", "storage"), accessModes(Fields.at(spec, "accessModes")),
                        Fields.text(spec, "persistentVolumeReclaimPolicy"), phase(pv), claim, storageClass(pv),
                        Fields.textOr(UNSET, spec, "volumeAttributesClassName"), Fields.text(pv, "status", "reason"),
                        Fields.age(pv, now), Fields.textOr(UNSET, spec, "volumeMode")
                    };
                });
    }

    static TablePrinter persistentVolumeClaims() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Status", "Pending, Bound, Lost, or Terminating."),
                string("Volume", "The bound volume."),
                string("Capacity", "The bound volume's capacity."),
                string("Access Modes", "The bound volume's access modes."),
                string("StorageClass", "The storage class of the claim."),
                string("VolumeAttributesClass", "The volume attributes class of the claim."),
                Columns.AGE,
                string("VolumeMode", "Filesystem or Block.").wide()),
                (pvc, now) -> {
                    String volume = Fields.text(pvc, "spec", "volumeName");
                    boolean bound = !volume.isEmpty();
                    return new Object[] {
                        Fields.name(pvc), phase(pvc), volume,
                        bound ? quantity(pvc, "status", "capacity", "storage") : "",
                        bound ? accessModes(Fields.at(pvc, "status", "accessModes")) : "",
                        storageClass(pvc), Fields.textOr(UNSET, pvc, "spec", "volumeAttributesClassName"),
                        Fields.age(pvc, now), Fields.textOr(UNSET, pvc, "spec", "volumeMode")
                    };
                });
    }

    private static boolean isDefaultClass(JsonNode sc) {
        JsonNode annotations = Fields.at(sc, "metadata", "annotations");
        return "true".equals(Fields.text(annotations, "storageclass.kubernetes.io/is-default-class"))
                || "true".equals(Fields.text(annotations, "storageclass.beta.kubernetes.io/is-default-class"));
    }

    /** The legacy annotation still overrides storageClassName. */
    private static String storageClass(JsonNode obj) {
        JsonNode annotations = Fields.at(obj, "metadata", "annotations");
        if (Fields.present(annotations, BETA_CLASS_ANNOTATION)) {
            return Fields.text(annotations, BETA_CLASS_ANNOTATION);
        }
        return Fields.text(obj, "spec", "storageClassName");
    }

    private static String phase(JsonNode obj) {
        return Fields.present(obj, "metadata", "deletionTimestamp") ? "Terminating" : Fields.text(obj, "status", "phase");
    }

    private static String quantity(JsonNode node, String... path) {
        return Fields.textOr("0", node, path);
    }

    private static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asText("")));
        List<String> abbreviated = new ArrayList<>();
        for (Map.Entry<String, String> mode : ACCESS_MODES) {
            if (present.contains(mode.getKey())) {
                abbreviated.add(mode.getValue());
            }
        }
        return String.join(",", abbreviated);
    }
}
